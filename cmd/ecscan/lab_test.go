package main

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"ecscan/checks"
	"ecscan/mapping"
	"ecscan/report"
)

// The lab (lab/README.md): real Debian servers on 127.0.30.x. lab/test starts it and sets
// ECSCAN_LAB=required, so these tests never skip there (nor in CI); a plain `go test ./...`
// without the lab skips them.
const labResolver = "127.0.30.53:53"

func needLab(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("lab tests skipped in -short mode")
	}
	c, err := net.DialTimeout("tcp", labResolver, time.Second)
	if err == nil {
		c.Close()
		return
	}
	if os.Getenv("ECSCAN_LAB") == "required" || os.Getenv("CI") != "" {
		t.Fatalf("the lab is not running (%v): start it with lab/up", err)
	}
	t.Skipf("the lab is not running (%v); lab/test runs these tests with it", err)
}

// labScan scans the lab in-process and returns the exit code and the parsed report.
func labScan(t *testing.T, extra ...string) (int, *report.Report, string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "report")
	// --web-rate: the lab is on loopback; the default (10 requests/s per address) would
	// make each scan last a minute.
	args := append([]string{"scan", "--allow-private", "--resolver", labResolver, "--out", out, "--progress", "never", "--lang", "en", "--web-rate", "100"}, extra...)
	code, _, errs := ecscan(t, args...)
	data, err := os.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		t.Fatalf("scan %v: exit %d, no report.json (%v); stderr:\n%s", extra, code, err, errs)
	}
	var rep report.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("report.json does not parse: %v", err)
	}
	return code, &rep, out
}

func host(rep *report.Report, name string) *checks.Host {
	for i := range rep.Hosts {
		if rep.Hosts[i].Name == name {
			return &rep.Hosts[i]
		}
	}
	return nil
}

func service(rep *report.Report, addr string, port int) *checks.Service {
	for i, s := range rep.Services {
		if s.Addr.String() == addr && s.Port == port {
			return &rep.Services[i]
		}
	}
	return nil
}

// outcome returns the outcome of the finding id on host (any port, subject), "" if none.
func outcome(rep *report.Report, id, host string) checks.Outcome {
	var got checks.Outcome
	for _, f := range rep.Findings {
		if f.ID == id && (host == "" || f.Host == host) {
			if got == "" || f.Outcome == checks.Fail {
				got = f.Outcome
			}
		}
	}
	return got
}

func blockAnswer(rep *report.Report, q, b string) *mapping.Answer {
	for _, qa := range rep.Answers {
		if qa.Question == q {
			for i := range qa.Blocks {
				if qa.Blocks[i].Block == b {
					return &qa.Blocks[i]
				}
			}
		}
	}
	return nil
}

