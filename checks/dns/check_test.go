package dns

import (
	"context"
	"encoding/binary"
	"io"
	"net"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"ecscan/checks"
)

// testLab is the tests' world served by fakes: a resolver and one fake per name server
// address; servers maps the addresses in the zones to the fakes on 127.0.0.1.
type testLab struct {
	world    world
	resolver netip.AddrPort
	servers  map[netip.Addr]netip.AddrPort
}

// newLab starts the resolver and the name servers of the misconfigured and the hardened
// zone; ns2 of safe-shop.test is the server given (nil: a twin of ns1).
func newLab(t *testing.T, ns2 func(world) netip.AddrPort) *testLab {
	t.Helper()
	w := newWorld(t, time.Now())
	l := &testLab{world: w, servers: map[netip.Addr]netip.AddrPort{}}
	l.resolver, _ = fakeResolver(t, w)
	l.servers[netip.MustParseAddr("127.0.53.1")] = startFake(t, &fakeNS{world: w, zones: []string{"ecshop.test."}, recursion: true, axfr: true})
	l.servers[netip.MustParseAddr("127.0.54.1")] = startFake(t, &fakeNS{world: w, zones: []string{"safe-shop.test."}})
	if ns2 == nil {
		ns2 = func(w world) netip.AddrPort {
			return startFake(t, &fakeNS{world: w, zones: []string{"safe-shop.test."}})
		}
	}
	l.servers[netip.MustParseAddr("127.0.54.2")] = ns2(w)
	return l
}

