package web

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"
)

// SOCKS5 (RFC 1928) constants used by the gateway.
const (
	socksVersion   = 5
	socksNoAuth    = 0
	socksNoMethod  = 0xff
	socksConnect   = 1
	socksIPv4      = 1
	socksDomain    = 3
	socksIPv6      = 4
	repSucceeded   = 0
	repFailure     = 1
	repNotAllowed  = 2
	repHostUnreach = 4
	repRefused     = 5
	repCmdUnsupp   = 7
	repAddrUnsupp  = 8
)

// gateway is the only way out of the nuclei engine: a SOCKS5 server on 127.0.0.1 that
// nuclei's HTTP client goes through. It connects only to the routes it was given (the scan's
// web targets: host name and port → the address the service map names), through the scan's
// dialer (source address, concurrency, connection rates), after waiting for the per-address
// rate of the web check. Every tunnel has a deadline and carries at most maxDown bytes from
// the server, so a hostile server cannot hold nuclei or fill its memory, and nothing —
// redirects included — reaches a host outside the scan.
type gateway struct {
	ln      net.Listener
	routes  map[string]netip.AddrPort // "host:port", lower case, and "addr:port"
	dial    func(ctx context.Context, network, address string) (net.Conn, error)
	wait    func(ctx context.Context, a netip.Addr) error
	slow    *breaker
	timeout time.Duration // the whole life of a tunnel
	maxDown int64         // bytes from the server per tunnel
	logf    func(format string, args ...any)

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	conns   map[net.Conn]bool
	refused []string // destinations refused, for the debug log and the evidence
}

// gatewayConfig configures a gateway.
type gatewayConfig struct {
	Routes  map[string]netip.AddrPort
	Dial    func(ctx context.Context, network, address string) (net.Conn, error)
	Wait    func(ctx context.Context, a netip.Addr) error
	Slow    *breaker // may be nil
	Timeout time.Duration
	MaxDown int64
	Logf    func(format string, args ...any)
}

// startGateway listens on 127.0.0.1 (an ephemeral port) and serves until Close.
func startGateway(ctx context.Context, cfg gatewayConfig) (*gateway, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("web: gateway listen: %w", err)
	}
	g := &gateway{
		ln: ln, routes: cfg.Routes, dial: cfg.Dial, wait: cfg.Wait, slow: cfg.Slow, timeout: cfg.Timeout,
		maxDown: cfg.MaxDown, logf: cfg.Logf, conns: map[net.Conn]bool{},
	}
	if g.logf == nil {
		g.logf = func(string, ...any) {}
	}
	g.ctx, g.cancel = context.WithCancel(ctx)
	g.wg.Add(1)
	go g.serve()
	return g, nil
}

// URL is the proxy URL to give nuclei.
func (g *gateway) URL() string { return "socks5://" + g.ln.Addr().String() }

// Refused returns the destinations the gateway refused.
func (g *gateway) Refused() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.refused...)
}

// Close stops the gateway, cuts every tunnel and waits for them to end.
func (g *gateway) Close() {
	g.cancel()
	_ = g.ln.Close()
	g.mu.Lock()
	for c := range g.conns {
		_ = c.Close()
	}
	g.mu.Unlock()
	g.wg.Wait()
}

func (g *gateway) serve() {
	defer g.wg.Done()
	for {
		c, err := g.ln.Accept()
		if err != nil {
			return
		}
		if !g.track(c, true) {
			_ = c.Close()
			return
		}
		g.wg.Add(1)
		go func() {
			defer g.wg.Done()
			defer g.track(c, false)
			defer c.Close()
			g.handle(c)
		}()
	}
}

// track adds or removes a connection; adding fails once the gateway is closing.
func (g *gateway) track(c net.Conn, add bool) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !add {
		delete(g.conns, c)
		return true
	}
	if g.ctx.Err() != nil {
		return false
	}
	g.conns[c] = true
	return true
}

// handle serves one SOCKS5 client: greeting, CONNECT, then the tunnel.
func (g *gateway) handle(c net.Conn) {
	deadline := time.Now().Add(g.timeout)
	_ = c.SetDeadline(deadline)
	dest, err := readSocksRequest(c)
	if err != nil {
		var se socksError
		if errors.As(err, &se) {
			_ = writeSocksReply(c, se.code)
		}
		g.logf("web gateway: %v", err)
		return
	}
	ap, ok := g.route(dest)
	if !ok {
		g.refuse(dest)
		g.logf("web gateway: refused %s: not a web target of this scan", dest)
		_ = writeSocksReply(c, repNotAllowed)
		return
	}
	if err := g.slow.check(ap); err != nil {
		g.refuse(dest + ": answered too slowly too often")
		_ = writeSocksReply(c, repHostUnreach)
		return
	}
	ctx, cancel := context.WithDeadline(g.ctx, deadline)
	defer cancel()
	if g.wait != nil {
		if err := g.wait(ctx, ap.Addr()); err != nil {
			_ = writeSocksReply(c, repFailure)
			return
		}
	}
	up, err := g.dial(ctx, "tcp", ap.String())
	if err != nil {
		g.logf("web gateway: %s (%s): %v", dest, ap, err)
		_ = writeSocksReply(c, dialReply(err))
		return
	}
	defer up.Close()
	if !g.track(up, true) {
		return
	}
	defer g.track(up, false)
	_ = up.SetDeadline(deadline)
	if err := writeSocksReply(c, repSucceeded); err != nil {
		return
	}
	start := time.Now()
	g.pipe(c, up)
	g.slow.note(ap, time.Since(start))
}

