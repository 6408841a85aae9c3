package smtp

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"ecscan/checks"
)

// hostile starts a listener whose every connection is handed to serve.
func hostile(t *testing.T, serve func(c net.Conn)) netip.AddrPort {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(20 * time.Second))
				serve(c)
			}()
		}
	}()
	return netip.MustParseAddrPort(ln.Addr().String())
}

// greetThen sends a banner, reads the client's EHLO and calls then.
func greetThen(then func(c net.Conn)) func(c net.Conn) {
	return func(c net.Conn) {
		io.WriteString(c, "220 mail.shop.test ESMTP\r\n")
		if _, err := bufio.NewReader(c).ReadString('\n'); err == nil {
			then(c)
		}
	}
}

// flood writes chunk until the client goes away.
func flood(c net.Conn, chunk string) {
	for {
		if _, err := io.WriteString(c, chunk); err != nil {
			return
		}
	}
}

// TestHostilePeers: every hostile server ends the check within its deadlines, with a status
// that says what happened and bounded data kept.
func TestHostilePeers(t *testing.T) {
	tests := []struct {
		name  string
		serve func(c net.Conn)
		want  checks.Status
	}{
		{"one byte a second", func(c net.Conn) {
			for _, b := range []byte("220 mail.shop.test ESMTP\r\n") {
				if _, err := c.Write([]byte{b}); err != nil {
					return
				}
				time.Sleep(time.Second)
			}
		}, checks.StatusTimeout},
		{"silent", func(c net.Conn) { io.Copy(io.Discard, c) }, checks.StatusTimeout},
		{"endless banner line", func(c net.Conn) { flood(c, "220 "+strings.Repeat("a", 1000)) }, checks.StatusProtocolError},
		{"endless EHLO reply", greetThen(func(c net.Conn) { flood(c, "250-"+strings.Repeat("b", 70)+"\r\n") }), checks.StatusProtocolError},
		{"close mid-reply", greetThen(func(c net.Conn) { io.WriteString(c, "250-mail.shop.test\r\n250-SIZ") }), checks.StatusReset},
		{"garbage", func(c net.Conn) { c.Write([]byte("\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\r\n")) }, checks.StatusProtocolError},
		{"close at once", func(c net.Conn) {}, checks.StatusReset},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, obs := runOne(t, Config{Timeout: 500 * time.Millisecond}, service(hostile(t, tc.serve), false))
			if res.Status != tc.want {
				t.Errorf("status %s (%s), want %s", res.Status, res.Error, tc.want)
			}
			if res.Error == "" || !strings.Contains(res.Error, "127.0.0.1:") {
				t.Errorf("error %q does not name the address", res.Error)
			}
			if obs.Relay != nil || obs.VRFY != nil {
				t.Error("tests ran after the session failed")
			}
			kept := 0
			for _, d := range obs.Dialogues {
				for _, l := range d.Lines {
					kept += len(l.Text)
				}
			}
			if kept > MaxReplyBytes+MaxLineBytes {
				t.Errorf("kept %d bytes of a hostile dialogue", kept)
			}
		})
	}
}

// TestCanceled: a scan interrupted while a server keeps silent ends with status canceled.
func TestCanceled(t *testing.T) {
	ap := hostile(t, func(c net.Conn) { io.Copy(io.Discard, c) })
	ctx, cancel := context.WithCancel(context.Background())
	env := &checks.Env{Services: []checks.Service{service(ap, false)}, Dialer: checks.NewDialer(checks.DefaultLimits(), netip.Addr{}), Now: clock()}
	done := make(chan checks.Result, 1)
	go New(Config{Timeout: time.Minute}).Run(ctx, env, func(r checks.Result) { done <- r })
	time.AfterFunc(50*time.Millisecond, cancel)
	if r := <-done; r.Status != checks.StatusCanceled {
		t.Errorf("status %s (%s), want canceled", r.Status, r.Error)
	}
}
