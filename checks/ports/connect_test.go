package ports

import (
	"context"
	"io"
	"net"
	"net/netip"
	"testing"
	"time"

	"ecscan/checks"
)

// hangGuard is how long a test waits for something that must end (a scan, a connect)
// before it reports a hang; it never decides a result.
const hangGuard = 30 * time.Second

func TestConnectTCP(t *testing.T) {
	open := listen(t, scripted(nil, step{"", "RFB 003.008\n"}))
	closed := freePort(t)
	lo := netip.MustParseAddr("127.0.0.1")
	tests := []struct {
		name   string
		source netip.Addr
		port   int
		state  portState // dialOutcome of the error; stateOpen when it connects
		fatal  bool      // badSource recognises the error
	}{
		{"open", netip.Addr{}, open, stateOpen, false},
		{"closed", netip.Addr{}, closed, stateClosed, false},
		{"open from a source address", lo, open, stateOpen, false},
		{"closed from a source address", lo, closed, stateClosed, false},
		{"a source address that is not on this machine", netip.MustParseAddr("192.0.2.1"), open, stateError, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := checks.NewDialer(checks.DefaultLimits(), tt.source)
			ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
			defer cancel()
			c, err := connectTCP(ctx, d, netip.AddrPortFrom(lo, uint16(tt.port)))
			if err != nil {
				if got := dialOutcome(err); got != tt.state {
					t.Errorf("error %v: outcome %d, want %d", err, got, tt.state)
				}
				if got := badSource(err) != nil; got != tt.fatal {
					t.Errorf("error %v: bad source %v, want %v", err, got, tt.fatal)
				}
				return
			}
			defer c.Close()
			if tt.state != stateOpen {
				t.Fatalf("connected, want outcome %d", tt.state)
			}
			if got, want := c.RemoteAddr().String(), netip.AddrPortFrom(lo, uint16(tt.port)).String(); got != want {
				t.Errorf("remote address %s, want %s", got, want)
			}
			if tt.source.IsValid() {
				if got := c.LocalAddr().(*net.TCPAddr).AddrPort().Addr(); got != tt.source {
					t.Errorf("local address %s, want %s", got, tt.source)
				}
			}
			c.SetDeadline(time.Now().Add(hangGuard))
			buf := make([]byte, 12)
			if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "RFB 003.008\n" {
				t.Errorf("read %q, %v; want the greeting", buf, err)
			}
		})
	}
}

// Every connection gives its dialer slots back when it is closed, and a failed one at
// once: with one slot, a hundred connections in a row all get theirs.
func TestConnectTCPReleasesSlots(t *testing.T) {
	open := listen(t, func(net.Conn) {})
	closed := freePort(t)
	l := checks.DefaultLimits()
	l.Concurrency, l.HostConcurrency = 1, 1
	d := checks.NewDialer(l, netip.Addr{})
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	lo := netip.MustParseAddr("127.0.0.1")
	for i := range 100 {
		port := closed
		if i%2 == 0 {
			port = open
		}
		c, err := connectTCP(ctx, d, netip.AddrPortFrom(lo, uint16(port)))
		switch {
		case ctx.Err() != nil:
			t.Fatalf("connection %d: no slot (%v): an earlier connection kept its slot", i, err)
		case port == open && err != nil:
			t.Fatalf("connection %d to the open port: %v", i, err)
		case port == closed && dialOutcome(err) != stateClosed:
			t.Fatalf("connection %d to the closed port: %v, want refused", i, err)
		}
		if c != nil {
			c.Close()
		}
	}
}

func TestConnectTCPIPv6(t *testing.T) {
	ln, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback: %v", err)
	}
	defer ln.Close()
	go func() {
		if c, err := ln.Accept(); err == nil {
			c.Close()
		}
	}()
	ap := ln.Addr().(*net.TCPAddr).AddrPort()
	d := checks.NewDialer(checks.DefaultLimits(), netip.Addr{})
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	c, err := connectTCP(ctx, d, ap)
	if err != nil {
		t.Fatalf("connect to %s: %v", ap, err)
	}
	defer c.Close()
	if got := c.RemoteAddr().String(); got != ap.String() {
		t.Errorf("remote address %s, want %s", got, ap)
	}
}

func TestRawConnectable(t *testing.T) {
	v4, v6 := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("2001:db8::1")
	mapped := netip.MustParseAddr("::ffff:192.0.2.1")
	zoned := netip.MustParseAddr("fe80::1%lo")
	tests := []struct {
		src, dst netip.Addr
		want     bool
	}{
		{netip.Addr{}, v4, true},
		{netip.Addr{}, v6, true},
		{netip.Addr{}, mapped, true},
		{v4, v4, true},
		{v6, v6, true},
		{mapped, v4, true},
		{v4, v6, false},
		{v6, v4, false},
		{netip.Addr{}, zoned, false},
		{zoned, v6, false},
		{netip.Addr{}, netip.Addr{}, false},
	}
	for _, tt := range tests {
		if got := rawConnectable(tt.src, tt.dst); got != tt.want && rawConnectSupported {
			t.Errorf("rawConnectable(%s, %s) = %v, want %v", tt.src, tt.dst, got, tt.want)
		}
	}
}

// A scan whose pool cannot grow any more ends when its last port is done, without waiting
// for the pool controller's next look (here an hour away).
func TestScanEndsWithoutControllerTick(t *testing.T) {
	old := growEvery
	growEvery = time.Hour
	defer func() { growEvery = old }()
	var ports []int
	for range 64 { // more jobs than startWorkers, so that the controller runs
		ports = append(ports, freePort(t))
	}
	var got []checks.Result
	done := make(chan error, 1)
	go func() {
		done <- New(Config{Ports: ports, ServiceTimeout: time.Second}).Run(context.Background(), testEnv("localhost"), func(r checks.Result) { got = append(got, r) })
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
		obs := got[0].Data.(*Observation)
		if obs.Unscanned != 0 || obs.Closed+obs.Open != obs.Requested {
			t.Errorf("closed %d open %d unscanned %d of %d, want every port answered", obs.Closed, obs.Open, obs.Unscanned, obs.Requested)
		}
	case <-time.After(hangGuard):
		t.Fatal("Run did not return: it waits for the pool controller's tick")
	}
}
