//go:build unix

// Package checktest holds helpers for the checks' tests.
package checktest

import (
	"net/netip"
	"syscall"
	"testing"
)

// ClosedPort returns a TCP address on 127.0.0.1 where nothing listens and nothing can
// start listening until the test ends: the port is held by a socket that is bound but
// not listening, so a connection to it is refused (RST) while the kernel gives the port
// to no other socket — a test running beside this one cannot pick it by chance, as it
// could a port that was listened on and closed.
func ClosedPort(tb testing.TB) netip.AddrPort {
	tb.Helper()
	fd, port := bound(tb, syscall.SOCK_STREAM, 0)
	tb.Cleanup(func() { syscall.Close(fd) })
	return netip.AddrPortFrom(loopback, uint16(port))
}

// ClosedUDPPort returns an address on 127.0.0.1 where nothing answers over UDP (a
// datagram to it draws an ICMP port unreachable) nor TCP (refused), held for the test
// as ClosedPort holds its port. The UDP socket is connected to another port, so the
// kernel gives it no datagram from elsewhere.
func ClosedUDPPort(tb testing.TB) netip.AddrPort {
	tb.Helper()
	for range 50 {
		ufd, port := bound(tb, syscall.SOCK_DGRAM, 0)
		if err := syscall.Connect(ufd, &syscall.SockaddrInet4{Port: 9, Addr: [4]byte{127, 0, 0, 1}}); err != nil {
			syscall.Close(ufd)
			tb.Fatalf("connect a UDP socket: %v", err)
		}
		tfd, _, err := bind(syscall.SOCK_STREAM, port)
		if err != nil {
			syscall.Close(ufd) // the TCP port is taken: try another
			continue
		}
		tb.Cleanup(func() { syscall.Close(ufd); syscall.Close(tfd) })
		return netip.AddrPortFrom(loopback, uint16(port))
	}
	tb.Fatal("no port free for both UDP and TCP on 127.0.0.1")
	return netip.AddrPort{}
}

var loopback = netip.AddrFrom4([4]byte{127, 0, 0, 1})

func bound(tb testing.TB, typ, port int) (int, int) {
	tb.Helper()
	fd, port, err := bind(typ, port)
	if err != nil {
		tb.Fatalf("hold a port on 127.0.0.1: %v", err)
	}
	return fd, port
}

// bind makes a socket of type typ bound to 127.0.0.1:port (0: the kernel picks) without
// SO_REUSEADDR, so no other socket can bind that port while it is open.
func bind(typ, port int) (fd, got int, err error) {
	syscall.ForkLock.RLock()
	fd, err = syscall.Socket(syscall.AF_INET, typ, 0)
	if err == nil {
		syscall.CloseOnExec(fd)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return -1, 0, err
	}
	if err = syscall.Bind(fd, &syscall.SockaddrInet4{Port: port, Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		syscall.Close(fd)
		return -1, 0, err
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		syscall.Close(fd)
		return -1, 0, err
	}
	return fd, sa.(*syscall.SockaddrInet4).Port, nil
}