// run discovers the two zones and runs the check through the runner.
func (l *testLab) run(t *testing.T, timeout time.Duration) *checks.Run {
	t.Helper()
	dialer := checks.NewDialer(checks.DefaultLimits(), netip.Addr{})
	d, err := Discover(context.Background(), DiscoverConfig{
		Targets: []string{"ecshop.test", "safe-shop.test"}, AllowPrivate: true,
		Resolver: l.resolver.String(), Timeout: 5 * time.Second, Dialer: dialer,
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Resolver: l.resolver.String(), Timeout: timeout, serverAddr: func(a netip.Addr) netip.AddrPort {
		if ap, ok := l.servers[a]; ok {
			return ap
		}
		t.Errorf("the check contacted %s, which is not an in-scope name server", a)
		return closedPort(t)
	}}
	env := &checks.Env{Domains: d.Domains, Hosts: d.Hosts, Dialer: dialer, Now: time.Now}
	r := &checks.Runner{Stages: [][]checks.Check{{New(cfg)}}}
	run := r.Run(context.Background(), env)
	if len(run.Errors) > 0 {
		t.Fatalf("check errors: %v", run.Errors)
	}
	checkEvidenceRefs(t, run.Results)
	return run
}

// checkEvidenceRefs verifies that evidence IDs are unique in the run and that every
// finding names evidence of its own result.
func checkEvidenceRefs(t *testing.T, results []checks.Result) {
	t.Helper()
	seen := map[string]bool{}
	for _, r := range results {
		local := map[string]bool{}
		for _, e := range r.Evidence {
			if seen[e.ID] {
				t.Errorf("evidence ID %s used twice in the run", e.ID)
			}
			seen[e.ID], local[e.ID] = true, true
		}
		for _, f := range r.Findings {
			if len(f.Evidence) == 0 {
				t.Errorf("%s %s: no evidence", r.Target, f.ID)
			}
			for _, id := range f.Evidence {
				if !local[id] {
					t.Errorf("%s %s: evidence %s is not in its result", r.Target, f.ID, id)
				}
			}
		}
	}
}

// verdicts writes each result's findings as "id outcome severity", sorted, by target.
func verdicts(results []checks.Result) map[string][]string {
	out := map[string][]string{}
	for _, r := range results {
		key := r.Target
		if r.Addr != "" {
			key += " " + r.Addr
		}
		v := []string{"status " + string(r.Status)}
		for _, f := range r.Findings {
			v = append(v, f.ID+" "+string(f.Outcome)+" "+f.Severity.String())
		}
		sort.Strings(v[1:])
		out[key] = v
	}
	return out
}

func TestCheckMisconfiguredAndHardened(t *testing.T) {
	l := newLab(t, nil)
	run := l.run(t, 5*time.Second)
	want := map[string][]string{
		"ecshop.test": {"status ok",
			"dns.caa fail low", "dns.dmarc fail medium", "dns.dnssec fail low", "dns.dnssec-ds info info",
			"dns.ns-consistency pass info", "dns.soa-consistency info info", "dns.spf pass info", "dns.spf-permissive fail high"},
		"ns1.ecshop.test 127.0.53.1": {"status ok", "dns.axfr fail high", "dns.open-recursion fail medium"},
		"ns.dns-host.test":           {"status skipped"},
		"safe-shop.test": {"status ok",
			"dns.caa pass info", "dns.dmarc pass info", "dns.dmarc-policy pass info", "dns.dnssec pass info", "dns.dnssec-ds pass info",
			"dns.ns-consistency pass info", "dns.soa-consistency pass info", "dns.spf pass info", "dns.spf-permissive pass info"},
		"ns1.safe-shop.test 127.0.54.1": {"status ok", "dns.axfr pass info", "dns.open-recursion pass info"},
		"ns2.safe-shop.test 127.0.54.2": {"status ok", "dns.axfr pass info", "dns.open-recursion pass info"},
	}
	compareVerdicts(t, verdicts(run.Results), want)
	for _, r := range run.Results {
		if r.Target == "ns1.ecshop.test" {
			axfr := findEvidence(r, "AXFR")
			for _, s := range []string{";; query: ecshop.test. IN AXFR", "records, complete (ended with the SOA)", "db.ecshop.test.\t3600\tIN\tA\t10.0.30.33"} {
				if !strings.Contains(axfr, s) {
					t.Errorf("AXFR evidence lacks %q:\n%s", s, axfr)
				}
			}
		}
		if r.Target == "ns.dns-host.test" && !strings.Contains(r.Error, "out of scope") {
			t.Errorf("skipped name server: got error %q, want the scope reason", r.Error)
		}
	}
}

func compareVerdicts(t *testing.T, got, want map[string][]string) {
	t.Helper()
	for k, w := range want {
		if g := got[k]; !slices.Equal(g, w) {
			t.Errorf("%s:\n got %q\nwant %q", k, g, w)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected result %s: %q", k, g)
		}
	}
}

func findEvidence(r checks.Result, suffix string) string {
	for _, e := range r.Evidence {
		if strings.HasSuffix(e.ID, suffix) {
			return e.Data
		}
	}
	return ""
}

// compareSome compares only the results named in want.
func compareSome(t *testing.T, got, want map[string][]string) {
	t.Helper()
	for k, w := range want {
		if g := got[k]; !slices.Equal(g, w) {
			t.Errorf("%s:\n got %q\nwant %q", k, g, w)
		}
	}
}

// garbageReply answers a query with its ID, the QR bit, one answer claimed, and junk.
func garbageReply(q []byte) []byte {
	if len(q) < 2 {
		return nil
	}
	return append([]byte{q[0], q[1], 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0}, "\x03www\xc0\xff\xff\xff junk"...)
}

// garbageTCP reads one query and answers it with garbageReply.
func garbageTCP(c net.Conn) {
	var n [2]byte
	if _, err := io.ReadFull(c, n[:]); err != nil {
		return
	}
	q := make([]byte, binary.BigEndian.Uint16(n[:]))
	if _, err := io.ReadFull(c, q); err != nil {
		return
	}
	out := garbageReply(q)
	c.Write(append([]byte{byte(len(out) >> 8), byte(len(out))}, out...))
}

func TestCheckServerFailures(t *testing.T) {
	drifted := strings.Replace(safeZone, "2024020202", "2024020203", 1) + "@ NS ns3.safe-shop.test.\n"
	tests := []struct {
		name    string
		ns2     func(t *testing.T, w world) netip.AddrPort
		timeout time.Duration
		want    map[string][]string
	}{
		{"ns2 serves another version of the zone", func(t *testing.T, w world) netip.AddrPort {
			w2 := append(world{parseZone(t, "safe-shop.test.", drifted)}, w...) // found first
			return startFake(t, &fakeNS{world: w2, zones: []string{"safe-shop.test."}})
		}, 5 * time.Second, map[string][]string{
			"safe-shop.test": {"status ok",
				"dns.caa pass info", "dns.dmarc pass info", "dns.dmarc-policy pass info", "dns.dnssec pass info", "dns.dnssec-ds pass info",
				"dns.ns-consistency fail low", "dns.soa-consistency fail low", "dns.spf pass info", "dns.spf-permissive pass info"},
			"ns2.safe-shop.test 127.0.54.2": {"status ok", "dns.axfr pass info", "dns.open-recursion pass info"},
		}},
		{"ns2 is lame", func(t *testing.T, w world) netip.AddrPort {
			return startFake(t, &fakeNS{world: w})
		}, 5 * time.Second, map[string][]string{
			"safe-shop.test": {"status ok",
				"dns.caa pass info", "dns.dmarc pass info", "dns.dmarc-policy pass info", "dns.dnssec pass info", "dns.dnssec-ds pass info",
				"dns.ns-consistency fail low", "dns.soa-consistency fail low", "dns.spf pass info", "dns.spf-permissive pass info"},
			"ns2.safe-shop.test 127.0.54.2": {"status ok", "dns.axfr pass info", "dns.open-recursion pass info"},
		}},
		{"ns2 never answers", func(t *testing.T, w world) netip.AddrPort {
			return silentServer(t)
		}, 300 * time.Millisecond, map[string][]string{
			"safe-shop.test": {"status ok",
				"dns.caa pass info", "dns.dmarc pass info", "dns.dmarc-policy pass info", "dns.dnssec pass info", "dns.dnssec-ds pass info",
				"dns.ns-consistency pass info", "dns.soa-consistency info info", "dns.spf pass info", "dns.spf-permissive pass info"},
			"ns2.safe-shop.test 127.0.54.2": {"status timeout"},
		}},
		{"ns2 sends garbage", func(t *testing.T, w world) netip.AddrPort {
			return rawServer(t, garbageReply, garbageTCP)
		}, 5 * time.Second, map[string][]string{
			"safe-shop.test": {"status ok",
				"dns.caa pass info", "dns.dmarc pass info", "dns.dmarc-policy pass info", "dns.dnssec pass info", "dns.dnssec-ds pass info",
				"dns.ns-consistency pass info", "dns.soa-consistency info info", "dns.spf pass info", "dns.spf-permissive pass info"},
			"ns2.safe-shop.test 127.0.54.2": {"status protocol-error", "dns.axfr pass info", "dns.open-recursion info info"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLab(t, func(w world) netip.AddrPort { return tt.ns2(t, w) })
			run := l.run(t, tt.timeout)
			compareSome(t, verdicts(run.Results), tt.want)
			for _, r := range run.Results {
				if r.Status != checks.StatusOK && r.Status != checks.StatusSkipped && (r.Error == "" || len(r.Evidence) == 0) {
					t.Errorf("%s: status %s without error or evidence", r.Target, r.Status)
				}
			}
		})
	}
}

func TestCheckResolverSilent(t *testing.T) {
	l := newLab(t, nil)
	l.resolver = silentServer(t) // discovery below still needs a working resolver
	w := newWorld(t, time.Now())
	good, _ := fakeResolver(t, w)
	dialer := checks.NewDialer(checks.DefaultLimits(), netip.Addr{})
	d, err := Discover(context.Background(), DiscoverConfig{Targets: []string{"ecshop.test"}, AllowPrivate: true, Resolver: good.String(), Dialer: dialer})
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Resolver: l.resolver.String(), Timeout: 200 * time.Millisecond, serverAddr: func(a netip.Addr) netip.AddrPort {
		t.Errorf("contacted name server %s although the resolver gave no NS", a)
		return closedPort(t)
	}}
	var got []checks.Result
	err = New(cfg).Run(context.Background(), &checks.Env{Domains: d.Domains, Hosts: d.Hosts, Dialer: dialer, Now: time.Now},
		func(r checks.Result) { got = append(got, r) })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Status != checks.StatusTimeout || len(got[0].Findings) != 0 || !strings.Contains(got[0].Error, "ecshop.test. NS @"+l.resolver.String()) {
		t.Fatalf("got %+v, want one result with status timeout, the error and no findings", got)
	}
	if n := len(got[0].Evidence); n != 7 {
		t.Errorf("got %d evidence items, want the 7 unanswered queries", n)
	}
}

func TestCheckBadConfig(t *testing.T) {
	env := &checks.Env{Domains: []string{"ecshop.test"}, Dialer: checks.NewDialer(checks.DefaultLimits(), netip.Addr{})}
	closed := closedPort(t).String()
	for _, cfg := range []Config{{Resolver: "not-an-ip"}, {Resolver: closed, RecursionName: "bad name"}} {
		if err := New(cfg).Run(context.Background(), env, func(checks.Result) { t.Error("emitted a result") }); err == nil {
			t.Errorf("config %+v: got no error, want one", cfg)
		}
	}
	if err := New(Config{Resolver: closed}).Run(context.Background(), &checks.Env{}, nil); err == nil {
		t.Error("no dialer: got no error, want one")
	}
}