func TestLabMisconfiguredShop(t *testing.T) {
	needLab(t)
	code, rep, out := labScan(t, "--names", "admin,db", "ecshop.test")
	if code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
	for name, inScope := range map[string]bool{
		"ecshop.test": true, "www.ecshop.test": true, "ns1.ecshop.test": true, "mail.ecshop.test": true,
		"admin.ecshop.test": true, "db.ecshop.test": true,
		"mx.mail-provider.test": false, "ns.dns-host.test": false,
	} {
		h := host(rep, name)
		if h == nil {
			t.Errorf("host %s not discovered", name)
			continue
		}
		if h.InScope != inScope {
			t.Errorf("host %s: in scope %v, want %v (%s)", name, h.InScope, inScope, h.Reason)
		}
	}
	// Out-of-scope hosts are resolved (through the resolver) during discovery, and the DNS
	// check lists an out-of-scope name server as skipped; nothing else may touch them.
	for _, r := range rep.Results {
		outside := strings.Contains(r.Addr, "127.0.30.26") || strings.Contains(r.Addr, "127.0.30.55") || strings.Contains(r.Target, "mail-provider") || strings.Contains(r.Target, "dns-host")
		if outside && r.Check != "discovery" && r.Status != checks.StatusSkipped {
			t.Errorf("out-of-scope host probed: %s %s %s (%s)", r.Check, r.Target, r.Addr, r.Status)
		}
	}
	for _, s := range rep.Services {
		if a := s.Addr.String(); a == "127.0.30.26" || a == "127.0.30.55" {
			t.Errorf("out-of-scope address in the service map: %+v", s)
		}
	}
	for _, want := range []struct {
		addr     string
		port     int
		protocol string
		product  string
	}{
		{"127.0.30.80", 80, "http", "Apache"},
		{"127.0.30.22", 22, "ssh", "OpenSSH"},
		{"127.0.30.33", 5432, "postgresql", ""},
		{"127.0.30.53", 53, "dns", ""},
	} {
		s := service(rep, want.addr, want.port)
		if s == nil {
			t.Errorf("service %s:%d not found; services: %v", want.addr, want.port, rep.Services)
			continue
		}
		if s.Protocol != want.protocol || !strings.Contains(s.Product, want.product) {
			t.Errorf("service %s:%d: got %s %q, want %s %q", want.addr, want.port, s.Protocol, s.Product, want.protocol, want.product)
		}
	}
	if s := service(rep, "127.0.30.80", 80); s != nil && s.Version == "" {
		t.Errorf("apache's version not identified from ServerTokens Full: %+v", s)
	}
	for _, want := range []struct {
		id, host string
		outcome  checks.Outcome
	}{
		{"dns.axfr", "", checks.Fail},
		{"dns.spf-permissive", "", checks.Fail},
		{"dns.dmarc", "", checks.Fail},
		{"dns.caa", "", checks.Fail},
		{"dns.open-recursion", "", checks.Fail},
		{"ports.database", "db.ecshop.test", checks.Fail},
		{"ssh.password-auth", "admin.ecshop.test", checks.Fail},
		{"ports.version-disclosure", "www.ecshop.test", checks.Fail},
		{"ports.cleartext-admin", "www.ecshop.test", checks.Pass},
	} {
		if got := outcome(rep, want.id, want.host); got != want.outcome {
			t.Errorf("finding %s on %q: got %q, want %q", want.id, want.host, got, want.outcome)
		}
	}
	if a := blockAnswer(rep, "9-5-3", "evaluation"); a == nil || a.Source != mapping.FromScan || !slices.Equal(a.Choices, []string{"C"}) {
		t.Errorf("9-5-3/evaluation: got %+v, want C from the scan (database reachable)", a)
	}
	if a := blockAnswer(rep, "9-5-1", "placement"); a == nil || a.Scan == nil || slices.Contains(a.Scan.Allowed, "A") || slices.Contains(a.Scan.Allowed, "E") {
		t.Errorf("9-5-1/placement: got %+v, want A and E ruled out", a)
	}
	if a := blockAnswer(rep, "10-4-1", "diagnosis-form"); a == nil || !slices.Equal(a.Choices, []string{"A"}) {
		t.Errorf("10-4-1/diagnosis-form: got %+v, want A from the scan", a)
	}
	if a := blockAnswer(rep, "9-2-2", "cohosted-services"); a == nil || a.Source != mapping.FromScan {
		t.Errorf("9-2-2/cohosted-services: got %+v, want an answer from the scan", a)
	}
	for _, f := range rep.Findings {
		if !mapping.KnownFinding(f.ID) {
			t.Errorf("finding ID %q is not registered in configs/findings/", f.ID)
		}
	}
	md, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# ecscan scan report", "## Findings", "## The questionnaire", "#### 9-5-3", "## Evidence", "mx.mail-provider.test"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
}