// refuse records a refused destination, once.
func (g *gateway) refuse(dest string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, r := range g.refused {
		if r == dest {
			return
		}
	}
	g.refused = append(g.refused, dest)
}

// route maps a destination to the address to connect to.
func (g *gateway) route(dest string) (netip.AddrPort, bool) {
	ap, ok := g.routes[strings.ToLower(dest)]
	return ap, ok
}

// pipe copies both ways until either side ends, at most maxDown bytes from the server.
func (g *gateway) pipe(client, server net.Conn) {
	done := make(chan struct{}, 2)
	go func() {
		_, _ = io.CopyN(server, client, maxUpload)
		closeWrite(server)
		done <- struct{}{}
	}()
	go func() {
		_, _ = io.CopyN(client, server, g.maxDown)
		// Past the cap the tunnel ends: nuclei sees a short body, never the rest.
		_ = client.Close()
		_ = server.Close()
		done <- struct{}{}
	}()
	<-done
	<-done
}

// maxUpload bounds what nuclei sends through one tunnel (requests are small).
const maxUpload = 1 << 20

func closeWrite(c net.Conn) {
	if cw, ok := c.(interface{ CloseWrite() error }); ok {
		_ = cw.CloseWrite()
	}
}

// socksError carries the reply code for a request the gateway cannot serve.
type socksError struct {
	code byte
	msg  string
}

func (e socksError) Error() string { return e.msg }

// readSocksRequest reads the greeting and the CONNECT request and answers the greeting. It
// returns the destination as "host:port".
func readSocksRequest(c net.Conn) (string, error) {
	var head [2]byte
	if _, err := io.ReadFull(c, head[:]); err != nil {
		return "", fmt.Errorf("read greeting: %w", err)
	}
	if head[0] != socksVersion {
		return "", fmt.Errorf("greeting: version %d", head[0])
	}
	methods := make([]byte, head[1])
	if _, err := io.ReadFull(c, methods); err != nil {
		return "", fmt.Errorf("read methods: %w", err)
	}
	method := byte(socksNoMethod)
	for _, m := range methods {
		if m == socksNoAuth {
			method = socksNoAuth
		}
	}
	if _, err := c.Write([]byte{socksVersion, method}); err != nil || method != socksNoAuth {
		return "", fmt.Errorf("no acceptable method in %v", methods)
	}
	var req [4]byte
	if _, err := io.ReadFull(c, req[:]); err != nil {
		return "", fmt.Errorf("read request: %w", err)
	}
	if req[0] != socksVersion || req[1] != socksConnect {
		return "", socksError{repCmdUnsupp, fmt.Sprintf("request: version %d command %d", req[0], req[1])}
	}
	host, err := readSocksAddr(c, req[3])
	if err != nil {
		return "", err
	}
	var port [2]byte
	if _, err := io.ReadFull(c, port[:]); err != nil {
		return "", fmt.Errorf("read port: %w", err)
	}
	return net.JoinHostPort(host, strconv.Itoa(int(binary.BigEndian.Uint16(port[:])))), nil
}

func readSocksAddr(c net.Conn, atyp byte) (string, error) {
	var n int
	switch atyp {
	case socksIPv4:
		n = 4
	case socksIPv6:
		n = 16
	case socksDomain:
		var l [1]byte
		if _, err := io.ReadFull(c, l[:]); err != nil {
			return "", fmt.Errorf("read name length: %w", err)
		}
		name := make([]byte, l[0])
		if _, err := io.ReadFull(c, name); err != nil {
			return "", fmt.Errorf("read name: %w", err)
		}
		return strings.TrimSuffix(string(name), "."), nil
	default:
		return "", socksError{repAddrUnsupp, fmt.Sprintf("address type %d", atyp)}
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(c, b); err != nil {
		return "", fmt.Errorf("read address: %w", err)
	}
	a, _ := netip.AddrFromSlice(b)
	return a.Unmap().String(), nil
}

func writeSocksReply(c net.Conn, code byte) error {
	_, err := c.Write([]byte{socksVersion, code, 0, socksIPv4, 0, 0, 0, 0, 0, 0})
	return err
}

// dialReply maps a dial error to a SOCKS reply code.
func dialReply(err error) byte {
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		return repHostUnreach
	case strings.Contains(err.Error(), "refused"):
		return repRefused
	}
	return repFailure
}
