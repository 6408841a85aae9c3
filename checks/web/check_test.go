package web

import (
	"bytes"
	"context"
	"io"
	"net/http/httptest"
	"net/netip"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"ecscan/checks"
)

// syncBuffer is a bytes.Buffer safe for nuclei's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func service(t *testing.T, host string, srv *httptest.Server) checks.Service {
	t.Helper()
	ap := netip.MustParseAddrPort(srv.Listener.Addr().String())
	return checks.Service{Host: host, Addr: ap.Addr(), Port: int(ap.Port()), Protocol: "http"}
}

// runCheck runs the web check on the services and returns its results by target, with
// what reached os.Stderr meanwhile.
func runCheck(t *testing.T, cfg Config, services ...checks.Service) (map[string]checks.Result, string) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := os.Stderr
	os.Stderr = w
	var captured bytes.Buffer
	done := make(chan struct{})
	go func() { _, _ = io.Copy(&captured, r); close(done) }()
	env := &checks.Env{Services: services, Dialer: checks.NewDialer(checks.DefaultLimits(), netip.Addr{}), Now: time.Now}
	out := map[string]checks.Result{}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	err = New(cfg).Run(ctx, env, func(res checks.Result) { out[res.Target] = res })
	os.Stderr = stderr
	w.Close()
	<-done
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return out, captured.String()
}

// has reports whether the result has a finding "id subject outcome".
func has(res checks.Result, id, subject string, outcome checks.Outcome) bool {
	return slices.ContainsFunc(res.Findings, func(f checks.Finding) bool {
		return f.ID == id && f.Subject == subject && f.Outcome == outcome
	})
}

func TestCheckOnFakeSites(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the nuclei engine")
	}
	vuln := &vulnerableSite{files: map[string]string{}}
	vs := httptest.NewServer(vuln)
	defer vs.Close()
	ss := httptest.NewServer(softSite)
	defer ss.Close()
	res := newFakeResolver(t)
	debug := &syncBuffer{}
	cfg := Config{HostRate: 500, Concurrency: 10, Timeout: 5 * time.Second, AllowPrivate: true, Resolver: res.addr(), Debug: debug, Intrusive: true}
	results, stderr := runCheck(t, cfg, service(t, "www.vuln.test", vs), service(t, "www.soft.test", ss))

	if stderr != "" {
		t.Errorf("the check wrote to stderr: %q", clip(stderr, 2000))
	}
	if !strings.Contains(debug.String(), "nuclei") {
		t.Errorf("nuclei's log did not reach the debug writer: %q", clip(debug.String(), 2000))
	}
	if res.queries.Load() == 0 {
		t.Error("nuclei made no DNS query to the scan's resolver")
	}
	v := results["http://www.vuln.test:"+portOf(vs)]
	s := results["http://www.soft.test:"+portOf(ss)]
	if v.Status != checks.StatusOK || s.Status != checks.StatusOK {
		t.Fatalf("statuses %q (%s), %q (%s); results %v", v.Status, v.Error, s.Status, s.Error, keys(results))
	}
	for _, want := range []struct {
		id, subject string
		outcome     checks.Outcome
	}{
		{"web.dir-listing", "/images/", checks.Fail},
		{"web.dir-listing", "/pub/docs/", checks.Fail},
		{"web.sample-cgi", "/cgi-bin/phf", checks.Fail},
		{"web.sample-cgi", "/cgi-bin/test-cgi", checks.Fail},
		{"web.sample-cgi-exploitable", "/cgi-bin/phf?Qalias=x%0a/bin/cat%20/etc/passwd", checks.Fail},
		{"web.trace", "/", checks.Fail},
		{"web.webdav", "/uploads/", checks.Fail},
		{"web.any-method", "", checks.Pass},
		{"web.vcs-exposed", "/.git/HEAD", checks.Fail},
		{"web.exposed-file", "", checks.Pass},
		{"web.phpinfo", "", checks.Pass},
		{"web.put", "/uploads/", checks.Fail},
		{"web.delete", "/uploads/", checks.Fail},
		{"web.password-over-http", "/login", checks.Fail},
		{"web.version-disclosure", "Server", checks.Fail},
		{"web.cookie-flags", "PHPSESSID", checks.Fail},
		{"web.methods-claimed", "", checks.Info},
	} {
		if !has(v, want.id, want.subject, want.outcome) {
			t.Errorf("vulnerable site: no %s %q %s", want.id, want.subject, want.outcome)
		}
	}
	if vuln.stored() != 0 {
		t.Errorf("%d test files left on the vulnerable site", vuln.stored())
	}
	for _, want := range []struct {
		id      string
		outcome checks.Outcome
	}{
		{"web.soft-404", checks.Info}, {"web.vcs-exposed", checks.Pass}, {"web.sample-cgi", checks.Pass},
		{"web.cgi-interpreter", checks.Pass}, {"web.dir-listing", checks.Pass},
	} {
		if !has(s, want.id, "", want.outcome) {
			t.Errorf("soft-404 site: no %s %s", want.id, want.outcome)
		}
	}
	if !has(s, "web.any-method", "/", checks.Fail) {
		t.Error("soft-404 site: no web.any-method / fail")
	}
	if t.Failed() {
		t.Logf("debug log:\n%s", clip(debug.String(), 20000))
		for _, r := range []checks.Result{v, s} {
			for _, f := range r.Findings {
				t.Logf("%s: %s %q %s", r.Target, f.ID, f.Subject, f.Outcome)
			}
		}
	}
}

