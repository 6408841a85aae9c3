package demo

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestStartDescribesTheSite(t *testing.T) {
	s := startSite(t)
	if s.Zone != Zone || !slices.Equal(s.Targets, []string{Zone}) || !slices.Equal(s.Names, []string{"ftp"}) {
		t.Errorf("zone %q targets %v names %v, want %s, [%s], [ftp]", s.Zone, s.Targets, s.Names, Zone, Zone)
	}
	for _, h := range []string{"demo-shop.test", "www.demo-shop.test", "mail.demo-shop.test", "ns1.demo-shop.test", "ftp.demo-shop.test"} {
		a, err := netip.ParseAddr(s.Hosts[h])
		if err != nil || !a.IsLoopback() {
			t.Errorf("host %s: address %q, want a loopback address", h, s.Hosts[h])
		}
	}
	if got, want := len(s.Endpoints), len(services); got != want {
		t.Fatalf("%d endpoints, want %d", got, want)
	}
	for _, e := range s.Endpoints {
		if !slices.Contains(s.Ports, int(netip.MustParseAddrPort(e.Addr).Port())) {
			t.Errorf("endpoint %v: port not in Ports %v", e, s.Ports)
		}
		if ap := netip.MustParseAddrPort(e.Addr); ap.Addr().String() != s.Hosts[e.Host] {
			t.Errorf("endpoint %v: address differs from host %s's %s", e, e.Host, s.Hosts[e.Host])
		}
	}
	if !slices.IsSorted(s.Ports) {
		t.Errorf("Ports %v not sorted", s.Ports)
	}
	if got, want := s.Resolver, endpoint(t, s, "dns"); got != want {
		t.Errorf("Resolver %s, want the dns endpoint %s", got, want)
	}
	wantUnshown := s.Layout != LayoutStandard
	if got := len(s.Unshown) > 0; got != wantUnshown {
		t.Errorf("layout %s: Unshown %v", s.Layout, s.Unshown)
	}
	for _, lang := range []string{"ja", "en"} {
		d := s.Describe(lang)
		for _, e := range s.Endpoints {
			if !strings.Contains(d, e.Addr) {
				t.Errorf("Describe(%s) lacks %s:\n%s", lang, e.Addr, d)
			}
		}
		if strings.Contains(d, "dns.axfr") != (s.Layout != LayoutStandard) {
			t.Errorf("Describe(%s) of the %s layout:\n%s", lang, s.Layout, d)
		}
	}
	args := strings.Join(s.ScanArgs(), " ")
	for _, want := range []string{"--allow-private", "--resolver " + s.Resolver, "--ports " + s.PortsSpec(), "--ca-bundle " + s.CAFile, "--names ftp", Zone} {
		if !strings.Contains(args, want) {
			t.Errorf("ScanArgs %q lacks %q", args, want)
		}
	}
}

func TestCertificateFiles(t *testing.T) {
	s := startSite(t)
	ca := readCert(t, s.CAFile)
	if !ca.IsCA {
		t.Errorf("%s is not a CA certificate", s.CAFile)
	}
	leaf := readCert(t, filepath.Join(filepath.Dir(s.CAFile), CertFileName))
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	for _, name := range []string{"www.demo-shop.test", "demo-shop.test", "mail.demo-shop.test", "ftp.demo-shop.test"} {
		if _, err := leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: name}); err != nil {
			t.Errorf("site certificate for %s: %v", name, err)
		}
	}
	left := time.Until(leaf.NotAfter)
	if left <= (CertDaysLeft-1)*24*time.Hour || left > CertDaysLeft*24*time.Hour {
		t.Errorf("certificate ends in %v, want %d days", left, CertDaysLeft)
	}
	entries, err := os.ReadDir(filepath.Dir(s.CAFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, _ := os.ReadFile(filepath.Join(filepath.Dir(s.CAFile), e.Name()))
		if strings.Contains(string(data), "PRIVATE KEY") {
			t.Errorf("%s holds a private key", e.Name())
		}
	}
}

func readCert(t *testing.T, path string) *x509.Certificate {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := pem.Decode(data)
	if b == nil {
		t.Fatalf("%s: no PEM block", path)
	}
	c, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestStartWithoutDirectory(t *testing.T) {
	if _, err := Start(context.Background(), ""); err == nil {
		t.Error("Start with no directory: got no error")
	}
}

func TestStartCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if s, err := Start(ctx, t.TempDir()); err == nil {
		s.Close()
		t.Error("Start with a canceled context: got a site, want an error")
	}
}

