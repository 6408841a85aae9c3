//go:build unix

package checktest

import (
	"errors"
	"net"
	"syscall"
	"testing"
	"time"
)

func TestClosedPort(t *testing.T) {
	ap := ClosedPort(t)
	_, err := net.DialTimeout("tcp", ap.String(), time.Second)
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("dial %s: %v, want connection refused", ap, err)
	}
	if ln, err := net.Listen("tcp", ap.String()); err == nil {
		ln.Close()
		t.Errorf("listened on %s, a held port", ap)
	}
	if ln, err := net.Listen("tcp", net.JoinHostPort("0.0.0.0", ap.String()[len("127.0.0.1:"):])); err == nil {
		ln.Close()
		t.Errorf("listened on all addresses at the held port %d", ap.Port())
	}
}

func TestClosedUDPPort(t *testing.T) {
	ap := ClosedUDPPort(t)
	c, err := net.Dial("udp", ap.String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	if _, err = c.Read(make([]byte, 16)); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("UDP to %s: %v, want refused (ICMP port unreachable)", ap, err)
	}
	if pc, err := net.ListenPacket("udp", ap.String()); err == nil {
		pc.Close()
		t.Errorf("bound UDP %s, a held port", ap)
	}
	if _, err := net.DialTimeout("tcp", ap.String(), time.Second); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("TCP to %s: %v, want refused", ap, err)
	}
	if ln, err := net.Listen("tcp", ap.String()); err == nil {
		ln.Close()
		t.Errorf("listened on %s, a held port", ap)
	}
}
