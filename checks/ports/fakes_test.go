package ports

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"ecscan/checks"
	"ecscan/checks/checktest"
)

// listen starts a fake server on 127.0.0.1:0 that runs handle on every connection, and
// returns its port. The server and its connections end with the test.
func listen(t testing.TB, handle func(c net.Conn)) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Go(func() {
				defer c.Close()
				handle(c)
			})
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().(*net.TCPAddr).Port
}

// freePort returns a port of 127.0.0.1 where nothing listens, held for the test so no
// test running beside it can take it.
func freePort(t testing.TB) int {
	t.Helper()
	return int(checktest.ClosedPort(t).Port())
}

// step is one exchange of a scripted server: when the client sends a line starting with
// expect, the server answers reply ("" expect: answer at once, the greeting).
type step struct{ expect, reply string }

// scripted returns a handler that plays steps and records what the client sent.
func scripted(rec *recorder, steps ...step) func(net.Conn) {
	return func(c net.Conn) {
		r := bufio.NewReader(io.LimitReader(c, 1<<16))
		for _, s := range steps {
			if s.expect != "" {
				line, err := r.ReadString('\n')
				rec.add(line)
				if err != nil || !strings.HasPrefix(line, s.expect) {
					return
				}
			}
			if _, err := io.WriteString(c, s.reply); err != nil {
				return
			}
		}
		// then record whatever else comes, until the client closes
		for {
			line, err := r.ReadString('\n')
			if line != "" {
				rec.add(line)
			}
			if err != nil {
				return
			}
		}
	}
}

// recorder keeps the client's lines, for golden client bytes.
type recorder struct {
	mu    sync.Mutex
	lines []string
}

func (r *recorder) add(s string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	r.lines = append(r.lines, s)
	r.mu.Unlock()
}

func (r *recorder) all() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.lines...)
}

// testEnv is an Env over 127.0.0.1 named host, with short timeouts.
func testEnv(host string) *checks.Env {
	l := checks.DefaultLimits()
	l.ConnectTimeout = 2 * time.Second
	return &checks.Env{
		Hosts:  []checks.Host{{Name: host, Addrs: []netip.Addr{netip.MustParseAddr("127.0.0.1")}, InScope: true}},
		Dialer: checks.NewDialer(l, netip.Addr{}),
		Now:    func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) },
	}
}

// scanPorts runs the check over ports of 127.0.0.1 and returns its only Result.
func scanPorts(t testing.TB, cfg Config, ports ...int) checks.Result {
	t.Helper()
	cfg.Ports = ports
	var got []checks.Result
	err := New(cfg).Run(context.Background(), testEnv("localhost"), func(r checks.Result) { got = append(got, r) })
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if len(got) != 1 {
		t.Fatalf("got %d results, want 1", len(got))
	}
	return got[0]
}

// identifyWith identifies the service on port with the given plan (nil: planFor), as the
// check does after the scan connected.
func identifyWith(t testing.TB, port int, timeout time.Duration, ssh bool, plan ...probeID) PortObservation {
	t.Helper()
	env := testEnv("localhost")
	d := &identifier{dialer: env.Dialer, timeout: timeout, ssh: ssh}
	if plan != nil {
		d.planFn = func(int) []probeID { return plan }
	}
	tg := env.Targets()[0]
	c, err := d.dial(context.Background(), tg, port)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	return d.identify(context.Background(), tg, port, c)
}

func findingsByID(res checks.Result, id string) []checks.Finding {
	var out []checks.Finding
	for _, f := range res.Findings {
		if f.ID == id {
			out = append(out, f)
		}
	}
	return out
}
