package tls

import (
	"context"
	ctls "crypto/tls"
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ecscan/checks"
)

func TestPlan(t *testing.T) {
	a := netip.MustParseAddr("192.0.2.1")
	b := netip.MustParseAddr("192.0.2.2")
	s := func(addr netip.Addr, port int, proto string, tls, starttls bool) checks.Service {
		return checks.Service{Host: "h" + addr.String(), Addr: addr, Port: port, Protocol: proto, TLS: tls, StartTLS: starttls}
	}
	services := []checks.Service{
		s(a, 22, "ssh", false, false), s(a, 25, "smtp", false, true), s(a, 80, "http", false, false),
		s(a, 443, "http", true, false), s(a, 8443, "http", true, false), s(a, 110, "pop3", false, false),
		s(a, 993, "imap", true, false), s(a, 5432, "postgresql", false, false), s(a, 636, "unknown", true, false),
		s(b, 80, "http", false, false), s(b, 21, "ftp", false, false), s(b, 3306, "mysql", false, false),
	}
	var got []string
	for _, t := range plan(services) {
		line := fmt.Sprintf("%s:%d %s", t.svc.Addr, t.svc.Port, t.mode)
		if t.startTLS != "" {
			line += " " + t.startTLS
		}
		if t.primaryWeb {
			line += " primary"
		}
		if t.redirect != nil {
			line += fmt.Sprintf(" redirect:%d", t.redirect.Port)
		}
		got = append(got, line)
	}
	want := []string{
		"192.0.2.1:25 starttls smtp", "192.0.2.1:110 starttls pop3", "192.0.2.1:443 implicit primary redirect:80",
		"192.0.2.1:636 implicit", "192.0.2.1:993 implicit", "192.0.2.1:8443 implicit",
		"192.0.2.2:21 starttls ftp", "192.0.2.2:80 plaintext primary",
	}
	if !slices.Equal(got, want) {
		t.Errorf("plan:\n got %q\nwant %q", got, want)
	}
}

func TestSlots(t *testing.T) {
	s := newSlots(3)
	a, b := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.0.2.2")
	var held, peak atomic.Int32
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			addr := a
			if i%4 == 0 {
				addr = b // another address has its own slots
			}
			release, err := s.acquire(context.Background(), addr)
			if err != nil {
				t.Error(err)
				return
			}
			if addr == a {
				n := held.Add(1)
				for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
				}
				time.Sleep(time.Millisecond)
				held.Add(-1)
			}
			release()
			release() // twice is harmless
		})
	}
	wg.Wait()
	if got := peak.Load(); got > 3 || got < 1 {
		t.Errorf("peak of slots held on one address: %d, want 1 to 3", got)
	}
	for range 3 {
		s.acquire(context.Background(), a)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.acquire(ctx, a); err == nil {
		t.Error("acquire on a full address with a canceled context succeeded")
	}
}

// TestOneConnectionPerHost: with HostConnections 1, three endpoints of one address (and the
// engine's probes, and the redirect check) still all finish, one connection at a time.
func TestOneConnectionPerHost(t *testing.T) {
	c := theCA(t)
	defer func(p int) { plainHTTPPort = p }(plainHTTPPort)
	var open, peak atomic.Int32
	count := func(inner func(net.Conn)) func(net.Conn) {
		return func(conn net.Conn) {
			n := open.Add(1)
			for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
			}
			inner(conn)
			open.Add(-1)
		}
	}
	cfg := &ctls.Config{Certificates: []ctls.Certificate{c.leaf(t, leafSpec{})}}
	tlsHandler := func(conn net.Conn) {
		tc := ctls.Server(conn, cfg)
		if tc.Handshake() == nil && readRequest(tc) {
			tc.Write([]byte(hstsYear))
		}
	}
	web := listen(t, count(func(conn net.Conn) {
		if readRequest(conn) {
			conn.Write([]byte(moved))
		}
	}))
	plainHTTPPort = int(web.Port())
	s1, s2 := listen(t, count(tlsHandler)), listen(t, count(tlsHandler))
	rs := runCheck(t, Config{CABundle: c.bundle, HostConnections: 1}, HelloEngine,
		service(s1, "http", true, false), service(s2, "http", true, false), service(web, "http", false, false))
	for _, ap := range []netip.AddrPort{s1, s2} {
		if r := rs[int(ap.Port())]; r.Status != checks.StatusOK || gradeOf(r) != "A+" {
			t.Errorf("%s: status %s, grade %q (%s)", ap, r.Status, gradeOf(r), r.Error)
		}
	}
	if n := peak.Load(); n < 1 {
		t.Errorf("servers saw %d connections at most", n)
	}
}

func TestConfigErrors(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "x.pem")
	os.WriteFile(notPEM, []byte("not a certificate"), 0o600)
	env := &checks.Env{Dialer: checks.NewDialer(checks.DefaultLimits(), netip.Addr{}), Now: time.Now}
	for _, cfg := range []Config{
		{CABundle: filepath.Join(dir, "missing.pem")}, {CABundle: notPEM}, {Timeout: -1}, {HostConnections: -2}, {ExpiryWarning: -time.Hour},
	} {
		if err := New(cfg).Run(context.Background(), env, func(checks.Result) {}); err == nil {
			t.Errorf("Run with %+v: no error", cfg)
		}
	}
	if err := New(Config{}).Run(context.Background(), &checks.Env{}, func(checks.Result) {}); err == nil {
		t.Error("Run without a dialer: no error")
	}
	if err := New(Config{}).Run(context.Background(), env, func(checks.Result) { t.Error("a result without services") }); err != nil {
		t.Errorf("Run on an empty service map: %v", err)
	}
}
