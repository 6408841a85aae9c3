package tls

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"ecscan/checks"
)

func TestParseCodeLine(t *testing.T) {
	tests := []struct {
		line     string
		code     int
		more, ok bool
	}{
		{"250-PIPELINING", 250, true, true},
		{"250 OK", 250, false, true},
		{"220", 220, false, true},
		{"550x", 0, false, false},
		{"099 no", 0, false, false},
		{"25", 0, false, false},
		{"abc def", 0, false, false},
		{"", 0, false, false},
	}
	for _, tc := range tests {
		code, more, ok := parseCodeLine(tc.line)
		if code != tc.code || more != tc.more || ok != tc.ok {
			t.Errorf("parseCodeLine(%q) = %d %v %v, want %d %v %v", tc.line, code, more, ok, tc.code, tc.more, tc.ok)
		}
	}
}

func TestReadCodeReply(t *testing.T) {
	tests := []struct {
		in    string
		code  int
		lines int
		err   bool
	}{
		{"250-a\r\n250-b\r\n250 c\r\n", 250, 3, false},
		{"220-Welcome\r\n  free text\r\n220 ready\r\n", 220, 3, false},
		{"220-Welcome\r\n221 other\r\n220 ready\r\n", 220, 3, false},
		{"502 no\n", 502, 1, false},
		{"hello\r\n", 0, 0, true},
		{"250-a\r\n", 0, 0, true}, // ends inside the reply
		{"250-x\r\n" + strings.Repeat("250-y\r\n", maxReply), 0, 0, true},
		{"220 " + strings.Repeat("z", maxLine+10) + "\r\n", 0, 0, true},
	}
	for _, tc := range tests {
		code, lines, err := readCodeReply(&lineReader{r: strings.NewReader(tc.in)}, recorder{})
		if code != tc.code || len(lines) != tc.lines || (err != nil) != tc.err {
			t.Errorf("readCodeReply(%.40q) = %d, %d lines, %v; want %d, %d, error %v", tc.in, code, len(lines), err, tc.code, tc.lines, tc.err)
		}
	}
}

func TestParseIMAPStatus(t *testing.T) {
	tests := []struct {
		line, status string
		done, err    bool
	}{
		{"a001 OK Begin TLS", "OK", true, false},
		{"a001 no thanks", "NO", true, false},
		{"a001 BAD", "BAD", true, false},
		{"* CAPABILITY IMAP4rev1", "", false, false},
		{"+ go on", "", false, false},
		{"a002 OK", "", false, true},
		{"a001 MAYBE", "", false, true},
	}
	for _, tc := range tests {
		status, done, err := parseIMAPStatus(tc.line, "a001")
		if status != tc.status || done != tc.done || (err != nil) != tc.err {
			t.Errorf("parseIMAPStatus(%q) = %q %v %v", tc.line, status, done, err)
		}
	}
}

// scriptConn is a connection whose server side is a fixed byte string; writes are kept.
type scriptConn struct {
	r    io.Reader
	sent bytes.Buffer
}

func (c *scriptConn) Read(p []byte) (int, error)  { return c.r.Read(p) }
func (c *scriptConn) Write(p []byte) (int, error) { return c.sent.Write(p) }
func (c *scriptConn) Close() error                { return nil }
func (c *scriptConn) LocalAddr() net.Addr {
	return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}
}
func (c *scriptConn) RemoteAddr() net.Addr             { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 2), Port: 25} }
func (c *scriptConn) SetDeadline(time.Time) error      { return nil }
func (c *scriptConn) SetReadDeadline(time.Time) error  { return nil }
func (c *scriptConn) SetWriteDeadline(time.Time) error { return nil }

