package demo

import (
	"bufio"
	"context"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"
)

// startSite starts a site for one test and closes it when the test ends.
func startSite(t *testing.T) *Site {
	t.Helper()
	s, err := Start(context.Background(), t.TempDir())
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// endpoint returns where a service of the site listens.
func endpoint(t *testing.T, s *Site, service string) string {
	t.Helper()
	for _, e := range s.Endpoints {
		if e.Service == service {
			return e.Addr
		}
	}
	t.Fatalf("no %s endpoint in %v", service, s.Endpoints)
	return ""
}

// client is a line-protocol test client.
type client struct {
	t *testing.T
	c net.Conn
	r *bufio.Reader
}

func dial(t *testing.T, addr string) *client {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	_ = c.SetDeadline(time.Now().Add(20 * time.Second))
	t.Cleanup(func() { c.Close() })
	return &client{t: t, c: c, r: bufio.NewReader(c)}
}

// line reads one line without its CR LF.
func (c *client) line() string {
	c.t.Helper()
	l, err := c.r.ReadString('\n')
	if err != nil {
		c.t.Fatalf("read: %v (got %q)", err, l)
	}
	return strings.TrimRight(l, "\r\n")
}

// reply reads an SMTP/FTP reply, multi-line replies joined with "\n".
func (c *client) reply() string {
	c.t.Helper()
	var lines []string
	for {
		l := c.line()
		lines = append(lines, l)
		if len(l) < 4 || l[3] != '-' {
			return strings.Join(lines, "\n")
		}
	}
}

func (c *client) send(cmd string) {
	c.t.Helper()
	if _, err := c.c.Write([]byte(cmd + "\r\n")); err != nil {
		c.t.Fatalf("send %q: %v", cmd, err)
	}
}

// cmd sends a command and returns the SMTP/FTP reply.
func (c *client) cmd(cmd string) string {
	c.t.Helper()
	c.send(cmd)
	return c.reply()
}

// siteFrames mark the goroutines of a site: its own servers, miekg/dns's and net/http's.
var siteFrames = []string{
	"ecscan/cmd/ecscan/internal/demo.(*tracker)",
	"ecscan/cmd/ecscan/internal/demo.serve",
	"ecscan/cmd/ecscan/internal/demo.(*Site)",
	"github.com/miekg/dns.(*Server)",
	"net/http.(*conn).serve",
	"net/http.(*Server).Serve",
}

// siteGoroutines returns the stacks of the goroutines of any site still running.
// Goroutines end a little after the calls that stop them return (their deferred calls
// run), so the stacks are read until none is left or 10 s have passed.
func siteGoroutines() []string {
	var left []string
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		buf := make([]byte, 4<<20)
		buf = buf[:runtime.Stack(buf, true)]
		left = nil
		for _, g := range strings.Split(string(buf), "\n\n") {
			if strings.Contains(g, "demo.TestCloseStopsEverything") {
				continue
			}
			for _, f := range siteFrames {
				if strings.Contains(g, f) {
					left = append(left, g)
					break
				}
			}
		}
		if len(left) == 0 || time.Now().After(deadline) {
			return left
		}
	}
}