// An address of the first block already taken moves the site to another block.
func TestTakenAddressMovesTheSite(t *testing.T) {
	first := placements()[0]
	taken, err := net.Listen("tcp", first.endpoint(services[1]).String())
	if err != nil {
		t.Skipf("cannot take %s for the test: %v", first.endpoint(services[1]), err)
	}
	defer taken.Close()
	s := startSite(t)
	for _, a := range s.Hosts {
		if strings.HasPrefix(a, "127.0.77.") {
			t.Errorf("site on %s although %s was taken", a, taken.Addr())
		}
	}
}

func TestHighLayout(t *testing.T) {
	s := startLayout(t, LayoutHigh)
	for _, e := range s.Endpoints {
		if port := netip.MustParseAddrPort(e.Addr).Port(); port < 1024 {
			t.Errorf("high layout: %s on port %d", e.Service, port)
		}
	}
	if !slices.Contains(s.Unshown, "dns.axfr") {
		t.Errorf("high layout: Unshown %v lacks dns.axfr", s.Unshown)
	}
	if d := s.Describe("en"); !strings.Contains(d, "ports + 10000") || !strings.Contains(d, "dns.axfr") {
		t.Errorf("high layout described as:\n%s", d)
	}
	c := dial(t, endpoint(t, s, "smtp"))
	if got := c.reply(); !strings.HasPrefix(got, "220 ") {
		t.Errorf("high layout smtp banner %q", got)
	}
}

// startLayout starts the site in a layout, in the first free block after those Start
// tries, and closes it when the test ends.
func startLayout(t *testing.T, layout string) *Site {
	t.Helper()
	p, err := newPKI(t.TempDir(), []string{Zone, "www." + Zone, "mail." + Zone, "ftp." + Zone}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for b := byte(firstBlock + blocks); b < 250; b++ {
		s, err := start(context.Background(), placement{layout: layout, block: b}, p)
		if errors.Is(err, syscall.EADDRINUSE) {
			continue
		}
		if errors.Is(err, syscall.EACCES) {
			t.Skipf("the %s layout cannot be bound by this user: %v", layout, err)
		}
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		return s
	}
	t.Skipf("no free block for the %s layout", layout)
	return nil
}

// Close stops every server and leaves no goroutine behind, even with sessions open.
func TestCloseStopsEverything(t *testing.T) {
	if left := siteGoroutines(); len(left) > 0 {
		t.Fatalf("goroutines of another site still run:\n%s", strings.Join(left, "\n\n"))
	}
	s, err := Start(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var open []net.Conn
	for _, e := range s.Endpoints {
		c, err := net.DialTimeout("tcp", e.Addr, 5*time.Second)
		if err != nil {
			t.Fatalf("%s: %v", e.Service, err)
		}
		_ = c.SetDeadline(time.Now().Add(20 * time.Second))
		open = append(open, c)
	}
	ftp := dial(t, endpoint(t, s, "ftp"))
	ftp.reply()
	ftp.cmd("USER anonymous")
	ftp.cmd("PASS x@example.invalid")
	if got := ftp.cmd("PASV"); !strings.HasPrefix(got, "227 ") {
		t.Fatalf("PASV: %q", got)
	}
	ftp.send("LIST") // the server now waits for the data connection
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	// The clients are still connected: only Close can have ended the sessions.
	if left := siteGoroutines(); len(left) > 0 {
		t.Errorf("%d goroutines of the site left after Close:\n%s", len(left), strings.Join(left, "\n\n"))
	}
	for _, c := range open {
		if _, err := c.Read(make([]byte, 512)); err == nil {
			// a greeting sent before Close; the next read must end
			if _, err := c.Read(make([]byte, 512)); err == nil {
				t.Errorf("connection to %s still open after Close", c.RemoteAddr())
			}
		}
		c.Close()
	}
	for _, e := range s.Endpoints {
		if c, err := net.DialTimeout("tcp", e.Addr, time.Second); err == nil {
			c.Close()
			t.Errorf("%s on %s still accepts connections after Close", e.Service, e.Addr)
		}
	}
}

// A start canceled while the name server starts releases every socket and goroutine,
// whichever way the race between the two goes.
func TestStartCanceledMidway(t *testing.T) {
	s := startLayout(t, LayoutHigh)
	pl := placement{layout: LayoutHigh, block: netip.MustParseAddr(s.Hosts[Zone]).As4()[2]}
	s.Close()
	p, err := newPKI(t.TempDir(), []string{Zone}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for range 20 {
		if s, err := start(ctx, pl, p); err == nil {
			s.Close()
		}
		b, err := bind(pl)
		if err != nil {
			t.Fatalf("after a canceled start, the sockets are not free: %v", err)
		}
		b.close()
	}
	if left := siteGoroutines(); len(left) > 0 {
		t.Errorf("%d goroutines left after canceled starts:\n%s", len(left), strings.Join(left, "\n\n"))
	}
}
