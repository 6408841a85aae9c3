package demo

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"ecscan/checks"
	dnscheck "ecscan/checks/dns"
	"ecscan/checks/ftp"
	"ecscan/checks/mail"
	"ecscan/checks/ports"
	"ecscan/checks/smtp"
	tlscheck "ecscan/checks/tls"
	"ecscan/checks/web"
)

// scanSite runs the scan's discovery and checks against the site, wired as `ecscan scan`
// wires them (cmd/ecscan/scan.go, scanStages) with the flags of Site.ScanArgs.
func scanSite(t *testing.T, s *Site) *checks.Run {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	limits := checks.DefaultLimits()
	limits.Timeout = 5 * time.Second
	dialer := checks.NewDialer(limits, netip.Addr{})
	disc, err := dnscheck.Discover(ctx, dnscheck.DiscoverConfig{
		Targets: s.Targets, Names: s.Names, AllowPrivate: true,
		Resolver: s.Resolver, Timeout: limits.Timeout, Dialer: dialer,
	})
	if err != nil {
		t.Fatalf("discovery: %v", err)
	}
	env := &checks.Env{Domains: disc.Domains, Hosts: disc.Hosts, Dialer: dialer, Now: time.Now}
	second := []checks.Check{
		tlscheck.New(tlscheck.Config{CABundle: s.CAFile, ExpiryWarning: 30 * 24 * time.Hour, HostConnections: 5, Timeout: limits.Timeout}),
		smtp.New(smtp.Config{Timeout: limits.Timeout}),
		mail.New(mail.Config{Timeout: limits.Timeout}),
		ftp.New(ftp.Config{Timeout: limits.Timeout}),
	}
	if !raceEnabled {
		// A higher rate than the scan's default (10 a second), for the test's sake.
		second = append(second, web.New(web.Config{AllowPrivate: true, Resolver: s.Resolver, Timeout: limits.Timeout, HostRate: 50}))
	}
	runner := &checks.Runner{Stages: [][]checks.Check{
		{
			ports.New(ports.Config{Ports: s.Ports, Retries: 1, ServiceTimeout: limits.Timeout, SSH: true}),
			dnscheck.New(dnscheck.Config{Resolver: s.Resolver, Timeout: dnscheck.DefaultTimeout}),
		},
		second,
	}}
	run := runner.Run(ctx, env)
	if len(run.Errors) > 0 {
		t.Errorf("checks that could not run: %v", run.Errors)
	}
	return run
}

// TestScanShowsWhatTheSiteIsBuiltToShow runs the real scan against the site.
func TestScanShowsWhatTheSiteIsBuiltToShow(t *testing.T) {
	if testing.Short() {
		t.Skip("the whole scan of the demo site is skipped in -short mode")
	}
	for _, layout := range []string{LayoutStandard, LayoutHigh} {
		t.Run(layout, func(t *testing.T) {
			s := startSite(t)
			if layout != s.Layout {
				s = startLayout(t, layout)
			}
			checkScan(t, s, scanSite(t, s))
		})
	}
}