func TestLabHardenedTwin(t *testing.T) {
	needLab(t)
	_, rep, _ := labScan(t, "--names", "admin", "safe-shop.test")
	for _, want := range []struct {
		id, host string
		outcome  checks.Outcome
	}{
		{"dns.axfr", "", checks.Pass},
		{"dns.spf", "", checks.Pass},
		{"dns.spf-permissive", "", checks.Pass},
		{"dns.dmarc", "", checks.Pass},
		{"dns.dmarc-policy", "", checks.Pass},
		{"dns.caa", "", checks.Pass},
		{"dns.open-recursion", "", checks.Pass},
		{"ssh.password-auth", "admin.safe-shop.test", checks.Pass},
		{"ports.database", "www.safe-shop.test", checks.Pass},
		{"ports.version-disclosure", "www.safe-shop.test", checks.Pass},
	} {
		if got := outcome(rep, want.id, want.host); got != want.outcome {
			t.Errorf("finding %s on %q: got %q, want %q", want.id, want.host, got, want.outcome)
		}
	}
	if a := blockAnswer(rep, "9-5-3", "evaluation"); a == nil || a.Source != mapping.Open {
		t.Errorf("9-5-3/evaluation: got %+v, want it left to the operator", a)
	}
}

func TestLabFailOnAndUsageErrors(t *testing.T) {
	needLab(t)
	code, _, _ := labScan(t, "--names", "db", "--fail-on", "high", "ecshop.test")
	if code != exitFindings {
		t.Errorf("--fail-on high with a reachable database: exit %d, want %d", code, exitFindings)
	}
	for _, args := range [][]string{
		{"no-such-zone.test"},
		{"--ports", "1-70000", "ecshop.test"},
		{"--resolver", "127.0.30.53:1", "ecshop.test"},
	} {
		out := filepath.Join(t.TempDir(), "r")
		full := append([]string{"scan", "--allow-private", "--resolver", labResolver, "--out", out, "--progress", "never"}, args...)
		code, _, errs := ecscan(t, full...)
		if code != exitUsage || strings.Count(errs, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line", args, code, errs)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%v: a report directory was written on a usage error", args)
		}
	}
}

func labCA(t *testing.T) string {
	dir := os.Getenv("ECSCAN_LAB_DIR")
	if dir == "" {
		dir = "/tmp/ecscan-lab"
	}
	ca := filepath.Join(dir, "ca", "ca.pem")
	if _, err := os.Stat(ca); err != nil {
		t.Fatalf("the lab CA is missing (%v): run lab/up", err)
	}
	return ca
}

// outcomeAt returns the outcome of finding id on host:port ("" if none).
func outcomeAt(rep *report.Report, id, host string, port int) checks.Outcome {
	var got checks.Outcome
	for _, f := range rep.Findings {
		if f.ID == id && f.Host == host && f.Port == port && (got == "" || f.Outcome == checks.Fail) {
			got = f.Outcome
		}
	}
	return got
}