func TestNegotiateScripts(t *testing.T) {
	tests := []struct {
		proto, server, sent string
		want                error // nil, a *RefusedError, or an error classified as protocol-error
	}{
		{"smtp", "220 hi\r\n250-x\r\n250 STARTTLS\r\n220 go\r\n", "EHLO [127.0.0.1]\r\nSTARTTLS\r\n", nil},
		{"smtp", "220 hi\r\n250 x\r\n454 TLS not available\r\n221 bye\r\n", "EHLO [127.0.0.1]\r\nSTARTTLS\r\nQUIT\r\n", &RefusedError{}},
		{"smtp", "220 hi\r\n550 go away\r\n", "EHLO [127.0.0.1]\r\nQUIT\r\n", &RefusedError{}},
		{"smtp", "554 no service\r\n", "", checks.Protocolf("")},
		{"smtp", "220 hi\r\n250 x\r\n220 go\r\nEXTRA", "EHLO [127.0.0.1]\r\nSTARTTLS\r\n", checks.Protocolf("")},
		{"pop3", "+OK hi\r\n+OK go\r\n", "STLS\r\n", nil},
		{"pop3", "+OK hi\r\n-ERR no\r\n", "STLS\r\nQUIT\r\n", &RefusedError{}},
		{"pop3", "* OK imap?\r\n", "", checks.Protocolf("")},
		{"imap", "* OK hi\r\n* BYE later\r\na001 OK go\r\n", "a001 STARTTLS\r\n", nil},
		{"imap", "* PREAUTH hi\r\n", "", &RefusedError{}},
		{"imap", "* OK hi\r\na001 NO\r\n", "a001 STARTTLS\r\na002 LOGOUT\r\n", &RefusedError{}},
		{"imap", "* OK hi\r\nb007 OK\r\n", "a001 STARTTLS\r\n", checks.Protocolf("")},
		{"ftp", "120 wait\r\n220 hi\r\n234 go\r\n", "AUTH TLS\r\n", nil},
		{"ftp", "220 hi\r\n530 no\r\n", "AUTH TLS\r\nQUIT\r\n", &RefusedError{}},
	}
	for _, tc := range tests {
		c := &scriptConn{r: strings.NewReader(tc.server)}
		d := &Dialogue{}
		err := negotiate(context.Background(), c, tc.proto, time.Second, recorder{d})
		if got := c.sent.String(); got != tc.sent {
			t.Errorf("%s %.30q: sent %q, want %q", tc.proto, tc.server, got, tc.sent)
		}
		var re *RefusedError
		switch tc.want.(type) {
		case nil:
			if err != nil {
				t.Errorf("%s %.30q: %v", tc.proto, tc.server, err)
			}
		case *RefusedError:
			if !errors.As(err, &re) {
				t.Errorf("%s %.30q: got %v, want a refusal", tc.proto, tc.server, err)
			}
		default:
			if checks.Classify(err) != checks.StatusProtocolError {
				t.Errorf("%s %.30q: got %v (%s), want a protocol error", tc.proto, tc.server, err, checks.Classify(err))
			}
		}
		if len(d.Lines) == 0 && tc.server != "" {
			t.Errorf("%s: nothing recorded", tc.proto)
		}
	}
}

// FuzzNegotiate feeds arbitrary server bytes to every upgrade dialogue: no panic, no hang,
// bounded reading.
func FuzzNegotiate(f *testing.F) {
	for _, s := range []string{
		"220 hi\r\n250-x\r\n250 STARTTLS\r\n220 go\r\n", "220-a\r\n b\r\n220 c\r\n234 ok\r\n", "+OK\r\n+OK\r\n",
		"* OK\r\n* x\r\na001 OK\r\n", "* PREAUTH\r\n", "\x16\x03\x01\x00\x02\x02\x28", "", "220 " + strings.Repeat("x", 3000),
	} {
		for p := range byte(4) {
			f.Add(p, []byte(s))
		}
	}
	protos := []string{"smtp", "pop3", "imap", "ftp"}
	f.Fuzz(func(t *testing.T, p byte, data []byte) {
		c := &scriptConn{r: bytes.NewReader(data)}
		d := &Dialogue{}
		negotiate(context.Background(), c, protos[int(p)%len(protos)], time.Second, recorder{d})
		if len(d.Lines) > maxDialogLog {
			t.Errorf("%d dialogue lines kept", len(d.Lines))
		}
		if c.sent.Len() > 200 {
			t.Errorf("sent %d bytes", c.sent.Len())
		}
	})
}

func TestLineReaderBounds(t *testing.T) {
	lr := &lineReader{r: strings.NewReader(strings.Repeat("x\n", maxDialogue))}
	var err error
	n := 0
	for err == nil && n < maxDialogue {
		_, err = lr.readLine()
		n++
	}
	if checks.Classify(err) != checks.StatusProtocolError || lr.total > maxDialogue {
		t.Errorf("after %d lines: %v, read %d bytes; want a protocol error within %d bytes", n, err, lr.total, maxDialogue)
	}
}
