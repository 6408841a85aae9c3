//go:build linux

package ports

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"ecscan/checks"
)

// fullListener returns a listening socket on 127.0.0.1 whose accept queue is full (one
// connection waits in it): Linux drops further SYNs until that one is accepted, so a
// connect to it stays in progress. accept takes the waiting connection.
func fullListener(t *testing.T) (port int, accept func()) {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Listen(fd, 0); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	port = sa.(*syscall.SockaddrInet4).Port
	filler, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { filler.Close() })
	return port, func() {
		if nfd, _, err := syscall.Accept(fd); err == nil {
			syscall.Close(nfd)
		}
	}
}

// withWaitHook sets testHookWaitConnect for the test and reports whether it ran.
func withWaitHook(t *testing.T, h func()) *bool {
	ran := new(bool)
	testHookWaitConnect = func() { *ran = true; h() }
	t.Cleanup(func() { testHookWaitConnect = nil })
	return ran
}

// A connect the kernel cannot answer at once is waited for with the runtime poller: here
// the listener's queue has room again once the wait has begun, and the retransmitted SYN
// connects.
func TestConnectWaitsForTheAnswer(t *testing.T) {
	port, accept := fullListener(t)
	ran := withWaitHook(t, accept)
	l := checks.DefaultLimits()
	l.ConnectTimeout = hangGuard
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	c, err := connectTCP(ctx, checks.NewDialer(l, netip.Addr{}), netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(port)))
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	c.Close()
	if !*ran {
		t.Error("the connect did not wait: the test did not cover the poller's path")
	}
}

func TestConnectWaitEnds(t *testing.T) {
	tests := []struct {
		name    string
		timeout time.Duration
		cancel  bool
		state   portState
		status  checks.Status
	}{
		{"the connect timeout passes", 100 * time.Millisecond, false, stateFiltered, checks.StatusTimeout},
		{"the context is canceled", hangGuard, true, stateUnscanned, checks.StatusCanceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			port, _ := fullListener(t)
			ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
			defer cancel()
			ran := withWaitHook(t, func() {
				if tt.cancel {
					cancel()
				}
			})
			l := checks.DefaultLimits()
			l.ConnectTimeout = tt.timeout
			c, err := connectTCP(ctx, checks.NewDialer(l, netip.Addr{}), netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(port)))
			if err == nil {
				c.Close()
				t.Fatal("connected, want an error")
			}
			if !*ran {
				t.Error("the connect did not wait: the test did not cover the poller's path")
			}
			if got := dialOutcome(err); got != tt.state {
				t.Errorf("error %v: outcome %d, want %d", err, got, tt.state)
			}
			if got := checks.Classify(err); got != tt.status {
				t.Errorf("error %v: status %s, want %s", err, got, tt.status)
			}
			var oe *net.OpError
			if !errors.As(err, &oe) || oe.Op != "dial" {
				t.Errorf("error %v (%T), want a dial *net.OpError", err, err)
			}
		})
	}
}

// selfConn returns a socket connected to itself, as the kernel sometimes makes one on
// loopback: bound to a port of 127.0.0.1 the kernel picks, it connects to that same
// address and port.
func selfConn(t *testing.T) net.Conn {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		syscall.Close(fd)
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		syscall.Close(fd)
		t.Fatal(err)
	}
	if err := syscall.Connect(fd, sa); err != nil {
		syscall.Close(fd)
		t.Fatalf("self-connect: %v", err)
	}
	c, err := fileConn(fd)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestSelfConnected(t *testing.T) {
	if c := selfConn(t); !selfConnected(c) {
		t.Errorf("%s -> %s: not recognised as connected to itself", c.LocalAddr(), c.RemoteAddr())
	}
	port := listen(t, func(net.Conn) {})
	c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if selfConnected(c) {
		t.Errorf("%s -> %s: taken for a connection to itself", c.LocalAddr(), c.RemoteAddr())
	}
}

// A connect that ends connected to itself is no open port: the scan connects again, and
// a port that keeps doing so is closed.
func TestProbeSelfConnect(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	tests := []struct {
		name    string
		answers []string // "self", "refused", "open", one per connect
		want    portState
	}{
		{"then refused", []string{"self", "refused"}, stateClosed},
		{"then a server", []string{"self", "open"}, stateOpen},
		{"every time", []string{"self", "self", "self", "open"}, stateClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			server := listen(t, func(net.Conn) {})
			dials := 0
			var opened []net.Conn
			s := &scanner{
				dialer: checks.NewDialer(checks.DefaultLimits(), netip.Addr{}), ports: []uint16{1},
				onOpen: func(_ *hostScan, _ int, c net.Conn) { opened = append(opened, c) },
				connect: func(context.Context, netip.AddrPort) (net.Conn, error) {
					a := tt.answers[dials]
					dials++
					switch a {
					case "self":
						return selfConn(t), nil
					case "open":
						return net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(server))
					}
					return nil, refused
				},
			}
			h := newHostScan(checks.Target{Host: "localhost", Addr: netip.MustParseAddr("127.0.0.1")}, 1)
			var busy atomic.Int64
			got := s.probe(context.Background(), h, 0, &busy)
			for _, c := range opened {
				c.Close()
			}
			if got != tt.want {
				t.Errorf("state %d, want %d", got, tt.want)
			}
			if want := min(len(tt.answers), maxSelfConnects); dials != want {
				t.Errorf("%d connects, want %d", dials, want)
			}
			if (got == stateOpen) != (len(opened) == 1) || len(opened) > 1 {
				t.Errorf("%d connections handed to identification, state %d", len(opened), got)
			}
		})
	}
}
