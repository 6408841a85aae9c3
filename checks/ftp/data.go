package ftp

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"time"
)

// maxEntries bounds the listing entries (and writable entries) kept as evidence.
const maxEntries = 20

// errNoData is a data connection that could not be had — a passive-mode request the
// server refused or answered unreadably, a port that did not answer: the transfer is
// skipped, the dialogue goes on.
var errNoData = errors.New("no data connection")

// passive asks for a passive data port and records the reply among the samples: EPSV when
// the server lists it (or on IPv6), PASV otherwise, and PASV again when EPSV fails. It
// returns the port to connect to on the control connection's peer — never the address a
// PASV reply names.
func (p *prober) passive() (int, error) {
	if p.o.Addr.Is6() && !p.o.Addr.Is4In6() || hasFeature(p.o.Features, "EPSV") {
		port, err := p.sample("EPSV")
		if !errors.Is(err, errNoData) || p.o.Addr.Is6() && !p.o.Addr.Is4In6() {
			return port, err
		}
	}
	return p.sample("PASV")
}

// sample sends PASV or EPSV and records the reply.
func (p *prober) sample(cmd string) (int, error) {
	r, err := p.s.cmd(cmd)
	if err != nil {
		return 0, err
	}
	ps := Passive{Command: cmd, Reply: r.String()}
	ok := false
	switch {
	case cmd == "EPSV" && r.Code == 229:
		ps.Port, ok = parseEPSV(r.Text())
	case cmd == "PASV" && r.Code == 227:
		var ap netip.AddrPort
		if ap, ok = parsePASV(r.Text()); ok {
			ps.Addr, ps.Port = ap.Addr(), int(ap.Port())
			ps.Other = ap.Addr() != p.o.Addr.Unmap()
		}
	}
	if !ok {
		return 0, fmt.Errorf("%s: %s: %w", cmd, r, errNoData)
	}
	if ps.Other {
		p.s.tr.Add("#", fmt.Sprintf("PASV named %s, not the server's address %s: any data connection goes to %s", ps.Addr, p.o.Addr, p.o.Addr))
	}
	p.o.Passive = append(p.o.Passive, ps)
	return ps.Port, nil
}

// samples gathers passive replies until there are Config.PassiveSamples, with PASV (which
// names an address) on IPv4.
func (p *prober) samples() error {
	cmd := "PASV"
	if p.o.Addr.Is6() && !p.o.Addr.Is4In6() {
		cmd = "EPSV"
	}
	for tries := 0; len(p.o.Passive) < p.cfg.PassiveSamples && tries < p.cfg.PassiveSamples; tries++ {
		if _, err := p.sample(cmd); err != nil && !errors.Is(err, errNoData) {
			return err
		}
	}
	return nil
}

// dialData connects a data connection to the control connection's peer, through the
// scan's dialer.
func (p *prober) dialData(port int) (net.Conn, error) {
	ap := netip.AddrPortFrom(p.o.Addr, uint16(port)).String()
	c, err := p.dialer.DialContext(p.ctx, "tcp", ap)
	if err != nil {
		p.s.tr.Add("#", "data connection to "+ap+": "+err.Error())
		return nil, fmt.Errorf("data connection %s: %w", ap, err)
	}
	c.SetDeadline(time.Now().Add(p.timeout))
	p.s.tr.Add("#", "data connection to "+ap)
	return c, nil
}

// handshake starts the TLS handshake of a protected data connection at once, in the
// background: servers run it after their 150 reply (vsftpd, ProFTPD) or before it, and
// either way it must not wait for the control connection.
func (p *prober) handshake(c net.Conn) (net.Conn, <-chan error) {
	done := make(chan error, 1)
	if !p.protected {
		done <- nil
		return c, done
	}
	tc := tls.Client(c, p.tls)
	go func() { done <- tc.HandshakeContext(p.ctx) }()
	return tc, done
}

// readData reads a data connection to its end, keeping at most maxData bytes; more is
// cut off (the connection is then closed by us).
func (p *prober) readData(c net.Conn) (data []byte, truncated bool, err error) {
	c.SetDeadline(time.Now().Add(p.timeout))
	data, err = io.ReadAll(io.LimitReader(c, maxData+1))
	if len(data) > maxData {
		data, truncated = data[:maxData], true
	}
	return data, truncated, err
}

// transfer runs one data command: a passive port, the data connection, the command and
// its preliminary reply, then use (reading or writing the data connection), then the
// final reply. It returns both replies; a refused step is recorded, not an error, unless
// the control connection failed.
func (p *prober) transfer(cmd string, use func(net.Conn) error) (pre, final Reply, err error) {
	port, err := p.passive()
	if err != nil {
		return pre, final, err
	}
	raw, err := p.dialData(port)
	if err != nil {
		return pre, final, fmt.Errorf("%w: %v", errNoData, err)
	}
	defer raw.Close()
	dc, handshook := p.handshake(raw)
	if pre, err = p.s.cmd(cmd); err != nil || !pre.Preliminary() {
		raw.Close()
		<-handshook
		return pre, final, err
	}
	if herr := <-handshook; herr != nil {
		p.s.tr.Add("#", "data connection TLS handshake failed: "+herr.Error())
	} else if uerr := use(dc); uerr != nil {
		p.s.tr.Add("#", "data connection: "+uerr.Error())
	}
	dc.Close()
	final, err = p.s.reply()
	return pre, final, err
}

// list reads the top directory: MLSD when the server lists MLST (its perm facts say what
// this user may do), LIST otherwise.
func (p *prober) list() error {
	l := &Listing{Command: "LIST"}
	if hasFeature(p.o.Features, "MLST") {
		l.Command = "MLSD"
	}
	p.o.Listing = l
	var data []byte
	pre, final, err := p.transfer(l.Command, func(c net.Conn) error {
		var derr error
		data, l.Truncated, derr = p.readData(c)
		return derr
	})
	l.Reply, l.Final = pre.String(), final.String()
	if errors.Is(err, errNoData) {
		l.Error = err.Error()
		return nil
	}
	if err != nil {
		return err
	}
	l.Read = pre.Preliminary() && final.Positive()
	p.entries(l, data)
	return nil
}

// entries judges the listing's lines and keeps the first ones as evidence.
func (p *prober) entries(l *Listing, data []byte) {
	for line := range strings.SplitSeq(string(data), "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		l.Total++
		e := parseEntry(line, l.Command == "MLSD")
		e.Raw = clean(e.Raw)
		if len(l.Entries) < maxEntries {
			l.Entries = append(l.Entries, e)
		}
		if e.Writable && len(l.Writable) < maxEntries {
			l.Writable = append(l.Writable, e)
		}
	}
	p.s.tr.Add("#", fmt.Sprintf("listing: %d entries, %d bytes", l.Total, len(data)))
}
