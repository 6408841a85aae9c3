package ftp

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"ecscan/checks"
)

// Bounds of a dialogue: what one connection may make us read and keep.
const (
	maxLine       = checks.MaxLine // bytes in one line
	maxLines      = 200            // lines in one reply
	maxBytes      = 256 << 10      // bytes read on one control connection
	maxData       = 64 << 10       // bytes read on one data connection
	maxTranscript = 400            // transcript lines kept per connection
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

// closingError is a server ending the session with a 421 reply.
type closingError struct{ reply string }

func (e *closingError) Error() string { return "the server closed the session: " + e.reply }

// Unwrap makes a 421 classify as the peer closing (checks.StatusReset).
func (e *closingError) Unwrap() error { return io.EOF }

// session is one control connection: every exchange has a deadline, every read is
// bounded, and everything that passes goes to the transcript.
type session struct {
	ctx     context.Context
	conn    net.Conn
	lr      *lineReader
	timeout time.Duration
	tr      *transcript
	stop    func() bool
}

func newSession(ctx context.Context, conn net.Conn, timeout time.Duration, tr *transcript) *session {
	s := &session{ctx: ctx, conn: conn, timeout: timeout, tr: tr}
	s.lr = checks.NewLineReader(conn, maxBytes, s.server)
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

// reply reads one reply within a fresh deadline; 421 ends the session.
func (s *session) reply() (Reply, error) {
	if err := s.begin(); err != nil {
		return Reply{}, err
	}
	r, err := readReply(s.lr)
	if err == nil && r.Code == 421 {
		err = &closingError{reply: r.String()}
	}
	return r, err
}

// cmd sends a command line and reads its reply.
func (s *session) cmd(line string) (Reply, error) {
	if err := s.begin(); err != nil {
		return Reply{}, err
	}
	s.tr.Add("C", line)
	if _, err := io.WriteString(s.conn, line+"\r\n"); err != nil {
		return Reply{}, fmt.Errorf("send %s: %w", verb(line), err)
	}
	r, err := s.reply()
	if err != nil {
		return r, fmt.Errorf("%s: %w", verb(line), err)
	}
	return r, nil
}

// upgrade runs a TLS handshake over the control connection (implicit TLS, or after AUTH
// TLS was accepted).
func (s *session) upgrade(cfg *tls.Config) (tls.ConnectionState, error) {
	if n := s.lr.Buffered(); n > 0 {
		s.tr.Add("#", fmt.Sprintf("%d bytes arrived before the TLS handshake; discarded", n))
	}
	if err := s.begin(); err != nil {
		return tls.ConnectionState{}, err
	}
	tc := tls.Client(s.conn, cfg)
	if err := tc.HandshakeContext(s.ctx); err != nil {
		s.tr.Add("#", "TLS handshake failed: "+err.Error())
		return tls.ConnectionState{}, fmt.Errorf("TLS handshake: %w", err)
	}
	st := tc.ConnectionState()
	s.tr.Add("#", "TLS handshake done: "+tls.VersionName(st.Version)+", "+tls.CipherSuiteName(st.CipherSuite))
	s.conn = tc
	s.lr = checks.NewLineReader(tc, maxBytes-s.lr.N, s.server)
	return st, nil
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

// clientTLS is the client configuration of every handshake: any certificate (the TLS check
// judges certificates), SNI = the host name, every version crypto/tls speaks, and a session
// cache shared by the control and data connections (servers may require reuse).
func clientTLS(host string) *tls.Config {
	return &tls.Config{InsecureSkipVerify: true, ServerName: host, MinVersion: tls.VersionTLS10, ClientSessionCache: tls.NewLRUClientSessionCache(8)}
}

// verb is a command's first word; PASS hides nothing here (the anonymous password is a
// conventional e-mail address, not a credential).
func verb(line string) string {
	if i := strings.IndexByte(line, ' '); i >= 0 {
		return line[:i]
	}
	return line
}
