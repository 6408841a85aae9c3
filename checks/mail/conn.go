package mail

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
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
	maxLine       = 4096      // bytes in one line
	maxLines      = 200       // lines in one response
	maxBytes      = 256 << 10 // bytes read on one connection
	maxLiteral    = 16 << 10  // bytes of one IMAP literal
	maxTranscript = 300       // transcript lines kept per endpoint
	maxShown      = 512       // bytes kept of one transcript line
)

// Line is one step of a dialogue: what the client ("C") sent, what the server ("S")
// answered, or a note ("#") on what happened (a TLS handshake, a timeout, a close).
type Line struct {
	Dir  string `json:"dir"`
	Data string `json:"data"`
}

// transcript is a bounded list of Lines.
type transcript struct{ lines []Line }

func (t *transcript) add(dir, data string) {
	switch {
	case len(t.lines) < maxTranscript:
		t.lines = append(t.lines, Line{Dir: dir, Data: clean(data)})
	case len(t.lines) == maxTranscript:
		t.lines = append(t.lines, Line{Dir: "#", Data: "(transcript truncated)"})
	}
}

// clean bounds a line for the evidence and escapes control bytes and invalid UTF-8.
func clean(s string) string { return checks.Printable(s, maxShown) }

// lineReader reads bounded lines: a line longer than maxLine, or more than maxBytes on the
// connection, is a protocol error rather than memory.
type lineReader struct {
	r      *bufio.Reader
	n      int          // bytes read so far
	onLine func(string) // sees every line read (the transcript)
}

func newLineReader(rd io.Reader, onLine func(string)) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(rd, maxLine), onLine: onLine}
}

// line reads one line without its line ending. A line cut short by the end of the stream
// is returned with io.ErrUnexpectedEOF.
func (lr *lineReader) line() (string, error) {
	b, err := lr.r.ReadSlice('\n')
	lr.n += len(b)
	switch {
	case errors.Is(err, bufio.ErrBufferFull):
		lr.seen(string(b))
		return "", checks.Protocolf("line longer than %d bytes", maxLine)
	case lr.n > maxBytes:
		return "", checks.Protocolf("more than %d bytes on one connection", maxBytes)
	case err != nil && len(b) > 0:
		lr.seen(string(b))
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return "", fmt.Errorf("line cut short: %w", err)
	case err != nil:
		return "", err
	}
	s := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	lr.seen(s)
	return s, nil
}

// bytes reads exactly n bytes (an IMAP literal).
func (lr *lineReader) bytes(n int) (string, error) {
	if n > maxLiteral || lr.n+n > maxBytes {
		return "", checks.Protocolf("literal of %d bytes is too long", n)
	}
	b := make([]byte, n)
	k, err := io.ReadFull(lr.r, b)
	lr.n += k
	if err != nil {
		return "", fmt.Errorf("literal cut short: %w", err)
	}
	return string(b), nil
}

func (lr *lineReader) seen(s string) {
	if lr.onLine != nil {
		lr.onLine(s)
	}
}

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
		tr.add("#", "connect to "+ap.String()+": "+err.Error())
		return nil, fmt.Errorf("connect: %w", err)
	}
	tr.add("#", "connected to "+ap.String()+" from "+conn.LocalAddr().String())
	return newSession(ctx, conn, timeout, tr), nil
}

func newSession(ctx context.Context, conn net.Conn, timeout time.Duration, tr *transcript) *session {
	s := &session{ctx: ctx, conn: conn, timeout: timeout, tr: tr}
	s.lr = newLineReader(conn, s.server)
	// A canceled scan cuts the exchange in progress short.
	s.stop = context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	return s
}

func (s *session) server(line string) { s.tr.add("S", line) }

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
	s.tr.add("C", cmd)
	if _, err := io.WriteString(s.conn, cmd+"\r\n"); err != nil {
		return fmt.Errorf("send %s: %w", firstWord(cmd), err)
	}
	return nil
}

// upgrade runs a TLS handshake over the connection (after STLS/STARTTLS was accepted, or at
// once for implicit TLS). Bytes the server sent before the handshake are discarded and
// noted: a server (or a man in the middle) that injects commands there is a known attack.
func (s *session) upgrade(host string) (tls.ConnectionState, int, error) {
	injected := s.lr.r.Buffered()
	if injected > 0 {
		s.tr.add("#", fmt.Sprintf("%d bytes arrived before the TLS handshake; discarded", injected))
	}
	if err := s.begin(); err != nil {
		return tls.ConnectionState{}, injected, err
	}
	tc := tls.Client(s.conn, clientTLS(host))
	if err := tc.HandshakeContext(s.ctx); err != nil {
		s.tr.add("#", "TLS handshake failed: "+err.Error())
		return tls.ConnectionState{}, injected, fmt.Errorf("TLS handshake: %w", err)
	}
	st := tc.ConnectionState()
	s.tr.add("#", "TLS handshake done: "+tlsSummary(st))
	s.conn = tc
	s.lr = newLineReader(tc, s.server)
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
		s.tr.add("#", fmt.Sprintf("no complete answer within %s", s.timeout))
	case checks.StatusReset:
		s.tr.add("#", "connection closed by the server: "+err.Error())
	default:
		s.tr.add("#", err.Error())
	}
}

func firstWord(s string) string {
	if i := strings.IndexByte(s, ' '); i >= 0 {
		return s[:i]
	}
	return s
}
