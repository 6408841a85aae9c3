package checks

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		err  error
		want Status
	}{
		{nil, StatusOK},
		{context.Canceled, StatusCanceled},
		{fmt.Errorf("dial: %w", context.DeadlineExceeded), StatusTimeout},
		{os.ErrDeadlineExceeded, StatusTimeout},
		{&net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}, StatusRefused},
		{&net.OpError{Op: "read", Err: syscall.ECONNRESET}, StatusReset},
		{io.ErrUnexpectedEOF, StatusReset},
		{&net.OpError{Op: "dial", Err: syscall.EHOSTUNREACH}, StatusUnreachable},
		{fmt.Errorf("smtp: %w", Protocolf("line too long")), StatusProtocolError},
		{tls.RecordHeaderError{Msg: "bad"}, StatusTLSError},
		{errors.New("something else"), StatusError},
	}
	for _, tc := range tests {
		if got := Classify(tc.err); got != tc.want {
			t.Errorf("Classify(%v) = %s, want %s", tc.err, got, tc.want)
		}
	}
}

// TestDialerBoundsConcurrency opens many connections to one listener through a dialer with
// a per-address limit of 3 and checks that the client never held more than 3 at once.
func TestDialerBoundsConcurrency(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { io.Copy(io.Discard, c); c.Close() }()
		}
	}()
	d := NewDialer(Limits{Concurrency: 10, HostConcurrency: 3, ConnectTimeout: time.Second}, netip.Addr{})
	var open, peak atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := d.DialContext(context.Background(), "tcp", ln.Addr().String())
			if err != nil {
				t.Error(err)
				return
			}
			n := open.Add(1)
			for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
			}
			time.Sleep(10 * time.Millisecond)
			open.Add(-1)
			c.Close()
		}()
	}
	wg.Wait()
	if got := peak.Load(); got != 3 {
		t.Errorf("peak of connections held at once: %d, want 3", got)
	}
	if _, err := d.DialContext(context.Background(), "tcp", "localhost:80"); err == nil {
		t.Error("dialer accepted a name; it must only connect to addresses")
	}
}

func TestDialerSourceAddress(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan string, 1)
	go func() {
		c, err := ln.Accept()
		if err == nil {
			got <- c.RemoteAddr().(*net.TCPAddr).IP.String()
			c.Close()
		}
	}()
	d := NewDialer(DefaultLimits(), netip.MustParseAddr("127.0.99.1"))
	c, err := d.DialContext(context.Background(), "tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if src := <-got; src != "127.0.99.1" {
		t.Errorf("server saw %s, want 127.0.99.1", src)
	}
}

type fakeCheck struct {
	name string
	run  func(ctx context.Context, env *Env, emit func(Result)) error
}

func (f fakeCheck) Name() string { return f.name }
func (f fakeCheck) Run(ctx context.Context, env *Env, emit func(Result)) error {
	return f.run(ctx, env, emit)
}

func TestRunnerStagesEvidenceAndPanics(t *testing.T) {
	a := netip.MustParseAddr("127.0.0.1")
	first := fakeCheck{"ports", func(_ context.Context, _ *Env, emit func(Result)) error {
		emit(Result{Target: "www", Status: StatusOK, Services: []Service{{Host: "www", Addr: a, Port: 80, Protocol: "http"}},
			Evidence: []Evidence{{ID: "scan", Data: "x"}}, Findings: []Finding{{ID: "ports.open", Evidence: []string{"scan"}}}})
		return nil
	}}
	var seen []Service
	second := fakeCheck{"web", func(_ context.Context, env *Env, emit func(Result)) error {
		seen = env.Services
		return errors.New("bad config")
	}}
	boom := fakeCheck{"boom", func(context.Context, *Env, func(Result)) error { panic("bug") }}
	run := (&Runner{Stages: [][]Check{{first}, {second, boom}}}).Run(context.Background(), &Env{Now: time.Now})
	if len(seen) != 1 || seen[0].Port != 80 {
		t.Errorf("second stage saw services %v, want the first stage's", seen)
	}
	if len(run.Results) != 1 {
		t.Fatalf("results: %d", len(run.Results))
	}
	r := run.Results[0]
	if r.Check != "ports" || r.Evidence[0].ID != "ports:www:scan" || r.Findings[0].Evidence[0] != "ports:www:scan" || r.Findings[0].Check != "ports" {
		t.Errorf("result not normalised: %+v", r)
	}
	if run.Errors["web"] != "bad config" || run.Errors["boom"] == "" {
		t.Errorf("errors: %v", run.Errors)
	}
}

func TestSeverity(t *testing.T) {
	for _, name := range []string{"info", "low", "medium", "high", "critical", "HIGH"} {
		s, err := ParseSeverity(name)
		if err != nil {
			t.Errorf("ParseSeverity(%q): %v", name, err)
		}
		var back Severity
		if err := back.UnmarshalText([]byte(s.String())); err != nil || back != s {
			t.Errorf("round trip of %q: %v %v", name, back, err)
		}
	}
	if _, err := ParseSeverity("severe"); err == nil {
		t.Error("ParseSeverity accepted severe")
	}
}
