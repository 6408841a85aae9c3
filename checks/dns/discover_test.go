package dns

import (
	"context"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"ecscan/checks"
)

// discoverWith runs Discover against a fake resolver over the test world.
func discoverWith(t *testing.T, cfg DiscoverConfig) (*Discovery, error) {
	t.Helper()
	if cfg.Resolver == "" {
		ap, _ := fakeResolver(t, newWorld(t, time.Now()))
		cfg.Resolver = ap.String()
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Second
	}
	cfg.Dialer = checks.NewDialer(checks.DefaultLimits(), netip.Addr{})
	return Discover(context.Background(), cfg)
}

// wantHost is what a test expects of one discovered host.
type wantHost struct {
	name    string
	inScope bool
	sources []string
	addrs   []string
	reason  string // a substring of the reason
}

func checkHosts(t *testing.T, got []checks.Host, want []wantHost) {
	t.Helper()
	byName := map[string]checks.Host{}
	for _, h := range got {
		if _, dup := byName[h.Name]; dup {
			t.Errorf("host %s listed twice", h.Name)
		}
		byName[h.Name] = h
	}
	if len(got) != len(want) {
		var names []string
		for _, h := range got {
			names = append(names, h.Name)
		}
		t.Errorf("got %d hosts %v, want %d", len(got), names, len(want))
	}
	for _, w := range want {
		h, ok := byName[w.name]
		if !ok {
			t.Errorf("host %s: missing", w.name)
			continue
		}
		var addrs []string
		for _, a := range h.Addrs {
			addrs = append(addrs, a.String())
		}
		if h.InScope != w.inScope || !slices.Equal(h.Sources, w.sources) || !slices.Equal(addrs, w.addrs) || !strings.Contains(h.Reason, w.reason) {
			t.Errorf("host %s: got in scope %v, sources %v, addrs %v, reason %q;\nwant %v, %v, %v, reason containing %q",
				w.name, h.InScope, h.Sources, addrs, h.Reason, w.inScope, w.sources, w.addrs, w.reason)
		}
	}
}