// TestLabTLSMailFTP scans the lab's web, mail and FTP servers from 127.0.99.1 (so that no
// server trusts the scanner as local) and checks the TLS, SMTP, POP/IMAP and FTP findings
// and the 9-3-2 and 9-4-2 answers, for the misconfigured shop and its hardened twin.
func TestLabTLSMailFTP(t *testing.T) {
	needLab(t)
	ca := labCA(t)
	_, bad, _ := labScan(t, "--names", "ftp,mail2", "--source-address", "127.0.99.1", "--ca-bundle", ca, "--top-ports", "100", "ecshop.test")
	_, good, _ := labScan(t, "--names", "ftp,mail", "--source-address", "127.0.99.1", "--ca-bundle", ca, "--top-ports", "100", "safe-shop.test")
	tests := []struct {
		rep     *report.Report
		id      string
		host    string
		port    int
		outcome checks.Outcome
	}{
		{bad, "tls.cert.expired", "ecshop.test", 443, checks.Fail},
		{bad, "tls.protocol.tls10", "ecshop.test", 443, checks.Fail},
		{bad, "tls.hsts", "ecshop.test", 443, checks.Fail},
		{bad, "smtp.open-relay", "mail.ecshop.test", 25, checks.Fail},
		{bad, "smtp.vrfy", "mail.ecshop.test", 25, checks.Fail},
		{bad, "smtp.expn", "mail2.ecshop.test", 25, checks.Fail},
		{bad, "mail.plaintext-auth", "mail.ecshop.test", 110, checks.Fail},
		{bad, "mail.plaintext-auth", "mail.ecshop.test", 143, checks.Fail},
		{bad, "ftp.anonymous", "ftp.ecshop.test", 21, checks.Fail},
		{bad, "ftp.anonymous-writable", "ftp.ecshop.test", 21, checks.Fail},
		{good, "tls.cert.expired", "safe-shop.test", 443, checks.Pass},
		{good, "tls.cert.untrusted", "safe-shop.test", 443, checks.Pass},
		{good, "tls.protocol.tls10", "safe-shop.test", 443, checks.Pass},
		{good, "tls.hsts", "safe-shop.test", 443, checks.Pass},
		{good, "tls.http-redirect", "safe-shop.test", 80, checks.Pass},
		{good, "smtp.open-relay", "mail.safe-shop.test", 25, checks.Pass},
		{good, "smtp.vrfy", "mail.safe-shop.test", 25, checks.Pass},
		{good, "smtp.auth-plaintext", "mail.safe-shop.test", 25, checks.Pass},
		{good, "mail.plaintext-auth", "mail.safe-shop.test", 110, checks.Pass},
		{good, "mail.plaintext-auth", "mail.safe-shop.test", 143, checks.Pass},
		{good, "ftp.anonymous", "ftp.safe-shop.test", 21, checks.Pass},
	}
	for _, tc := range tests {
		if got := outcomeAt(tc.rep, tc.id, tc.host, tc.port); got != tc.outcome {
			t.Errorf("%s on %s:%d: got %q, want %q", tc.id, tc.host, tc.port, got, tc.outcome)
		}
	}
	for _, q := range []string{"9-3-2", "9-4-2"} {
		a := blockAnswer(bad, q, "evaluation")
		if a == nil || a.Scan == nil || slices.Contains(a.Scan.Allowed, "A") || len(a.Scan.Allowed) == 0 {
			t.Errorf("%s/evaluation of the misconfigured shop: got %+v, want A ruled out", q, a)
		}
	}
	if a := blockAnswer(good, "9-3-2", "evaluation"); a == nil || a.Scan == nil || slices.Contains(a.Scan.Allowed, "C") {
		t.Errorf("9-3-2/evaluation of the hardened twin: got %+v, want A or B allowed only", a)
	}
	for _, f := range append(bad.Findings, good.Findings...) {
		if !mapping.KnownFinding(f.ID) {
			t.Errorf("finding ID %q is not registered in configs/findings/", f.ID)
		}
	}
}

// TestLabPortsOnly: "--checks ports" runs the ports check alone (the service map, nothing
// fed by it), and an unknown check name is a usage error.
func TestLabPortsOnly(t *testing.T) {
	needLab(t)
	_, rep, _ := labScan(t, "--checks", "ports", "--ports", "25,80,443", "www.ecshop.test", "mail.ecshop.test")
	if service(rep, "127.0.30.80", 443) == nil || service(rep, "127.0.30.25", 25) == nil {
		t.Errorf("services: %v, want 127.0.30.80:443 and 127.0.30.25:25", rep.Services)
	}
	for _, r := range rep.Results {
		if r.Check != "ports" && r.Check != "discovery" {
			t.Errorf("--checks ports ran %s on %s", r.Check, r.Target)
		}
	}
	if code, _, errs := ecscan(t, "scan", "--checks", "portz", "www.ecshop.test"); code != exitUsage || !strings.Contains(errs, "portz") {
		t.Errorf("--checks portz: exit %d, %q; want 2 naming it", code, errs)
	}
}
