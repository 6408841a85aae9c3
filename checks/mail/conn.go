package mail

import (
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

// Bounds of a dialogue: what one connection may make us read and keep.
const (
	maxLine       = checks.MaxLine // bytes in one line
	maxLines      = 200            // lines in one response
	maxBytes      = 256 << 10      // bytes read on one connection
	maxLiteral    = 16 << 10       // bytes of one IMAP literal
	maxTranscript = 300            // transcript lines kept per endpoint
	maxShown      = 512            // bytes kept of one transcript line
)

// Line is one step of a dialogue (checks.Line).
type Line = checks.Line

// transcript is the bounded list of a dialogue's Lines.
type transcript = checks.Transcript

func newTranscript() *transcript { return &transcript{Max: maxTranscript} }

// clean bounds a line for the evidence and escapes control bytes and invalid UTF-8.
func clean(s string) string { return checks.Printable(s, maxShown) }

// lineReader reads the server's bounded lines (checks.LineReader).
type lineReader = checks.LineReader

// session is one connection of a dialogue: every exchange has a deadline, every read is
// bounded, and everything that passes goes to the transcript.
type session struct {
	ctx     context.Context
	conn    net.Conn
	lr      *lineReader
	timeout time.Duration
	tr      *transcript
	stop    func() bool
}

// dial connects to ap through the scan's dialer.
func dial(ctx context.Context, d *checks.Dialer, ap netip.AddrPort, timeout time.Duration, tr *transcript) (*session, error) {
	conn, err := d.DialContext(ctx, "tcp", ap.String())
	if err != nil {
		tr.Add("#", "connect to "+ap.String()+": "+err.Error())
		return nil, fmt.Errorf("connect: %w", err)
	}
	tr.Add("#", "connected to "+ap.String()+" from "+conn.LocalAddr().String())
	return newSession(ctx, conn, timeout, tr), nil
}

func newSession(ctx context.Context, conn net.Conn, timeout time.Duration, tr *transcript) *session {
	s := &session{ctx: ctx, conn: conn, timeout: timeout, tr: tr}
	s.lr = checks.NewLineReader(conn, maxBytes, s.server)
	// A canceled scan cuts the exchange in progress short.
	s.stop = context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	return s
}

func (s *session) server(line string) { s.tr.Add("S", line) }

// begin starts an exchange: its deadline is timeout from now.
func (s *session) begin() error {
	if err := s.conn.SetDeadline(time.Now().Add(s.timeout)); err != nil {
		return err
	}
	if err := s.ctx.Err(); err != nil {
		s.conn.SetDeadline(time.Unix(1, 0))
		return err
	}
	return nil
}

// send starts an exchange with a command line (CRLF added).
func (s *session) send(cmd string) error {
	if err := s.begin(); err != nil {
		return err
	}
	s.tr.Add("C", cmd)
	if _, err := io.WriteString(s.conn, cmd+"\r\n"); err != nil {
		return fmt.Errorf("send %s: %w", firstWord(cmd), err)
	}
	return nil
}

// upgrade runs a TLS handshake over the connection (after STLS/STARTTLS was accepted, or at
// once for implicit TLS). Bytes the server sent before the handshake are discarded and
// noted: a server (or a man in the middle) that injects commands there is a known attack.
func (s *session) upgrade(host string) (tls.ConnectionState, int, error) {
	injected := s.lr.Buffered()
	if injected > 0 {
		s.tr.Add("#", fmt.Sprintf("%d bytes arrived before the TLS handshake; discarded", injected))
	}
	if err := s.begin(); err != nil {
		return tls.ConnectionState{}, injected, err
	}
	tc := tls.Client(s.conn, clientTLS(host))
	if err := tc.HandshakeContext(s.ctx); err != nil {
		s.tr.Add("#", "TLS handshake failed: "+err.Error())
		return tls.ConnectionState{}, injected, fmt.Errorf("TLS handshake: %w", err)
	}
	st := tc.ConnectionState()
	s.tr.Add("#", "TLS handshake done: "+tlsSummary(st))
	s.conn = tc
	s.lr = checks.NewLineReader(tc, maxBytes, s.server)
	return st, injected, nil
}

// clientTLS is the client configuration of every handshake: any certificate (the TLS check
// judges certificates), SNI = the host name, and every version crypto/tls speaks, so that
// an old server is still reached.
func clientTLS(host string) *tls.Config {
	return &tls.Config{InsecureSkipVerify: true, ServerName: host, MinVersion: tls.VersionTLS10}
}

func tlsSummary(st tls.ConnectionState) string {
	return tls.VersionName(st.Version) + ", " + tls.CipherSuiteName(st.CipherSuite)
}

func (s *session) close() {
	s.stop()
	s.conn.Close()
}

// noteEnd records how a dialogue ended when it ended with an error.
func (s *session) noteEnd(err error) {
	if err == nil {
		return
	}
	switch checks.Classify(err) {
	case checks.StatusTimeout:
		s.tr.Add("#", fmt.Sprintf("no complete answer within %s", s.timeout))
	case checks.StatusReset:
		s.tr.Add("#", "connection closed by the server: "+err.Error())
	default:
		s.tr.Add("#", err.Error())
	}
}

func firstWord(s string) string {
	if i := strings.IndexByte(s, ' '); i >= 0 {
		return s[:i]
	}
	return s
}
