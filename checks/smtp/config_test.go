package smtp

import (
	"context"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"ecscan/checks"
)

func TestConfigErrors(t *testing.T) {
	dialer := checks.NewDialer(checks.DefaultLimits(), netip.Addr{})
	tests := []struct {
		name string
		cfg  Config
		env  *checks.Env
		want string
	}{
		{"no dialer", Config{}, &checks.Env{}, "no dialer"},
		{"negative timeout", Config{Timeout: -time.Second}, &checks.Env{Dialer: dialer}, "negative"},
		{"bad HELO name", Config{HeloName: "ecscan\r\nRSET"}, &checks.Env{Dialer: dialer}, "HELO name"},
		{"relay test address with brackets", Config{RelayTestTo: "<op@owner.test>"}, &checks.Env{Dialer: dialer}, "relay test address"},
		{"relay test address with CRLF", Config{RelayTestTo: "op@owner.test\r\nDATA"}, &checks.Env{Dialer: dialer}, "relay test address"},
		{"bad domain", Config{Domains: []string{"shop test"}}, &checks.Env{Dialer: dialer}, "domain"},
	}
	for _, tc := range tests {
		err := New(tc.cfg).Run(context.Background(), tc.env, func(checks.Result) { t.Errorf("%s: emitted a result", tc.name) })
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one about %q", tc.name, err, tc.want)
		}
	}
}

func TestResolveDefaults(t *testing.T) {
	env := &checks.Env{Dialer: checks.NewDialer(checks.Limits{Timeout: 7 * time.Second}, netip.Addr{}), Domains: []string{"Shop.Test."}}
	cfg, err := New(Config{}).(*check).resolve(env)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.HeloName != DefaultHeloName || cfg.Timeout != 7*time.Second || len(cfg.Domains) != 1 || cfg.Domains[0] != "shop.test" || cfg.random == nil {
		t.Errorf("resolved %+v", cfg)
	}
	env.Dialer = checks.NewDialer(checks.Limits{}, netip.Addr{})
	if cfg, _ = New(Config{}).(*check).resolve(env); cfg.Timeout != DefaultTimeout {
		t.Errorf("timeout %s, want %s", cfg.Timeout, DefaultTimeout)
	}
}

func TestOwnDomain(t *testing.T) {
	domains := []string{"shop.test", "brand.test"}
	for host, want := range map[string]string{"mail.brand.test": "brand.test", "brand.test": "brand.test", "mx.other.test": "shop.test", "127.0.0.1": "shop.test"} {
		if got := ownDomain(domains, host); got != want {
			t.Errorf("ownDomain(%q) = %q, want %q", host, got, want)
		}
	}
	if got := ownDomain(nil, "mail.shop.test"); got != "" {
		t.Errorf("no domains: %q", got)
	}
}

// TestOnlyInScopeSMTP: services of other protocols are left alone, and an SMTP service on
// an address no in-scope host has is reported skipped without a connection.
func TestOnlyInScopeSMTP(t *testing.T) {
	m := hardened(t)
	ap := m.start(t)
	in := service(ap, false)
	out := checks.Service{Host: "mx.provider.test", Addr: netip.MustParseAddr("127.0.0.2"), Port: int(ap.Port()), Protocol: "smtp"}
	web := checks.Service{Host: "www.shop.test", Addr: ap.Addr(), Port: 80, Protocol: "http"}
	env := &checks.Env{
		Hosts: []checks.Host{
			{Name: "mail.shop.test", Addrs: []netip.Addr{ap.Addr()}, InScope: true},
			{Name: "mx.provider.test", Addrs: []netip.Addr{out.Addr}, InScope: false},
		},
		Services: []checks.Service{web, in, out},
		Dialer:   checks.NewDialer(checks.DefaultLimits(), netip.Addr{}), Now: clock(),
	}
	var got []checks.Result
	if err := New(Config{Timeout: 5 * time.Second}).Run(context.Background(), env, func(r checks.Result) { got = append(got, r) }); err != nil {
		t.Fatal(err)
	}
	status := map[string]checks.Status{}
	for _, r := range got {
		status[r.Target] = r.Status
	}
	if len(got) != 2 || status[in.Host+":"+strconv.Itoa(in.Port)] != checks.StatusOK || status[out.Host+":"+strconv.Itoa(out.Port)] != checks.StatusSkipped {
		t.Errorf("results %v", status)
	}
	if n := m.conns(); n != 4 {
		t.Errorf("connections: %d, want 4 (session, 2 relay, enum; all to the in-scope service)", n)
	}
}

func TestDialogueBound(t *testing.T) {
	d := &Dialogue{ID: "x"}
	at := time.Date(2025, 4, 1, 9, 0, 0, 0, time.UTC)
	line := strings.Repeat("z", 1000)
	for i := 0; i < 1000; i++ {
		d.add(at, "S", line)
	}
	if d.size > maxDialogBytes || d.Truncated == 0 {
		t.Errorf("size %d, truncated %d", d.size, d.Truncated)
	}
	out := d.Render()
	if !strings.HasPrefix(out, "2025-04-01T09:00:00.000Z S: zzz") || !strings.Contains(out, "more lines left out") {
		t.Errorf("render: %q…", out[:80])
	}
}

func TestEvidenceHeader(t *testing.T) {
	d := &Dialogue{ID: "relay", Title: "Relay test"}
	d.add(time.Date(2025, 4, 1, 9, 0, 0, 0, time.UTC), "C", "EHLO ecscan.invalid")
	obs := &Observation{Host: "mail.shop.test", Addr: netip.MustParseAddr("127.0.30.25"), Port: 25, Dialogues: []*Dialogue{d},
		Origin: assessOrigin(netip.MustParseAddr("127.0.30.25"), netip.MustParseAddr("127.0.30.25"))}
	ev := BuildEvidence(obs, time.Time{})
	if len(ev) != 1 || ev[0].ID != "relay" || ev[0].Kind != "transcript" {
		t.Fatalf("evidence %+v", ev)
	}
	for _, s := range []string{"# service: mail.shop.test (127.0.30.25:25), cleartext", "# source address: 127.0.30.25 (same-address: the server may trust it as local", "C: EHLO ecscan.invalid"} {
		if !strings.Contains(ev[0].Data, s) {
			t.Errorf("evidence lacks %q:\n%s", s, ev[0].Data)
		}
	}
}
