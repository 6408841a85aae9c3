package ftp

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"ecscan/checks"
)

// Hostile peers: each dialogue ends within its timeout, with a clear status and bounded
// evidence.
func TestHostilePeers(t *testing.T) {
	for _, tc := range []struct {
		name   string
		handle func(net.Conn)
		want   checks.Status
	}{
		{"one byte at a time, slowly", func(c net.Conn) {
			for _, b := range []byte("220 slow banner that never ends\r\n") {
				if _, err := c.Write([]byte{b}); err != nil {
					return
				}
				time.Sleep(100 * time.Millisecond)
			}
		}, checks.StatusTimeout},
		{"endless line", func(c net.Conn) {
			io.WriteString(c, "220 ")
			chunk := []byte(strings.Repeat("A", 1024))
			for {
				if _, err := c.Write(chunk); err != nil {
					return
				}
			}
		}, checks.StatusProtocolError},
		{"endless multi-line reply", func(c net.Conn) {
			io.WriteString(c, "220-welcome\r\n")
			for {
				if _, err := io.WriteString(c, "220-more\r\n"); err != nil {
					return
				}
			}
		}, checks.StatusProtocolError},
		{"close mid-reply", func(c net.Conn) {
			io.WriteString(c, "220 (vsFT")
		}, checks.StatusReset},
		{"close mid-dialogue", func(c net.Conn) {
			io.WriteString(c, "220 ready\r\n")
			c.Read(make([]byte, 64))
			io.WriteString(c, "211-Features:\r\n EPSV\r\n")
		}, checks.StatusReset},
		{"421 greeting", func(c net.Conn) {
			io.WriteString(c, "421 There are too many connected users, please try later.\r\n")
		}, checks.StatusReset},
		{"not FTP", func(c net.Conn) {
			io.WriteString(c, "SSH-2.0-OpenSSH_9.2p1\r\n")
		}, checks.StatusProtocolError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			port := listen(t, tc.handle)
			o := observeFake(t, port, Config{Timeout: 300 * time.Millisecond})
			if o.Status != tc.want {
				t.Errorf("status %s (%s), want %s", o.Status, o.Error, tc.want)
			}
			if n := len(o.Transcript); n > maxTranscript+1 {
				t.Errorf("transcript of %d lines: not bounded", n)
			}
			for _, ev := range BuildEvidence(o, testNow()) {
				if len(ev.Data) > (maxTranscript+50)*(4*maxShown+40) {
					t.Errorf("evidence %s of %d bytes: not bounded", ev.ID, len(ev.Data))
				}
			}
		})
	}
}

// A data connection that never ends is cut off at maxData bytes; the dialogue goes on.
func TestEndlessListing(t *testing.T) {
	var mu sync.Mutex
	var got []string
	port := listen(t, func(c net.Conn) {
		c.SetDeadline(time.Now().Add(10 * time.Second))
		r := bufio.NewReader(c)
		say := func(s string) { io.WriteString(c, s+"\r\n") }
		say("220 ready")
		var ln net.Listener
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimSpace(line)
			mu.Lock()
			got = append(got, line)
			mu.Unlock()
			switch verb(line) {
			case "USER":
				say("230 Welcome, anyone.")
			case "EPSV":
				ln, _ = net.Listen("tcp", "127.0.0.1:0")
				say(fmt.Sprintf("229 Entering Extended Passive Mode (|||%d|)", ln.Addr().(*net.TCPAddr).Port))
			case "FEAT":
				say("211-Features:\r\n EPSV\r\n211 End")
			case "LIST":
				dc, err := ln.Accept()
				if err != nil {
					return
				}
				say("150 Here it comes")
				line := []byte(strings.Repeat("drwxrwxrwx 2 0 0 4096 Jan 01 12:00 d\r\n", 100))
				for {
					if _, err := dc.Write(line); err != nil {
						break
					}
				}
				dc.Close()
				say("426 Transfer aborted")
			case "QUIT":
				say("221 Bye")
				return
			default:
				say("500 No.")
			}
		}
	})
	o := observeFake(t, port, Config{Timeout: 2 * time.Second, PassiveSamples: 1})
	l := o.Listing
	if l == nil || !l.Truncated || l.Read || len(l.Entries) != maxEntries || len(l.Writable) != maxEntries {
		t.Fatalf("listing %+v: want it cut off, not read whole, %d entries kept", l, maxEntries)
	}
	if o.Status != checks.StatusOK {
		t.Errorf("status %s (%s), want ok: the dialogue goes on", o.Status, o.Error)
	}
	mu.Lock()
	defer mu.Unlock()
	if i := slices.Index(got, "LIST"); i < 0 || i+1 >= len(got) || got[i+1] != "QUIT" {
		t.Errorf("commands %q: want QUIT after the cut-off LIST", got)
	}
}

// A canceled scan ends the dialogue in progress with status canceled.
func TestCanceled(t *testing.T) {
	accepted := make(chan struct{})
	port := listen(t, func(c net.Conn) {
		close(accepted)
		c.Read(make([]byte, 1))
	})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-accepted; cancel() }()
	o := Observe(ctx, testDialer(), service(port, false), Config{Timeout: time.Minute}, testNow)
	if o.Status != checks.StatusCanceled {
		t.Errorf("status %s (%s), want canceled", o.Status, o.Error)
	}
}
