//go:build lab

package tls

// The lab's TLS services, scanned by hand: go test -tags lab -run TestLab -v ./checks/tls/
// (lab/up first). Connections come from LAB_SOURCE_IP (default 127.0.99.1); the CA bundle is
// LAB_CA_BUNDLE (default /tmp/ecscan-lab/ca/ca.pem). Only 127.0.30.x is contacted.

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"sort"
	"sync"
	"testing"
	"time"

	"ecscan/checks"
)

func TestLab(t *testing.T) {
	source := netip.MustParseAddr("127.0.99.1")
	if s := os.Getenv("LAB_SOURCE_IP"); s != "" {
		source = netip.MustParseAddr(s)
	}
	bundle := "/tmp/ecscan-lab/ca/ca.pem"
	if s := os.Getenv("LAB_CA_BUNDLE"); s != "" {
		bundle = s
	}
	// StartTLS as the ports check finds it: mail2 (sendmail) and ftp.ecshop.test do not list
	// the upgrade.
	svc := func(host, addr string, port int, proto string, tls bool) checks.Service {
		listed := !tls && proto != "http" && host != "mail2.ecshop.test" && host != "ftp.ecshop.test"
		return checks.Service{Host: host, Addr: netip.MustParseAddr(addr), Port: port, Protocol: proto, TLS: tls, StartTLS: listed}
	}
	env := &checks.Env{
		Services: []checks.Service{
			svc("www.ecshop.test", "127.0.30.80", 80, "http", false), svc("www.ecshop.test", "127.0.30.80", 443, "http", true),
			svc("www.safe-shop.test", "127.0.30.180", 80, "http", false), svc("www.safe-shop.test", "127.0.30.180", 443, "http", true),
			svc("mail.ecshop.test", "127.0.30.25", 25, "smtp", false), svc("mail.ecshop.test", "127.0.30.25", 587, "smtp", false),
			svc("mail.ecshop.test", "127.0.30.25", 110, "pop3", false), svc("mail.ecshop.test", "127.0.30.25", 143, "imap", false),
			svc("mail.safe-shop.test", "127.0.30.125", 25, "smtp", false), svc("mail.safe-shop.test", "127.0.30.125", 587, "smtp", false),
			svc("mail.safe-shop.test", "127.0.30.125", 110, "pop3", false), svc("mail.safe-shop.test", "127.0.30.125", 143, "imap", false),
			svc("mail.safe-shop.test", "127.0.30.125", 993, "imap", true), svc("mail.safe-shop.test", "127.0.30.125", 995, "pop3", true),
			svc("mail2.ecshop.test", "127.0.30.27", 25, "smtp", false),
			svc("ftp.ecshop.test", "127.0.30.21", 21, "ftp", false), svc("ftp.safe-shop.test", "127.0.30.121", 21, "ftp", false),
		},
		Dialer: checks.NewDialer(checks.DefaultLimits(), source),
		Now:    time.Now,
	}
	var mu sync.Mutex
	var results []checks.Result
	start := time.Now()
	err := New(Config{CABundle: bundle, Timeout: 10 * time.Second}).Run(context.Background(), env, func(r checks.Result) {
		mu.Lock()
		results = append(results, r)
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	sort.Slice(results, func(i, j int) bool { return results[i].Target < results[j].Target })
	for _, r := range results {
		checkEvidenceRefs(t, r)
		fmt.Printf("=== %s %s %s %s (%s) in %s\n", r.Target, r.Addr, r.Status, gradeOf(r), r.Error, r.Ended.Sub(r.Started).Round(time.Millisecond))
		for _, f := range r.Findings {
			fmt.Printf("  %-24s %-4s %-8s %s\n", f.ID, f.Outcome, f.Severity, f.Title.EN)
		}
		if os.Getenv("LAB_VERBOSE") != "" {
			for _, f := range r.Findings {
				fmt.Printf("--- %s\n%s\n%s\n", f.ID, f.Detail.EN, f.Detail.JA)
			}
			for _, e := range r.Evidence {
				fmt.Printf("--- evidence %s: %s\n%s", e.ID, e.Title, e.Data)
			}
		}
	}
	fmt.Printf("all endpoints in %s\n", elapsed.Round(time.Millisecond))
}
