package ports

import (
	"context"
	"io"
	"net"
	"net/netip"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"ecscan/checks"
)

func TestScanOpenClosed(t *testing.T) {
	open := listen(t, scripted(nil, step{"", "RFB 003.008\n"}))
	closed := freePort(t)
	res := scanPorts(t, Config{ServiceTimeout: time.Second}, open, closed)
	obs := res.Data.(*Observation)
	if obs.Open != 1 || obs.Closed != 1 || obs.Filtered != 0 || obs.Requested != 2 {
		t.Errorf("open %d closed %d filtered %d requested %d, want 1 1 0 2", obs.Open, obs.Closed, obs.Filtered, obs.Requested)
	}
	if len(res.Services) != 1 || res.Services[0].Port != open || res.Services[0].Protocol != "vnc" {
		t.Errorf("services %+v, want vnc on %d", res.Services, open)
	}
	if res.Status != checks.StatusOK || res.Target != "localhost" || res.Addr != "127.0.0.1" {
		t.Errorf("result %s %s %s, want ok localhost 127.0.0.1", res.Status, res.Target, res.Addr)
	}
	if fs := findingsByID(res, "ports.remote-desktop"); len(fs) != 1 || fs[0].Outcome != checks.Fail || fs[0].Severity != checks.SevHigh {
		t.Errorf("ports.remote-desktop %+v, want one fail high", fs)
	}
	for _, f := range res.Findings {
		for _, ev := range f.Evidence {
			if !hasEvidence(res, ev) {
				t.Errorf("finding %s names evidence %q that the result lacks", f.ID, ev)
			}
		}
	}
}

func hasEvidence(res checks.Result, id string) bool {
	for _, e := range res.Evidence {
		if e.ID == id {
			return true
		}
	}
	return false
}

// The hostile servers: each identification ends (within its budget) with a bounded read.
func TestHostileServers(t *testing.T) {
	tests := []struct {
		name   string
		handle func(net.Conn)
		status checks.Status
	}{
		{"drips a byte a second", func(c net.Conn) {
			for _, b := range []byte("SSH-2.0-drip\r\n") {
				if _, err := c.Write([]byte{b}); err != nil {
					return
				}
				time.Sleep(time.Second)
			}
		}, checks.StatusOK},
		{"endless line", func(c net.Conn) {
			line := []byte(strings.Repeat("A", 4096))
			for {
				if _, err := c.Write(line); err != nil {
					return
				}
			}
		}, checks.StatusOK},
		{"accepts and says nothing", func(c net.Conn) {
			io.Copy(io.Discard, c)
		}, checks.StatusTimeout},
		{"garbage", func(c net.Conn) {
			c.Write([]byte{0, 1, 2, 0xff, 0xfe, 0x80, 0x16, 3, 9})
		}, checks.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			po := identifyWith(t, listen(t, tt.handle), 300*time.Millisecond, true)
			if po.Status != tt.status {
				t.Errorf("status %s (%s), want %s", po.Status, po.Error, tt.status)
			}
			if po.Service.Protocol != "unknown" {
				t.Errorf("protocol %q, want unknown", po.Service.Protocol)
			}
			if len(po.Service.Banner) > maxBanner {
				t.Errorf("banner of %d bytes, want at most %d", len(po.Service.Banner), maxBanner)
			}
			if len(po.Transcript) > maxTranscript+1 {
				t.Errorf("transcript of %d lines, want at most %d", len(po.Transcript), maxTranscript+1)
			}
			for _, l := range po.Transcript {
				if len(l.Data) > maxShown+64 {
					t.Errorf("transcript line of %d bytes, want at most %d", len(l.Data), maxShown+64)
				}
			}
			if len(po.Probes) > len(planFor(0)) {
				t.Errorf("probes %v: more than the plan", po.Probes)
			}
		})
	}
}

func TestHostileSSH(t *testing.T) {
	// Says SSH, then sends a packet announcing a huge length.
	port := listen(t, func(c net.Conn) {
		io.WriteString(c, "SSH-2.0-OpenSSH_9.9\r\n")
		c.Write([]byte{0x7f, 0xff, 0xff, 0xff, 4, 20})
		io.Copy(io.Discard, c)
	})
	po := identifyWith(t, port, 300*time.Millisecond, true)
	if po.Service.Protocol != "ssh" || po.SSH == nil {
		t.Fatalf("got %+v, want ssh", po)
	}
	if po.SSH.KexInit != nil || po.SSH.KexStatus != checks.StatusProtocolError {
		t.Errorf("kex %+v status %s, want none and protocol-error", po.SSH.KexInit, po.SSH.KexStatus)
	}
	if po.SSH.Auth == nil || po.SSH.Auth.Status == checks.StatusOK {
		t.Errorf("auth %+v, want a failure", po.SSH.Auth)
	}
}

func TestScanCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var got []checks.Result
	cfg := Config{Ports: []int{freePort(t), freePort(t)}, ServiceTimeout: time.Second}
	if err := New(cfg).Run(ctx, testEnv("localhost"), func(r checks.Result) { got = append(got, r) }); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if len(got) != 1 {
		t.Fatalf("got %d results, want 1", len(got))
	}
	obs := got[0].Data.(*Observation)
	if got[0].Status != checks.StatusCanceled || !obs.Interrupted || obs.Unscanned != obs.Requested {
		t.Errorf("status %s interrupted %v unscanned %d, want canceled true %d", got[0].Status, obs.Interrupted, obs.Unscanned, obs.Requested)
	}
	for _, f := range got[0].Findings {
		if f.Outcome == checks.Pass {
			t.Errorf("pass %s from an interrupted scan", f.ID)
		}
	}
}