func TestDiscoverDomain(t *testing.T) {
	names := []string{"shop", "admin", "db", "nosuch", "extra.other.test", "ghost.other.test"}
	tests := []struct {
		name         string
		allowPrivate bool
		want         []wantHost
	}{
		{"public only", false, []wantHost{
			{"ecshop.test", true, []string{"apex", "argument"}, []string{"93.184.215.80"}, "listed by the operator"},
			{"www.ecshop.test", true, []string{"www"}, []string{"93.184.215.80"}, "within ecshop.test"},
			{"mail.ecshop.test", true, []string{"mx"}, []string{"93.184.215.25"}, "within ecshop.test"},
			{"mx.mail-provider.test", false, []string{"mx"}, []string{"93.184.216.26"}, "outside ecshop.test: MX of ecshop.test"},
			{"ns1.ecshop.test", false, []string{"ns"}, nil, "no usable address: refused 127.0.53.1 (loopback)"},
			{"ns.dns-host.test", false, []string{"ns"}, nil, "outside ecshop.test: NS of ecshop.test; refused 127.0.55.1 (loopback)"},
			{"shop.ecshop.test", true, []string{"config"}, []string{"93.184.215.81"}, "within ecshop.test"},
			{"admin.ecshop.test", true, []string{"config"}, []string{"93.184.215.80"}, "within ecshop.test"},
			{"db.ecshop.test", false, []string{"config"}, nil, "refused 10.0.30.33 (private (RFC 1918))"},
			{"extra.other.test", true, []string{"config"}, []string{"93.184.217.2"}, "listed by the operator"},
			{"ghost.other.test", false, []string{"config"}, nil, "no address found"},
		}},
		{"private allowed", true, []wantHost{
			{"ecshop.test", true, []string{"apex", "argument"}, []string{"93.184.215.80"}, "listed by the operator"},
			{"www.ecshop.test", true, []string{"www"}, []string{"93.184.215.80"}, "within ecshop.test"},
			{"mail.ecshop.test", true, []string{"mx"}, []string{"93.184.215.25"}, "within ecshop.test"},
			{"mx.mail-provider.test", false, []string{"mx"}, []string{"93.184.216.26"}, "outside ecshop.test: MX of ecshop.test"},
			{"ns1.ecshop.test", true, []string{"ns"}, []string{"127.0.53.1"}, "within ecshop.test"},
			{"ns.dns-host.test", false, []string{"ns"}, []string{"127.0.55.1"}, "outside ecshop.test: NS of ecshop.test"},
			{"shop.ecshop.test", true, []string{"config"}, []string{"93.184.215.81"}, "within ecshop.test"},
			{"admin.ecshop.test", true, []string{"config"}, []string{"93.184.215.80"}, "within ecshop.test"},
			{"db.ecshop.test", true, []string{"config"}, []string{"10.0.30.33"}, "within ecshop.test"},
			{"extra.other.test", true, []string{"config"}, []string{"93.184.217.2"}, "listed by the operator"},
			{"ghost.other.test", false, []string{"config"}, nil, "no address found"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := discoverWith(t, DiscoverConfig{Targets: []string{"ECShop.test."}, Names: names, AllowPrivate: tt.allowPrivate})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := d.Domains, []string{"ecshop.test"}; !slices.Equal(got, want) {
				t.Errorf("domains: got %v, want %v", got, want)
			}
			checkHosts(t, d.Hosts, tt.want)
		})
	}
}

func TestDiscoverHostsAndAddresses(t *testing.T) {
	tests := []struct {
		name         string
		targets      []string
		allowPrivate bool
		domains      []string
		want         []wantHost
	}{
		{"a host, not a zone", []string{"host.other.test"}, false, nil, []wantHost{
			{"host.other.test", true, []string{"argument"}, []string{"93.184.217.1", "2606:2800:220:1::1"}, "listed by the operator"},
		}},
		{"a host with private addresses only", []string{"priv.other.test"}, false, nil, []wantHost{
			{"priv.other.test", false, []string{"argument"}, nil, "no usable address: refused 10.1.2.3"},
		}},
		{"IP addresses", []string{"93.184.215.9", "[2606:2800:220:1::9]"}, false, nil, []wantHost{
			{"93.184.215.9", true, []string{"argument"}, []string{"93.184.215.9"}, "listed by the operator"},
			{"2606:2800:220:1::9", true, []string{"argument"}, []string{"2606:2800:220:1::9"}, "listed by the operator"},
		}},
		{"a private IP address, allowed", []string{"10.0.0.1"}, true, nil, []wantHost{
			{"10.0.0.1", true, []string{"argument"}, []string{"10.0.0.1"}, "listed by the operator"},
		}},
		{"a domain's www named again", []string{"safe-shop.test", "www.safe-shop.test"}, true, []string{"safe-shop.test"}, []wantHost{
			{"safe-shop.test", true, []string{"apex", "argument"}, []string{"93.184.215.180"}, "listed by the operator"},
			{"www.safe-shop.test", true, []string{"www", "argument"}, []string{"93.184.215.180"}, "listed by the operator"},
			{"mail.safe-shop.test", true, []string{"mx"}, []string{"93.184.215.125"}, "within safe-shop.test"},
			{"ns1.safe-shop.test", true, []string{"ns"}, []string{"127.0.54.1"}, "within safe-shop.test"},
			{"ns2.safe-shop.test", true, []string{"ns"}, []string{"127.0.54.2"}, "within safe-shop.test"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := discoverWith(t, DiscoverConfig{Targets: tt.targets, AllowPrivate: tt.allowPrivate})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(d.Domains, tt.domains) {
				t.Errorf("domains: got %v, want %v", d.Domains, tt.domains)
			}
			checkHosts(t, d.Hosts, tt.want)
		})
	}
}

func TestDiscoverErrors(t *testing.T) {
	closed := closedPort(t).String()
	silent := silentServer(t).String()
	tests := []struct {
		name     string
		targets  []string
		names    []string
		resolver string
		want     string
	}{
		{"NXDOMAIN", []string{"nope.ecshop.test"}, nil, "", "target nope.ecshop.test does not exist (NXDOMAIN"},
		{"no address, not a zone", []string{"_dmarc.safe-shop.test"}, nil, "", "target _dmarc.safe-shop.test has no addresses and is not a zone"},
		{"private IP", []string{"10.0.0.1"}, nil, "", "target 10.0.0.1 is a private (RFC 1918) address"},
		{"loopback IP", []string{"127.0.0.1"}, nil, "", "target 127.0.0.1 is a loopback address"},
		{"not a name", []string{"bad name"}, nil, "", `target "bad name" is not a domain name`},
		{"bad configured name", []string{"ecshop.test"}, []string{"a b"}, "", `host name "a b" is not a domain name`},
		{"no targets", nil, nil, "", "no targets"},
		{"closed resolver", []string{"ecshop.test"}, nil, closed, "resolver " + closed + " unreachable: ecshop.test. SOA"},
		{"silent resolver", []string{"ecshop.test"}, nil, silent, "resolver " + silent + " unreachable"},
		{"resolver not an address", []string{"ecshop.test"}, nil, "dns.example", `resolver "dns.example"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DiscoverConfig{Targets: tt.targets, Names: tt.names, Resolver: tt.resolver}
			if tt.resolver == silent {
				cfg.Timeout = 200 * time.Millisecond
			}
			d, err := discoverWith(t, cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, %v; want an error containing %q", d, err, tt.want)
			}
			t.Log(err)
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q spans lines, want one", err)
			}
		})
	}
}

func TestDiscoverEvidence(t *testing.T) {
	d, err := discoverWith(t, DiscoverConfig{Targets: []string{"ecshop.test"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Evidence) == 0 {
		t.Fatal("no evidence")
	}
	e := d.Evidence[0]
	if got, want := e.ID, "discovery:ecshop.test/SOA"; got != want {
		t.Errorf("first evidence ID: got %q, want %q", got, want)
	}
	for _, want := range []string{";; query: ecshop.test. IN SOA", "flags: rd", ";; reply: NOERROR, flags: qr rd ra", "ecshop.test.\t3600\tIN\tSOA\tns1.ecshop.test."} {
		if !strings.Contains(e.Data, want) {
			t.Errorf("evidence %q lacks %q", e.Data, want)
		}
	}
	seen := map[string]bool{}
	for _, e := range d.Evidence {
		if seen[e.ID] {
			t.Errorf("evidence ID %s used twice", e.ID)
		}
		seen[e.ID] = true
	}
}

func TestDiscoverLookupFailureShows(t *testing.T) {
	f := &fakeNS{world: newWorld(t, time.Now()), resolver: true, servfail: "broken.ecshop.test."}
	srv := startFake(t, f)
	d, err := discoverWith(t, DiscoverConfig{Targets: []string{"ecshop.test"}, Names: []string{"broken", "nosuch"}, Resolver: srv.String()})
	if err != nil {
		t.Fatal(err)
	}
	var got []wantHost
	for _, h := range d.Hosts {
		if strings.HasPrefix(h.Name, "broken.") || strings.HasPrefix(h.Name, "nosuch.") {
			got = append(got, wantHost{name: h.Name, inScope: h.InScope, sources: h.Sources, reason: h.Reason})
		}
	}
	want := "no address found: resolver " + srv.String() + " answered A: SERVFAIL, AAAA: SERVFAIL"
	if len(got) != 1 || got[0].name != "broken.ecshop.test" || got[0].inScope || got[0].reason != want {
		t.Errorf("got %+v, want only broken.ecshop.test, out of scope, reason %q", got, want)
	}
}
