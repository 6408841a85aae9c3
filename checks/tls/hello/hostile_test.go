package hello

import (
	"context"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"ecscan/checks"
	"ecscan/checks/checktest"
)

// drain reads what the client sends until it goes away.
func drain(c net.Conn) { io.Copy(io.Discard, io.LimitReader(c, 1<<20)) }

// TestHostile: every probe against a server that breaks the protocol ends within its
// timeout, and Enumerate returns an error that checks.Classify names.
func TestHostile(t *testing.T) {
	endless := func(c net.Conn) {
		// A ServerHello that claims 65535 bytes, in records that never stop coming.
		readClientHello(c)
		first := append([]byte{recordHandshake, 3, 3, 0x40, 0}, msgServerHello, 0, 0xff, 0xff)
		c.Write(append(first, make([]byte, 1<<14-4)...))
		for {
			if _, err := c.Write(append([]byte{recordHandshake, 3, 3, 0x40, 0}, make([]byte, 1<<14)...)); err != nil {
				return
			}
		}
	}
	for _, tt := range []struct {
		name   string
		handle func(net.Conn)
		want   checks.Status
	}{
		{"silent", drain, checks.StatusTimeout},
		{"slow drip", func(c net.Conn) {
			readClientHello(c)
			for _, b := range serverHelloMsg(TLS12, 0xC02F) {
				if _, err := c.Write([]byte{b}); err != nil {
					return
				}
				time.Sleep(100 * time.Millisecond)
			}
		}, checks.StatusTimeout},
		{"garbage", func(c net.Conn) {
			readClientHello(c)
			c.Write([]byte("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"))
		}, checks.StatusProtocolError},
		{"length 0xFFFF", func(c net.Conn) {
			readClientHello(c)
			for {
				if _, err := c.Write([]byte{recordHandshake, 3, 3, 0xff, 0xff}); err != nil {
					return
				}
			}
		}, checks.StatusProtocolError},
		{"endless record", endless, checks.StatusProtocolError},
		{"reset mid-handshake", func(c net.Conn) {
			readClientHello(c)
			msg := mkRecord(recordHandshake, TLS12, serverHelloMsg(TLS12, 0xC02F))
			c.Write(msg[:len(msg)/2])
			time.Sleep(50 * time.Millisecond)
			c.(*net.TCPConn).SetLinger(0)
		}, checks.StatusReset},
		{"closes at once", func(c net.Conn) {}, checks.StatusReset},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dial := listen(t, tt.handle)
			en, err := Enumerate(context.Background(), dial, Options{Timeout: 300 * time.Millisecond})
			if got := checks.Classify(err); got != tt.want {
				t.Errorf("Classify(%v) = %s, want %s", err, got, tt.want)
			}
			if en == nil || len(en.Transcript) == 0 {
				t.Fatalf("no transcript")
			}
			for v, r := range en.Versions {
				if r.Offered || len(r.Suites) > 0 {
					t.Errorf("%s offered: %+v", v, r)
				}
				// Every version is incomplete, except where the server closed at once,
				// which is an answer.
				if complete := r.Status == checks.StatusOK; complete != (tt.name == "closes at once") {
					t.Errorf("%s: status %s (%s)", v, r.Status, r.Error)
				}
			}
			if tt.want != checks.StatusReset && len(en.Transcript) != maxFailuresSilent {
				t.Errorf("%d probes, want %d before giving up:\n%s", len(en.Transcript), maxFailuresSilent, strings.Join(en.Transcript, "\n"))
			}
		})
	}
}

func TestUnreachable(t *testing.T) {
	addr := checktest.ClosedPort(t).String()
	_, err := Enumerate(context.Background(), dialTo(addr), Options{Timeout: time.Second, Versions: []Version{TLS12}})
	if got := checks.Classify(err); got != checks.StatusRefused {
		t.Errorf("Classify(%v) = %s, want refused", err, got)
	}
}

func TestCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dial := listen(t, func(c net.Conn) {
		readClientHello(c)
		cancel()
		drain(c)
	})
	en, err := Enumerate(ctx, dial, Options{Timeout: time.Minute})
	if got := checks.Classify(err); got != checks.StatusCanceled {
		t.Errorf("Classify(%v) = %s, want canceled", err, got)
	}
	if en == nil || len(en.Transcript) != 1 {
		t.Errorf("transcript %v, want the one probe that was cut short", en)
	}
}

func TestBadOptions(t *testing.T) {
	_, err := Enumerate(context.Background(), dialTo("127.0.0.1:1"), Options{Versions: []Version{0x0305}})
	if err == nil {
		t.Error("an unknown version: no error")
	}
}
