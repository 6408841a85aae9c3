package smtp

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"time"

	"ecscan/checks"
)

// session is one connection to an SMTP server: every command and reply is written to the
// dialogue, every exchange has its own deadline (and none outlives the session's), and
// every read is bounded by ReadReply's limits.
type session struct {
	ctx     context.Context
	ep      endpoint
	raw     net.Conn
	conn    net.Conn // raw, or the TLS connection over it
	r       *bufio.Reader
	d       *Dialogue
	now     func() time.Time
	timeout time.Duration
	until   time.Time // the session's own deadline (wall clock)
	tls     *TLSInfo
	local   netip.AddrPort
	dead    error // set once the connection cannot be used any more
	stop    func() bool
}

// TLSInfo is what a TLS handshake settled.
type TLSInfo struct {
	Version string `json:"version"`
	Cipher  string `json:"cipher"`
}

// closingError is a 421 reply: the server ends the session. It unwraps to io.EOF, so the
// session's status is "reset".
type closingError struct{ reply Reply }

func (e *closingError) Error() string { return "server closing the session: " + e.reply.String() }
func (e *closingError) Unwrap() error { return io.EOF }

// dial connects through the scan's dialer and, for implicit TLS, shakes hands.
func dial(ctx context.Context, dialer *checks.Dialer, ep endpoint, timeout, budget time.Duration, now func() time.Time, d *Dialogue) (*session, error) {
	c, err := dialer.DialContext(ctx, "tcp", ep.addrPort().String())
	if err != nil {
		d.note(now(), "connect to %s: %v", ep.addrPort(), err)
		return nil, fmt.Errorf("smtp: connect to %s: %w", ep.addrPort(), err)
	}
	s := &session{ctx: ctx, ep: ep, raw: c, conn: c, d: d, now: now, timeout: timeout, until: time.Now().Add(budget)}
	s.r = bufio.NewReaderSize(c, MaxLineBytes)
	s.stop = context.AfterFunc(ctx, func() { c.SetDeadline(time.Unix(1, 0)) })
	if ap, err := netip.ParseAddrPort(c.LocalAddr().String()); err == nil {
		s.local = netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
	}
	d.note(now(), "connected from %s to %s (%s)", s.local, ep.addrPort(), ep.host)
	if ep.implicitTLS {
		if err := s.handshake(); err != nil {
			s.close()
			return nil, err
		}
	}
	return s, nil
}

// arm sets the deadline of the next exchange.
func (s *session) arm() {
	t := time.Now().Add(s.timeout)
	if s.until.Before(t) {
		t = s.until
	}
	s.conn.SetDeadline(t)
}

// fail records err as the session's end and returns it wrapped with the address and what
// was being done; a canceled scan is reported as such, not as the timeout it causes.
func (s *session) fail(what string, err error) error {
	if s.ctx.Err() != nil {
		err = s.ctx.Err()
	}
	s.d.note(s.now(), "%s: %v", what, err)
	s.dead = fmt.Errorf("smtp: %s: %s: %w", s.ep.addrPort(), what, err)
	return s.dead
}

// greeting reads the server's banner.
func (s *session) greeting() (Reply, error) {
	s.arm()
	rep, err := ReadReply(s.r)
	s.d.reply(s.now(), rep)
	if err != nil {
		return rep, s.fail("read banner", err)
	}
	if rep.Code == 421 {
		return rep, s.fail("banner", &closingError{rep})
	}
	return rep, nil
}

// cmd sends one command line and reads its reply. A 421 reply ends the session.
func (s *session) cmd(line string) (Reply, error) {
	if s.dead != nil {
		return Reply{}, s.dead
	}
	s.arm()
	s.d.add(s.now(), "C", line)
	if _, err := io.WriteString(s.conn, line+"\r\n"); err != nil {
		return Reply{}, s.fail("send "+verb(line), err)
	}
	rep, err := ReadReply(s.r)
	s.d.reply(s.now(), rep)
	if err != nil {
		return rep, s.fail("reply to "+verb(line), err)
	}
	if rep.Code == 421 {
		return rep, s.fail("reply to "+verb(line), &closingError{rep})
	}
	return rep, nil
}

// send writes lines without waiting for a reply (a message's content after DATA).
func (s *session) send(lines []string) error {
	if s.dead != nil {
		return s.dead
	}
	s.arm()
	var b strings.Builder
	for _, l := range lines {
		s.d.add(s.now(), "C", l)
		b.WriteString(l + "\r\n")
	}
	if _, err := io.WriteString(s.conn, b.String()); err != nil {
		return s.fail("send message", err)
	}
	return nil
}

// verb returns a command's first word, for messages.
func verb(line string) string {
	if i := strings.IndexAny(line, " :"); i > 0 {
		return line[:i]
	}
	return line
}

// startTLS sends STARTTLS and, on 220, shakes hands over the connection. Bytes the server
// sent after its 220 (before the handshake) are discarded and noted.
func (s *session) startTLS() (Reply, error) {
	rep, err := s.cmd("STARTTLS")
	if err != nil || rep.Code != 220 {
		return rep, err
	}
	if n := s.r.Buffered(); n > 0 {
		s.d.note(s.now(), "%d bytes the server sent after its 220 were discarded before the handshake", n)
	}
	return rep, s.handshake()
}

// handshake runs a TLS client handshake (any certificate, SNI = the host name) over the
// raw connection.
func (s *session) handshake() error {
	cfg := &tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS10} // #nosec G402: the TLS check judges certificates
	if _, err := netip.ParseAddr(s.ep.host); err != nil {
		cfg.ServerName = s.ep.host
	}
	tc := tls.Client(s.raw, cfg)
	s.arm()
	if err := tc.HandshakeContext(s.ctx); err != nil {
		return s.fail("TLS handshake", err)
	}
	st := tc.ConnectionState()
	s.tls = &TLSInfo{Version: tls.VersionName(st.Version), Cipher: tls.CipherSuiteName(st.CipherSuite)}
	s.d.note(s.now(), "TLS handshake done: %s, %s", s.tls.Version, s.tls.Cipher)
	s.conn = tc
	s.r = bufio.NewReaderSize(tc, MaxLineBytes)
	return nil
}

// quit says goodbye when the session is still usable, then closes it.
func (s *session) quit() {
	if s.dead == nil {
		s.timeout = min(s.timeout, 2*time.Second)
		s.cmd("QUIT")
	}
	s.close()
}

// close closes the connection without a word.
func (s *session) close() {
	s.stop()
	s.conn.Close()
	s.raw.Close()
}
