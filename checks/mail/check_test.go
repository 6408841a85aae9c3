package mail

import (
	"context"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"ecscan/checks"
)

// Run examines the POP3 and IMAP services of the map, and only those, one Result each.
func TestRun(t *testing.T) {
	pop := listen(t, scripted(t, &recorder{},
		step{"", "+OK ready\r\n", false},
		step{"CAPA", "+OK\r\nUSER\r\n.\r\n", false},
		step{"QUIT", "+OK\r\n", false},
	))
	imapPort := listen(t, scripted(t, &recorder{},
		step{"", "* OK [CAPABILITY IMAP4rev1 LOGINDISABLED] ready\r\n", false},
		step{"E1 LOGOUT", "E1 OK\r\n", false},
	))
	smtp := service("smtp", 1, false)
	env := &checks.Env{
		Services: []checks.Service{service("pop3", pop, false), service("imap", imapPort, false), smtp, service("pop3", pop, false)},
		Dialer:   testDialer(),
		Now:      func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) },
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
	if len(got) != 2 {
		t.Fatalf("got %d results, want 2 (pop3 and imap, once each)", len(got))
	}
	slices.SortFunc(got, func(a, b checks.Result) int { return a.Port - b.Port })
	for _, r := range got {
		if r.Status != checks.StatusOK || r.Addr != "127.0.0.1" || !strings.HasPrefix(r.Target, "mail.ecshop.test:") {
			t.Errorf("result %s: status %s, addr %s; want ok on 127.0.0.1", r.Target, r.Status, r.Addr)
		}
		if len(r.Evidence) != 1 || r.Evidence[0].ID != evDialogue {
			t.Errorf("result %s: evidence %v, want the dialogue", r.Target, r.Evidence)
		}
		for _, f := range r.Findings {
			if f.Host != "mail.ecshop.test" || f.Port != r.Port || len(f.Evidence) == 0 {
				t.Errorf("finding %s: host %q port %d evidence %v", f.ID, f.Host, f.Port, f.Evidence)
			}
		}
	}
}

func TestRunBadConfig(t *testing.T) {
	env := &checks.Env{Dialer: testDialer()}
	if err := New(Config{Timeout: -1}).Run(context.Background(), env, func(checks.Result) {}); err == nil {
		t.Error("a negative timeout: want an error")
	}
	if err := New(Config{}).Run(context.Background(), &checks.Env{}, func(checks.Result) {}); err == nil {
		t.Error("no dialer: want an error")
	}
}

func TestEndpoints(t *testing.T) {
	a, b := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("2001:db8::1")
	svcs := []checks.Service{
		{Host: "mail.example", Addr: a, Port: 143, Protocol: "imap"},
		{Host: "mail.example", Addr: b, Port: 143, Protocol: "imap"},
		{Host: "mail.example", Addr: a, Port: 995, Protocol: "pop3", TLS: true},
		{Host: "", Addr: a, Port: 110, Protocol: "pop3"},
		{Host: "mail.example", Addr: a, Port: 25, Protocol: "smtp"},
		{Host: "mail.example", Addr: a, Port: 143, Protocol: "imap"},
	}
	var got []string
	for _, e := range Endpoints(svcs) {
		got = append(got, e.Target)
	}
	want := []string{"192.0.2.1:143", "[2001:db8::1]:143", "mail.example:995", "192.0.2.1:110"}
	if !slices.Equal(got, want) {
		t.Errorf("targets %q, want %q", got, want)
	}
}
