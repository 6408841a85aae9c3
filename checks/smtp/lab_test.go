//go:build lab

package smtp

// The lab's mail servers, scanned by hand: go test -tags lab -run TestLab -v ./checks/smtp/
// (lab/up first). Connections come from LAB_SOURCE_IP (default 127.0.99.1), so the servers
// do not take the scanner for themselves. Only 127.0.30.x is contacted. LAB_ONLY=<address>
// keeps one server, LAB_VERBOSE=1 prints details and evidence, LAB_RELAY_TEST_TO=<address>
// sends the marked test message through an open relay.

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"ecscan/checks"
)

func TestLab(t *testing.T) {
	source := netip.MustParseAddr("127.0.99.1")
	if s := os.Getenv("LAB_SOURCE_IP"); s != "" {
		source = netip.MustParseAddr(s)
	}
	svc := func(host, addr string, port int) checks.Service {
		return checks.Service{Host: host, Addr: netip.MustParseAddr(addr), Port: port, Protocol: "smtp"}
	}
	env := &checks.Env{
		Domains: []string{"ecshop.test", "safe-shop.test"},
		Services: []checks.Service{
			svc("mail.ecshop.test", "127.0.30.25", 25), svc("mail.ecshop.test", "127.0.30.25", 587),
			svc("mail.safe-shop.test", "127.0.30.125", 25), svc("mail.safe-shop.test", "127.0.30.125", 587),
			svc("mail2.ecshop.test", "127.0.30.27", 25),
		},
		Dialer: checks.NewDialer(checks.DefaultLimits(), source),
		Now:    time.Now,
	}
	if only := os.Getenv("LAB_ONLY"); only != "" {
		var keep []checks.Service
		for _, s := range env.Services {
			if s.Addr.String() == only {
				keep = append(keep, s)
			}
		}
		env.Services = keep
	}
	start := time.Now()
	err := New(Config{Timeout: 10 * time.Second, RelayTestTo: os.Getenv("LAB_RELAY_TEST_TO")}).Run(context.Background(), env, func(r checks.Result) {
		fmt.Printf("=== %s %s %s (%s) in %s\n", r.Target, r.Addr, r.Status, r.Error, r.Ended.Sub(r.Started).Round(time.Millisecond))
		for _, f := range r.Findings {
			fmt.Printf("  %-24s %-4s %-8s %s\n", f.ID, f.Outcome, f.Severity, f.Title.EN)
		}
		if os.Getenv("LAB_VERBOSE") != "" {
			for _, f := range r.Findings {
				fmt.Printf("--- %s\n%s\n%s\n", f.ID, f.Detail.EN, f.Detail.JA)
			}
			for _, e := range r.Evidence {
				fmt.Printf("--- evidence %s\n%s", e.ID, e.Data)
			}
		}
		if strings.HasPrefix(r.Target, "mail.ecshop.test:") && r.Status == checks.StatusOK {
			for _, f := range r.Findings {
				if f.ID == "smtp.open-relay" && f.Outcome != checks.Fail {
					t.Errorf("%s: the lab's open relay gave %s", r.Target, f.Outcome)
				}
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("all services in %s\n", time.Since(start).Round(time.Millisecond))
}