func TestBadSourceAddress(t *testing.T) {
	env := testEnv("localhost")
	// Binding to an address this machine lacks fails locally, before any packet is sent.
	env.Dialer = checks.NewDialer(checks.DefaultLimits(), netip.MustParseAddr("192.0.2.1"))
	err := New(Config{Ports: []int{freePort(t)}}).Run(context.Background(), env, func(checks.Result) {})
	if err == nil || !strings.Contains(err.Error(), "source address") {
		t.Errorf("got %v, want a source address error", err)
	}
}

func TestBadConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
	}{
		{"no ports", Config{}},
		{"port 0", Config{Ports: []int{0}}},
		{"port 65536", Config{Ports: []int{65536}}},
		{"negative retries", Config{Ports: []int{1}, Retries: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := New(tt.cfg).Run(context.Background(), testEnv("localhost"), func(checks.Result) {}); err == nil {
				t.Error("got no error, want one")
			}
		})
	}
}

func TestDialOutcome(t *testing.T) {
	op := func(call string, errno syscall.Errno) error {
		return &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError(call, errno)}
	}
	tests := []struct {
		name string
		err  error
		want portState
		bad  bool
	}{
		{"refused", op("connect", syscall.ECONNREFUSED), stateClosed, false},
		{"host unreachable", op("connect", syscall.EHOSTUNREACH), stateUnreachable, false},
		{"timeout", &net.OpError{Op: "dial", Err: os.ErrDeadlineExceeded}, stateFiltered, false},
		{"canceled", context.Canceled, stateUnscanned, false},
		{"too many files", op("socket", syscall.EMFILE), stateError, false},
		{"file table full", op("socket", syscall.ENFILE), stateError, false},
		{"ephemeral ports exhausted", op("connect", syscall.EADDRNOTAVAIL), stateError, false},
		{"source address missing", op("bind", syscall.EADDRNOTAVAIL), stateError, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := dialOutcome(tt.err); got != tt.want {
				t.Errorf("dialOutcome = %d, want %d", got, tt.want)
			}
			if got := badSource(tt.err) != nil; got != tt.bad {
				t.Errorf("badSource = %v, want %v", got, tt.bad)
			}
		})
	}
}

func TestGrow(t *testing.T) {
	tests := []struct{ n, most, slow, want int }{
		{32, 1000, 0, 32},
		{32, 1000, 15, 32},
		{32, 1000, 16, 64},
		{512, 1000, 512, 1000},
		{1000, 1000, 1000, 1000},
	}
	for _, tt := range tests {
		if got := grow(tt.n, tt.most, tt.slow); got != tt.want {
			t.Errorf("grow(%d, %d, %d) = %d, want %d", tt.n, tt.most, tt.slow, got, tt.want)
		}
	}
}

// A rate-limited dialer makes connections wait: the scan still finishes with every port.
func TestScanRateLimited(t *testing.T) {
	all, open := portField(t, 120, 40)
	env := testEnv("localhost")
	l := env.Dialer.Limits()
	l.HostRate = 400
	env.Dialer = checks.NewDialer(l, netip.Addr{})
	var got []checks.Result
	cfg := Config{Ports: all, ServiceTimeout: time.Second}
	if err := New(cfg).Run(context.Background(), env, func(r checks.Result) { got = append(got, r) }); err != nil {
		t.Fatal(err)
	}
	obs := got[0].Data.(*Observation)
	if obs.Open != len(open) || obs.Closed != len(all)-len(open) {
		t.Errorf("open %d closed %d, want %d %d", obs.Open, obs.Closed, len(open), len(all)-len(open))
	}
}

// countProgress records the progress counters.
type countProgress struct {
	checks.NopProgress
	mu          sync.Mutex
	done, total int
}

func (p *countProgress) Add(kind string, done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if kind == "ports" {
		p.done += done
		p.total += total
	}
}

func TestProgress(t *testing.T) {
	all, _ := portField(t, 50, 10)
	env := testEnv("localhost")
	p := &countProgress{}
	env.Progress = p
	if err := New(Config{Ports: all, ServiceTimeout: time.Second}).Run(context.Background(), env, func(checks.Result) {}); err != nil {
		t.Fatal(err)
	}
	if p.done != len(all) || p.total != len(all) {
		t.Errorf("progress %d of %d, want %d of %d", p.done, p.total, len(all), len(all))
	}
}

// Canceling during an identification ends it and still emits the address's Result. The
// server greets as FTP, then keeps silent after FEAT; the test cancels once FEAT arrived.
func TestCancelDuringIdentification(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	feat := make(chan struct{}, 1)
	port := listen(t, func(c net.Conn) {
		io.WriteString(c, "220 ftp.test FTP server ready\r\n")
		buf := make([]byte, 64)
		if n, _ := c.Read(buf); strings.HasPrefix(string(buf[:n]), "FEAT") {
			feat <- struct{}{}
		}
		io.Copy(io.Discard, c) // silent from now on
	})
	go func() { <-feat; cancel() }()
	var got []checks.Result
	cfg := Config{Ports: []int{port}, ServiceTimeout: time.Hour}
	if err := New(cfg).Run(ctx, testEnv("localhost"), func(r checks.Result) { got = append(got, r) }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("got %d results, want 1", len(got))
	}
	obs := got[0].Data.(*Observation)
	if got[0].Status != checks.StatusCanceled || !obs.Interrupted || len(obs.Ports) != 1 {
		t.Fatalf("status %s, interrupted %v, ports %d; want canceled, true, 1", got[0].Status, obs.Interrupted, len(obs.Ports))
	}
	if p := obs.Ports[0].Service.Protocol; p != "ftp" {
		t.Errorf("protocol %q, want ftp (identified before the cancel)", p)
	}
}
