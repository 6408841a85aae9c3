package ftp

import (
	"fmt"
	"io"
	"net"
	"net/netip"
	"time"
)

// Bounce is the FTP bounce test (Config.Intrusive only): PORT naming an address that is
// not the client's. On a loopback target the address is a listener the check opens on
// another 127.x address, and LIST makes the server connect to it; elsewhere it is
// 192.0.2.1 (never routed) and no transfer is started, the reply to PORT being the answer.
type Bounce struct {
	Target    string `json:"target"` // the address and port named in PORT
	PortReply string `json:"port_reply,omitempty"`
	Accepted  bool   `json:"accepted"`
	// Triggered: LIST was sent to make the server connect; Connected: it did, from From.
	Triggered bool   `json:"triggered,omitempty"`
	ListReply string `json:"list_reply,omitempty"`
	Connected bool   `json:"connected,omitempty"`
	From      string `json:"from,omitempty"`
	Note      string `json:"note,omitempty"`
}

// Decided reports whether the server answered PORT.
func (b *Bounce) Decided() bool { return b != nil && b.PortReply != "" && b.Note == "" }

// bounce runs the bounce test.
func (p *prober) bounce() error {
	b := &Bounce{}
	p.o.Bounce = b
	if !p.o.Addr.Unmap().Is4() {
		b.Note = "PORT takes IPv4 addresses only"
		return nil
	}
	if !p.o.Addr.Unmap().IsLoopback() {
		b.Target = testNet1.String()
		r, err := p.s.cmd("PORT " + formatPORT(testNet1))
		b.PortReply, b.Accepted = r.String(), r.Code == 200
		return err
	}
	ln, err := p.thirdParty()
	if err != nil {
		b.Note = "no listener for the test: " + err.Error()
		return nil
	}
	defer ln.Close()
	ap := ln.Addr().(*net.TCPAddr).AddrPort()
	b.Target = ap.String()
	r, err := p.s.cmd("PORT " + formatPORT(ap))
	b.PortReply, b.Accepted = r.String(), r.Code == 200
	if err != nil || !b.Accepted {
		return err
	}
	got := p.accept(ln)
	r, err = p.s.cmd("LIST")
	b.Triggered, b.ListReply = true, r.String()
	if err == nil && r.Preliminary() {
		_, err = p.s.reply()
	} else {
		ln.Close() // no transfer is coming: stop waiting
	}
	if from, ok := <-got; ok {
		b.Connected, b.From = true, from
		p.s.tr.Add("#", "the server connected to "+b.Target+" from "+from)
	}
	return err
}

// thirdParty listens on a loopback address other than the control connection's own.
func (p *prober) thirdParty() (net.Listener, error) {
	local := netip.Addr{}
	if ta, ok := p.s.conn.LocalAddr().(*net.TCPAddr); ok {
		local = ta.AddrPort().Addr().Unmap()
	}
	addr := "127.0.0.1"
	if local == netip.MustParseAddr(addr) {
		addr = "127.0.0.2"
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(p.ctx, "tcp4", addr+":0")
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return ln, nil
}

// accept waits (up to the timeout) for one connection on ln, reads what comes (bounded)
// and closes it; the channel yields the peer's address, or closes without a value.
func (p *prober) accept(ln net.Listener) <-chan string {
	out := make(chan string, 1)
	if tl, ok := ln.(*net.TCPListener); ok {
		tl.SetDeadline(time.Now().Add(p.timeout))
	}
	go func() {
		defer close(out)
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(p.timeout))
		io.Copy(io.Discard, io.LimitReader(c, maxData))
		out <- c.RemoteAddr().String()
	}()
	return out
}
