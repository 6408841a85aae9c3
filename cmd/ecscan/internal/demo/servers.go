package demo

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/miekg/dns"
)

// bound is every socket of one placement, bound before any server starts, so that a
// placement is taken whole or not at all.
type bound struct {
	tcp map[string]net.Listener // by service name
	udp net.PacketConn          // the DNS server's
}

// bind binds every server's socket; on the first failure it closes the others.
func bind(pl placement) (*bound, error) {
	b := &bound{tcp: map[string]net.Listener{}}
	for _, sv := range services {
		ep := pl.endpoint(sv).String()
		l, err := net.Listen("tcp", ep)
		if err != nil {
			b.close()
			return nil, fmt.Errorf("%s layout: %s on %s: %w", pl.layout, sv.name, ep, err)
		}
		b.tcp[sv.name] = l
		if sv.name == "dns" {
			if b.udp, err = net.ListenPacket("udp", ep); err != nil {
				b.close()
				return nil, fmt.Errorf("%s layout: dns on udp %s: %w", pl.layout, ep, err)
			}
		}
	}
	return b, nil
}

// close closes every socket not yet handed to a server.
func (b *bound) close() {
	for _, l := range b.tcp {
		l.Close()
	}
	if b.udp != nil {
		b.udp.Close()
	}
}

// serve starts a server on every socket. Each server's socket leaves b once the server
// owns it, and its stop function joins s.stops.
func (s *Site) serve(ctx context.Context, b *bound, addrs map[string]netip.Addr, pl placement, p *pki) error {
	z, err := newZone(Zone, addrs)
	if err != nil {
		return err
	}
	if err := s.serveDNS(ctx, z, b); err != nil {
		return err
	}
	cfg := p.tlsConfig()
	s.serveWeb(b.take("http"), nil)
	s.serveWeb(b.take("https"), cfg)
	mailHost := hostName("mail")
	s.serveLines(b.take("smtp"), func(c net.Conn) { serveSMTP(c, mailHost, Zone) })
	s.serveLines(b.take("pop3"), func(c net.Conn) { serveMail(c, &pop3Session{}, cfg) })
	s.serveLines(b.take("imap"), func(c net.Conn) { serveMail(c, &imapSession{}, cfg) })
	ftpAddr := pl.addr(roleFTP)
	s.serveLines(b.take("ftp"), func(c net.Conn) { serveFTP(c, s.tr, ftpAddr) })
	return nil
}

// take hands a bound listener over to its server.
func (b *bound) take(name string) net.Listener {
	l := b.tcp[name]
	delete(b.tcp, name)
	return l
}

// serveLines serves a line-oriented protocol on l.
func (s *Site) serveLines(l net.Listener, handle func(net.Conn)) {
	s.stops = append(s.stops, func() { l.Close() })
	s.tr.serve(l, handle)
}

// serveDNS starts the name server on UDP and TCP and waits until both run.
func (s *Site) serveDNS(ctx context.Context, z *zone, b *bound) error {
	udp := &dns.Server{PacketConn: b.udp, Handler: z, ReadTimeout: 5 * time.Second, WriteTimeout: 5 * time.Second}
	b.udp = nil
	tcp := &dns.Server{Listener: b.take("dns"), Handler: z, ReadTimeout: 5 * time.Second, WriteTimeout: 5 * time.Second, MaxTCPQueries: 16}
	servers := []*dns.Server{udp, tcp}
	for i, srv := range servers {
		if err := s.startDNS(ctx, srv); err != nil {
			for _, rest := range servers[i+1:] {
				closeSockets(rest)
			}
			return err
		}
	}
	return nil
}

// startDNS starts one DNS server and waits until it runs.
func (s *Site) startDNS(ctx context.Context, srv *dns.Server) error {
	started, failed := make(chan struct{}), make(chan error, 1)
	srv.NotifyStartedFunc = func() { close(started) }
	s.tr.goTracked(func() { failed <- srv.ActivateAndServe() })
	select {
	case <-started:
		s.stops = append(s.stops, func() { _ = srv.Shutdown() })
		return nil
	case err := <-failed:
		closeSockets(srv)
		return fmt.Errorf("demo: dns: %w", err)
	case <-ctx.Done():
		// The server may start after all: stop it when it does.
		s.stops = append(s.stops, func() {
			select {
			case <-started:
				_ = srv.Shutdown()
			case <-failed:
				closeSockets(srv)
			}
		})
		return fmt.Errorf("demo: %w", ctx.Err())
	}
}

// closeSockets closes the sockets of a DNS server that failed to start.
func closeSockets(srv *dns.Server) {
	if srv.PacketConn != nil {
		srv.PacketConn.Close()
	}
	if srv.Listener != nil {
		srv.Listener.Close()
	}
}

// serveWeb serves the shop on l, over TLS with cfg unless it is nil. HTTP/2 is off (it
// would refuse the CBC suites), and so is the server's error log, which every failed
// handshake of the TLS check would fill.
func (s *Site) serveWeb(l net.Listener, cfg *tls.Config) {
	var conns sync.WaitGroup
	srv := &http.Server{
		Handler:           &shop{zone: Zone},
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       30 * time.Second,
		MaxHeaderBytes:    16 << 10,
		TLSNextProto:      map[string]func(*http.Server, *tls.Conn, http.Handler){},
		ErrorLog:          log.New(io.Discard, "", 0),
		// StateNew is set before Serve can return and StateClosed is the last thing a
		// connection's goroutine does, so once Serve has returned conns counts the
		// goroutines still running.
		ConnState: func(_ net.Conn, st http.ConnState) {
			switch st {
			case http.StateNew:
				conns.Add(1)
			case http.StateClosed, http.StateHijacked:
				conns.Done()
			}
		},
	}
	l = trackedListener{Listener: l, tr: s.tr}
	if cfg != nil {
		l = tls.NewListener(l, cfg)
	}
	done := make(chan struct{})
	if !s.tr.goTracked(func() { defer close(done); _ = srv.Serve(l) }) {
		l.Close()
		return
	}
	s.stops = append(s.stops, func() { _ = srv.Close() })
	s.waits = append(s.waits, func() { <-done; conns.Wait() })
}

// trackedListener records every connection it accepts with the site's tracker, so that
// Close closes even those the HTTP server had not yet taken charge of.
type trackedListener struct {
	net.Listener
	tr *tracker
}

// Accept accepts a connection and tracks it until it is closed.
func (l trackedListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	if !l.tr.add(c) {
		c.Close()
	}
	return trackedConn{Conn: c, tr: l.tr}, nil
}

// trackedConn leaves the tracker when closed.
type trackedConn struct {
	net.Conn
	tr *tracker
}

// Close closes the connection.
func (c trackedConn) Close() error {
	c.tr.remove(c.Conn)
	return c.Conn.Close()
}
