package ftp

import (
	"context"
	"net/netip"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"ecscan/checks"
)

// Run examines the FTP services of the map, once each; Env.Intrusive turns the intrusive
// tests on like Config.Intrusive.
func TestRun(t *testing.T) {
	for _, intrusive := range []bool{false, true} {
		f := &fakeFTP{anonymous: true, listing: unixListing, feat: []string{"EPSV"}, writable: []string{"incoming"}, canDelete: true}
		port := f.start(t)
		env := &checks.Env{
			Services:  []checks.Service{service(port, false), {Host: "ftp.ecshop.test", Addr: netip.MustParseAddr("127.0.0.1"), Port: 22, Protocol: "ssh"}, service(port, false)},
			Dialer:    testDialer(),
			Now:       testNow,
			Intrusive: intrusive,
		}
		var mu sync.Mutex
		var got []checks.Result
		err := New(Config{Timeout: 2 * time.Second}).Run(context.Background(), env, func(r checks.Result) {
			mu.Lock()
			got = append(got, r)
			mu.Unlock()
		})
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
		if len(got) != 1 || got[0].Status != checks.StatusOK || got[0].Port != port || got[0].Target != "ftp.ecshop.test:"+strconv.Itoa(port) {
			t.Fatalf("results %+v, want one ok result for ftp.ecshop.test:%d", got, port)
		}
		if f.saw("STOR") != intrusive || f.saw("PORT") != intrusive {
			t.Errorf("intrusive %v: the fake saw STOR %v, PORT %v", intrusive, f.saw("STOR"), f.saw("PORT"))
		}
		ids := map[string]bool{}
		for _, e := range got[0].Evidence {
			ids[e.ID] = true
		}
		for _, fd := range got[0].Findings {
			for _, ref := range fd.Evidence {
				if !ids[ref] {
					t.Errorf("finding %s refers to evidence %q, which the result lacks", fd.ID, ref)
				}
			}
		}
	}
}

func TestRunBadConfig(t *testing.T) {
	env := &checks.Env{Dialer: testDialer()}
	for _, cfg := range []Config{{Timeout: -1}, {PassiveSamples: -1}, {PassiveSamples: maxPassiveSamples + 1}} {
		if err := New(cfg).Run(context.Background(), env, func(checks.Result) {}); err == nil {
			t.Errorf("config %+v: want an error", cfg)
		}
	}
	if err := New(Config{}).Run(context.Background(), &checks.Env{}, func(checks.Result) {}); err == nil {
		t.Error("no dialer: want an error")
	}
}

func TestEndpoints(t *testing.T) {
	a, b := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("2001:db8::1")
	svcs := []checks.Service{
		{Host: "ftp.example", Addr: a, Port: 21, Protocol: "ftp"},
		{Host: "ftp.example", Addr: b, Port: 21, Protocol: "ftp"},
		{Host: "ftp.example", Addr: a, Port: 990, Protocol: "ftp", TLS: true},
		{Host: "ftp.example", Addr: a, Port: 25, Protocol: "smtp"},
	}
	var got []string
	for _, e := range Endpoints(svcs) {
		got = append(got, e.Target)
	}
	if want := []string{"192.0.2.1:21", "[2001:db8::1]:21", "ftp.example:990"}; !slices.Equal(got, want) {
		t.Errorf("targets %q, want %q", got, want)
	}
}