// checkScan checks the scan's service map, statuses and findings.
func checkScan(t *testing.T, s *Site, run *checks.Run) {
	t.Helper()
	// Without port 53, the ports check cannot tell DNS over TCP on another port (it asks
	// version.bind on 53 only), and the DNS check finds no name server on 53.
	noDNS53 := slices.Contains(s.Unshown, "dns.axfr")
	for _, e := range s.Endpoints {
		if e.Service == "dns" && noDNS53 {
			continue
		}
		ap := netip.MustParseAddrPort(e.Addr)
		i := slices.IndexFunc(run.Services, func(sv checks.Service) bool { return sv.AddrPort() == ap })
		want := map[string]string{"https": "http"}[e.Service]
		if want == "" {
			want = e.Service
		}
		if i < 0 {
			t.Errorf("%s on %s is not in the service map", e.Service, e.Addr)
		} else if got := run.Services[i]; got.Protocol != want || got.TLS != (e.Service == "https") {
			t.Errorf("%s on %s identified as %s (TLS %v)", e.Service, e.Addr, got.Protocol, got.TLS)
		}
	}
	for _, r := range run.Results {
		if r.Check == "dns" && r.Port == 53 && noDNS53 {
			continue
		}
		if r.Status != checks.StatusOK && r.Status != checks.StatusSkipped {
			t.Errorf("%s %s: status %s (%s)", r.Check, r.Target, r.Status, r.Error)
		}
	}
	port := func(service string) int { return int(netip.MustParseAddrPort(endpoint(t, s, service)).Port()) }
	http, https := port("http"), port("https")
	for _, want := range []struct {
		id      string
		host    string // "" any; the TLS check names the apex or www for the web address
		port    int    // 0 any
		outcome checks.Outcome
	}{
		{"dns.axfr", "", 0, checks.Fail},
		{"dns.open-recursion", "", 0, checks.Pass},
		{"dns.spf-permissive", "", 0, checks.Fail},
		{"dns.dmarc", "", 0, checks.Fail},
		{"dns.caa", "", 0, checks.Fail},
		{"smtp.open-relay", "mail.demo-shop.test", 0, checks.Fail},
		{"smtp.expn", "mail.demo-shop.test", 0, checks.Fail},
		{"smtp.vrfy", "mail.demo-shop.test", 0, checks.Fail},
		{"smtp.auth-plaintext", "mail.demo-shop.test", 0, checks.Fail},
		{"smtp.starttls", "mail.demo-shop.test", 0, checks.Fail},
		{"smtp.size-limit", "mail.demo-shop.test", 0, checks.Pass},
		{"mail.plaintext-auth", "mail.demo-shop.test", 0, checks.Fail},
		{"mail.starttls", "mail.demo-shop.test", 0, checks.Pass},
		{"ftp.anonymous", "ftp.demo-shop.test", 0, checks.Fail},
		{"ftp.anonymous-writable", "ftp.demo-shop.test", 0, checks.Fail},
		{"ftp.cleartext", "ftp.demo-shop.test", 0, checks.Fail},
		{"ftp.version-disclosure", "ftp.demo-shop.test", 0, checks.Fail},
		{"ftp.pasv-address", "ftp.demo-shop.test", 0, checks.Pass},
		{"ports.cleartext-admin", "ftp.demo-shop.test", 0, checks.Fail},
		{"ports.version-disclosure", "www.demo-shop.test", 0, checks.Fail},
		{"tls.protocol.tls10", "", https, checks.Fail},
		{"tls.protocol.tls13", "", https, checks.Pass},
		{"tls.cipher.cbc", "", https, checks.Fail},
		{"tls.cert.expiring", "", https, checks.Fail},
		{"tls.cert.expired", "", https, checks.Pass},
		{"tls.cert.untrusted", "", https, checks.Pass},
		{"tls.cert.name-mismatch", "", https, checks.Pass},
		{"tls.hsts", "", https, checks.Fail},
		{"tls.http-redirect", "", 80, checks.Fail},
		{"web.dir-listing", "", 0, checks.Fail},
		{"web.sample-cgi", "", 0, checks.Fail},
		{"web.trace", "", 0, checks.Fail},
		{"web.version-disclosure", "", 0, checks.Fail},
		{"web.hsts", "", https, checks.Fail},
		{"web.password-over-http", "", http, checks.Fail},
		{"web.cookie-flags", "", 0, checks.Fail},
		{"web.exposed-file", "", 0, checks.Pass},
		{"tls.starttls", "mail.demo-shop.test", 0, checks.Fail},
		{"tls.starttls", "ftp.demo-shop.test", 0, checks.Fail},
		{"tls.pop-imap", "mail.demo-shop.test", 0, checks.Pass},
	} {
		if slices.Contains(s.Unshown, want.id) || raceEnabled && strings.HasPrefix(want.id, "web.") {
			continue
		}
		if got := outcomeOf(run, want.id, want.host, want.port); got != want.outcome {
			t.Errorf("%s on %q port %d: got %q, want %q", want.id, want.host, want.port, got, want.outcome)
		}
	}
	if t.Failed() {
		t.Logf("findings:\n%s", findingList(run))
	}
}

// outcomeOf returns the outcome of finding id on host ("" any) and port (0 any): fail if
// any fails.
func outcomeOf(run *checks.Run, id, host string, port int) checks.Outcome {
	var got checks.Outcome
	for _, r := range run.Results {
		for _, f := range r.Findings {
			if f.ID == id && (host == "" || f.Host == host) && (port == 0 || f.Port == port) && (got == "" || f.Outcome == checks.Fail) {
				got = f.Outcome
			}
		}
	}
	return got
}

func findingList(run *checks.Run) string {
	var lines []string
	for _, r := range run.Results {
		for _, f := range r.Findings {
			lines = append(lines, fmt.Sprintf("  %-28s %-22s %5d %-4s %s", f.ID, f.Host, f.Port, f.Outcome, f.Title.EN))
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}