func portOf(s *httptest.Server) string { return s.URL[strings.LastIndex(s.URL, ":")+1:] }

func keys(m map[string]checks.Result) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestCheckSkipsPrivateWithoutAllowPrivate(t *testing.T) {
	var got []checks.Result
	env := &checks.Env{
		Services: []checks.Service{{Host: "www.shop.test", Addr: netip.MustParseAddr("127.0.0.1"), Port: 1, Protocol: "http"}},
		Dialer:   checks.NewDialer(checks.DefaultLimits(), netip.Addr{}), Now: time.Now,
	}
	err := New(Config{Resolver: "127.0.0.1:53"}).Run(context.Background(), env, func(r checks.Result) { got = append(got, r) })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Status != checks.StatusSkipped {
		t.Errorf("got %+v, want one skipped result", got)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, cfg := range []Config{{HostRate: -1, Resolver: "127.0.0.1:53"}, {Concurrency: -2, Resolver: "127.0.0.1:53"}, {Resolver: "ns.example:53"}} {
		env := &checks.Env{Dialer: checks.NewDialer(checks.DefaultLimits(), netip.Addr{}), Now: time.Now}
		if err := New(cfg).Run(context.Background(), env, func(checks.Result) {}); err == nil {
			t.Errorf("config %+v: no error", cfg)
		}
	}
}

func TestCheckCanceled(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the nuclei engine")
	}
	vs := httptest.NewServer(&vulnerableSite{files: map[string]string{}})
	defer vs.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	env := &checks.Env{Services: []checks.Service{service(t, "www.vuln.test", vs)}, Dialer: checks.NewDialer(checks.DefaultLimits(), netip.Addr{}), Now: time.Now}
	var got []checks.Result
	cfg := Config{Timeout: time.Second, AllowPrivate: true, Resolver: newFakeResolver(t).addr(), Intrusive: true}
	if err := New(cfg).Run(ctx, env, func(r checks.Result) { got = append(got, r) }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Status != checks.StatusCanceled {
		t.Fatalf("got %d results (%+v), want one canceled", len(got), got)
	}
	for _, f := range got[0].Findings {
		if f.Outcome == checks.Fail {
			t.Errorf("a canceled run failed %s %s", f.ID, f.Subject)
		}
	}
}
