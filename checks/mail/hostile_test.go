package mail

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

// Hostile peers: each dialogue ends within its timeout, with a clear status and a bounded
// transcript.
func TestHostilePeers(t *testing.T) {
	for _, tc := range []struct {
		name   string
		handle func(net.Conn)
		want   checks.Status
	}{
		{"one byte at a time, slowly", func(c net.Conn) {
			for _, b := range []byte("+OK slow greeting that never ends\r\n") {
				if _, err := c.Write([]byte{b}); err != nil {
					return
				}
				time.Sleep(100 * time.Millisecond)
			}
		}, checks.StatusTimeout},
		{"endless line", func(c net.Conn) {
			chunk := []byte(strings.Repeat("A", 1024))
			io.WriteString(c, "+OK ")
			for {
				if _, err := c.Write(chunk); err != nil {
					return
				}
			}
		}, checks.StatusProtocolError},
		{"close mid-reply", func(c net.Conn) {
			io.WriteString(c, "+OK Dove")
		}, checks.StatusReset},
		{"endless CAPA", func(c net.Conn) {
			io.WriteString(c, "+OK ready\r\n")
			c.Read(make([]byte, 64))
			io.WriteString(c, "+OK\r\n")
			for {
				if _, err := io.WriteString(c, "X-CAP\r\n"); err != nil {
					return
				}
			}
		}, checks.StatusProtocolError},
		{"garbage", func(c net.Conn) {
			c.Write([]byte{0x16, 0x03, 0x01, 0x00, 0x05, '\n'})
		}, checks.StatusProtocolError},
		{"silence", func(c net.Conn) {
			c.Read(make([]byte, 1))
		}, checks.StatusTimeout},
	} {
		t.Run(tc.name, func(t *testing.T) {
			port := listen(t, tc.handle)
			o := observeFake(t, "pop3", port, false, 300*time.Millisecond)
			if o.Status != tc.want {
				t.Errorf("status %s (%s), want %s", o.Status, o.Error, tc.want)
			}
			size := 0
			for _, l := range o.Transcript {
				size += len(l.Data)
			}
			if len(o.Transcript) > maxTranscript+1 || size > (maxTranscript+1)*(4*maxShown+32) {
				t.Errorf("transcript of %d lines, %d bytes: not bounded", len(o.Transcript), size)
			}
			if ev := BuildEvidence(o, time.Now()); !strings.Contains(ev[0].Data, "result: status "+string(tc.want)) {
				t.Errorf("evidence does not state the status:\n%s", ev[0].Data)
			}
		})
	}
}

// A canceled scan ends the dialogue in progress with status canceled.
func TestCanceled(t *testing.T) {
	accepted := make(chan struct{})
	port := listen(t, func(c net.Conn) {
		close(accepted)
		c.Read(make([]byte, 1)) // never greets
	})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-accepted; cancel() }()
	o := Observe(ctx, testDialer(), service("imap", port, false), time.Minute)
	if o.Status != checks.StatusCanceled {
		t.Errorf("status %s (%s), want canceled", o.Status, o.Error)
	}
}

// A refused connection is recorded, not returned.
func TestRefused(t *testing.T) {
	port := int(checktest.ClosedPort(t).Port())
	o := observeFake(t, "pop3", port, false, time.Second)
	if o.Status != checks.StatusRefused {
		t.Errorf("status %s (%s), want refused", o.Status, o.Error)
	}
	if got := Evaluate(o, time.Now()); len(got) != 0 {
		t.Errorf("findings %v, want none for an endpoint that was not reached", got)
	}
}
