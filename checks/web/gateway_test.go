package web

import (
	"context"
	"io"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/proxy"

	"ecscan/checks"
	"ecscan/checks/checktest"
)

// echoServer accepts connections and answers each with reply (then, if endless, zeros
// without end), reading nothing.
func echoServer(t *testing.T, reply string, endless bool) netip.AddrPort {
	t.Helper()
	return checktest.Serve(t, func(c net.Conn) {
		_, _ = io.WriteString(c, reply)
		if endless {
			buf := make([]byte, 32<<10)
			for {
				if _, err := c.Write(buf); err != nil {
					return
				}
			}
		}
	})
}

func testGateway(t *testing.T, rt map[string]netip.AddrPort, timeout time.Duration, maxDown int64) *gateway {
	t.Helper()
	d := checks.NewDialer(checks.DefaultLimits(), netip.Addr{})
	gw, err := startGateway(context.Background(), gatewayConfig{Routes: rt, Dial: d.DialContext, Timeout: timeout, MaxDown: maxDown})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(gw.Close)
	return gw
}

func socksDial(t *testing.T, gw *gateway, dest string) (net.Conn, error) {
	t.Helper()
	d, err := proxy.SOCKS5("tcp", strings.TrimPrefix(gw.URL(), "socks5://"), nil, proxy.Direct)
	if err != nil {
		t.Fatal(err)
	}
	return d.(proxy.ContextDialer).DialContext(context.Background(), "tcp", dest)
}

func TestGatewayRoutesNames(t *testing.T) {
	srv := echoServer(t, "hello from the shop\n", false)
	gw := testGateway(t, map[string]netip.AddrPort{"www.shop.test:80": srv}, 5*time.Second, 1<<20)
	c, err := socksDial(t, gw, "WWW.shop.test:80")
	if err != nil {
		t.Fatalf("dial through the gateway: %v", err)
	}
	defer c.Close()
	b, err := io.ReadAll(c)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), "hello from the shop\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestGatewayRefusesOtherDestinations(t *testing.T) {
	srv := echoServer(t, "x", false)
	gw := testGateway(t, map[string]netip.AddrPort{"www.shop.test:80": srv}, 5*time.Second, 1<<20)
	for _, dest := range []string{"evil.test:80", "www.shop.test:8080", srv.String()} {
		if c, err := socksDial(t, gw, dest); err == nil {
			c.Close()
			t.Errorf("%s: connected, want refused", dest)
		}
	}
	if got := gw.Refused(); len(got) != 3 {
		t.Errorf("refused %q, want the 3 destinations", got)
	}
}

func TestGatewayBoundsDownload(t *testing.T) {
	srv := echoServer(t, "HTTP/1.1 200 OK\r\n\r\n", true)
	const limit = 100 << 10
	gw := testGateway(t, map[string]netip.AddrPort{"big.test:80": srv}, 20*time.Second, limit)
	c, err := socksDial(t, gw, "big.test:80")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	n, _ := io.Copy(io.Discard, c)
	if n != limit {
		t.Errorf("read %d bytes through the gateway, want exactly the cap %d", n, limit)
	}
}

func TestGatewayDeadline(t *testing.T) {
	// A server that accepts and says nothing: the tunnel ends at the gateway's deadline.
	silent := checktest.Serve(t, func(c net.Conn) { _, _ = io.Copy(io.Discard, c) })
	gw := testGateway(t, map[string]netip.AddrPort{"silent.test:80": silent}, 300*time.Millisecond, 1<<20)
	c, err := socksDial(t, gw, "silent.test:80")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetReadDeadline(time.Now().Add(time.Minute)) // the test's own guard
	if _, err := c.Read(make([]byte, 1)); err == nil {
		t.Error("read a byte from a silent server")
	} else if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Errorf("the client's guard fired (%v): the gateway did not end the tunnel", err)
	}
}

func TestGatewayMalformedClients(t *testing.T) {
	gw := testGateway(t, map[string]netip.AddrPort{}, time.Second, 1<<20)
	for _, hello := range []string{"", "\x04\x01", "\x05\x01\x02", "\x05\x01\x00\x05\x02\x00\x01", "\x05\x01\x00\x05\x01\x00\x09", strings.Repeat("\xff", 600)} {
		c, err := net.Dial("tcp", strings.TrimPrefix(gw.URL(), "socks5://"))
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.WriteString(c, hello)
		_ = c.SetDeadline(time.Now().Add(30 * time.Second))
		b, _ := io.ReadAll(c) // the gateway must close: no hang
		c.Close()
		if len(b) > 12 {
			t.Errorf("hello %q: got %q, more than a greeting and a reply", hello, b)
		}
	}
}
