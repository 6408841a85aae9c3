//go:build linux

package ports

import (
	"context"
	"net"
	"strconv"
	"syscall"
	"testing"
	"time"

	"ecscan/checks"
)

// fullBacklog returns a port whose listener never accepts and whose accept queue is full:
// Linux drops further SYNs, so connections to it time out, like a filtered port.
func fullBacklog(t *testing.T) int {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
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
	port := sa.(*syscall.SockaddrInet4).Port
	filler, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { filler.Close() })
	return port
}

func TestFilteredPort(t *testing.T) {
	port := fullBacklog(t)
	env := testEnv("localhost")
	l := env.Dialer.Limits()
	l.ConnectTimeout = 200 * time.Millisecond
	env.Dialer = checks.NewDialer(l, env.Dialer.Source())
	var got []checks.Result
	cfg := Config{Ports: []int{port}, Retries: 1, ServiceTimeout: time.Second}
	if err := New(cfg).Run(context.Background(), env, func(r checks.Result) { got = append(got, r) }); err != nil {
		t.Fatal(err)
	}
	obs := got[0].Data.(*Observation)
	if obs.Filtered != 1 || obs.Open != 0 || obs.FilteredPorts != strconv.Itoa(port) {
		t.Errorf("filtered %d (%q) open %d, want 1 (%d) 0", obs.Filtered, obs.FilteredPorts, obs.Open, port)
	}
}
