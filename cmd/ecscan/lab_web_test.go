package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"ecscan/checks"
	"ecscan/mapping"
	"ecscan/report"
)

// The web check against the lab's two apache instances (lab/README.md): www.ecshop.test
// (127.0.30.80) with directory listings, sample CGIs, TRACE, WebDAV, an exposed .git/ and
// a database dump; www.safe-shop.test (127.0.30.180), its hardened twin.
const (
	labShopWeb = "127.0.30.80"
	labSafeWeb = "127.0.30.180"
)

// webOutcomes returns the outcomes of finding id on addr:port, by subject.
func webOutcomes(rep *report.Report, id, addr string, port int) map[string]checks.Outcome {
	got := map[string]checks.Outcome{}
	for _, f := range rep.Findings {
		if f.ID == id && f.Addr == addr && f.Port == port {
			got[f.Subject] = f.Outcome
		}
	}
	return got
}

// webFailed reports whether id failed on addr:port for subject ("" for any subject).
func webFailed(rep *report.Report, id, addr string, port int, subject string) bool {
	for s, o := range webOutcomes(rep, id, addr, port) {
		if o == checks.Fail && (subject == "" || s == subject) {
			return true
		}
	}
	return false
}

// controlStatus returns the status of control id of question q ("" when absent).
func controlStatus(rep *report.Report, q, id string) string {
	for _, qa := range rep.Answers {
		if qa.Question == q {
			for _, c := range qa.Controls {
				if c.ID == id {
					return c.Status
				}
			}
		}
	}
	return ""
}

// webControls9_2_3 are 9-2-3's control points the web check decides.
var webControls9_2_3 = []string{"directory-listing-minimal", "no-important-files-by-url", "http-methods-restricted"}

// evidenceContains reports whether any evidence item of the web check holds s.
func evidenceContains(rep *report.Report, s string) bool {
	for _, r := range rep.Results {
		if r.Check != "web" {
			continue
		}
		for _, e := range r.Evidence {
			if strings.Contains(e.Data, s) || strings.Contains(e.Title, s) {
				return true
			}
		}
	}
	return false
}

func TestLabWebMisconfigured(t *testing.T) {
	needLab(t)
	code, rep, _ := labScan(t, "--checks", "web,tls", "--ports", "80,443", "--ca-bundle", labCA(t), "ecshop.test")
	if code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
	for _, want := range []struct {
		id      string
		port    int
		subject string
	}{
		{"web.dir-listing", 80, "/images/"},
		{"web.dir-listing", 80, "/backup/"},
		{"web.dir-listing", 443, "/images/"},
		{"web.sample-cgi", 80, "/cgi-bin/phf"},
		{"web.sample-cgi", 80, "/cgi-bin/test-cgi"},
		{"web.sample-cgi", 80, "/cgi-bin/printenv"},
		{"web.server-status", 80, ""},
		{"web.server-info", 80, ""},
		{"web.trace", 80, "/"},
		{"web.trace", 443, "/"},
		{"web.webdav", 80, "/uploads/"},
		{"web.vcs-exposed", 80, "/.git/HEAD"},
		{"web.vcs-exposed", 80, "/.git/config"},
		{"web.exposed-file", 80, "/backup/shop.sql"},
		{"web.exposed-file", 80, "/index.php.bak"},
		{"web.password-over-http", 80, "/login.html"},
		{"web.cookie-flags", 443, "SHOPSESSID"},
		{"web.hsts", 443, ""},
		{"web.version-disclosure", 80, "Server"},
	} {
		if !webFailed(rep, want.id, labShopWeb, want.port, want.subject) {
			t.Errorf("%s on %s:%d %q: not a failure; got %v", want.id, labShopWeb, want.port, want.subject, webOutcomes(rep, want.id, labShopWeb, want.port))
		}
	}
	// Without --intrusive the exploiting request is never sent and nothing is written.
	if o := webOutcomes(rep, "web.sample-cgi-exploitable", labShopWeb, 80); len(o) != 0 {
		t.Errorf("web.sample-cgi-exploitable without --intrusive: %v", o)
	}
	if o := webOutcomes(rep, "web.put", labShopWeb, 80); len(o) != 0 {
		t.Errorf("web.put without --intrusive: %v", o)
	}
	if evidenceContains(rep, "Qalias=") {
		t.Errorf("the phf exploit request was sent without --intrusive")
	}
	// Passes are evidence too: a template that ran and did not match.
	if o := webOutcomes(rep, "web.iis-sample", labShopWeb, 80); o[""] != checks.Pass {
		t.Errorf("web.iis-sample on apache: got %v, want a pass", o)
	}
	// 2-2-1: a sample CGI reachable rules out A; 9-2-3: high failures (.git, a dump, a
	// password over http) suggest C.
	if a := blockAnswer(rep, "2-2-1", "evaluation"); a == nil || a.Scan == nil || slices.Contains(a.Scan.Allowed, "A") || !slices.Contains(a.Scan.Allowed, "B") {
		t.Errorf("2-2-1/evaluation: got %+v, want A ruled out and B allowed", a)
	}
	if a := blockAnswer(rep, "9-2-3", "evaluation"); a == nil || a.Source != mapping.FromScan || !slices.Equal(a.Choices, []string{"C"}) {
		t.Errorf("9-2-3/evaluation: got %+v, want C from the scan", a)
	}
	for _, c := range append(webControls9_2_3, "ssl-encryption") {
		if got := controlStatus(rep, "9-2-3", c); got != "fail" {
			t.Errorf("9-2-3 control %s: got %q, want fail", c, got)
		}
	}
}

func TestLabWebIntrusive(t *testing.T) {
	needLab(t)
	uploads := filepath.Join(filepath.Dir(filepath.Dir(labCA(t))), "apache", "ecshop", "htdocs", "uploads")
	before, err := os.ReadDir(uploads)
	if err != nil {
		t.Fatalf("the lab's WebDAV directory: %v", err)
	}
	code, rep, _ := labScan(t, "--checks", "web", "--ports", "80", "--intrusive", "www.ecshop.test")
	if code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
	if !webFailed(rep, "web.sample-cgi-exploitable", labShopWeb, 80, "/cgi-bin/phf?Qalias=x%0a/bin/cat%20/etc/passwd") {
		t.Errorf("phf not proven exploitable with --intrusive: %v", webOutcomes(rep, "web.sample-cgi-exploitable", labShopWeb, 80))
	}
	if !webFailed(rep, "web.put", labShopWeb, 80, "/uploads/") || !webFailed(rep, "web.delete", labShopWeb, 80, "") {
		t.Errorf("PUT/DELETE on /uploads/: put %v, delete %v", webOutcomes(rep, "web.put", labShopWeb, 80), webOutcomes(rep, "web.delete", labShopWeb, 80))
	}
	after, err := os.ReadDir(uploads)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) {
		t.Errorf("the write test left files behind: before %d entries, after %d", len(before), len(after))
	}
	// 2-2-1: a sample CGI that ran our command rules out A and B.
	if a := blockAnswer(rep, "2-2-1", "evaluation"); a == nil || !slices.Equal(a.Choices, []string{"C"}) || a.Scan == nil || !slices.Equal(a.Scan.Allowed, []string{"C", "D"}) {
		t.Errorf("2-2-1/evaluation: got %+v, want C suggested, C and D allowed", a)
	}
}

func TestLabWebHardened(t *testing.T) {
	needLab(t)
	code, rep, _ := labScan(t, "--checks", "web,tls", "--ports", "80,443", "--ca-bundle", labCA(t), "safe-shop.test")
	if code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
	for _, id := range []string{
		"web.dir-listing", "web.sample-cgi", "web.cgi-interpreter", "web.server-status", "web.server-info",
		"web.trace", "web.webdav", "web.vcs-exposed", "web.exposed-file", "web.cookie-flags", "web.hsts",
		"web.csp", "web.frame-options", "web.content-type-options", "web.version-disclosure", "web.password-over-http",
	} {
		got := webOutcomes(rep, id, labSafeWeb, 443)
		if len(got) == 0 {
			t.Errorf("%s on %s:443: no finding, want a pass", id, labSafeWeb)
		}
		for s, o := range got {
			if o != checks.Pass {
				t.Errorf("%s on %s:443 %q: got %s, want pass", id, labSafeWeb, s, o)
			}
		}
	}
	for _, f := range rep.Findings {
		if f.Check == "web" && f.Outcome == checks.Fail {
			t.Errorf("hardened twin: web failure %s %s:%d %q", f.ID, f.Addr, f.Port, f.Subject)
		}
	}
	for _, c := range webControls9_2_3 {
		if got := controlStatus(rep, "9-2-3", c); got != "pass" {
			t.Errorf("9-2-3 control %s: got %q, want pass", c, got)
		}
	}
	if a := blockAnswer(rep, "2-2-1", "evaluation"); a == nil || a.Source != mapping.FromScan && a.Source != mapping.Open || len(a.Choices) > 0 && a.Choices[0] == "D" {
		t.Errorf("2-2-1/evaluation: got %+v, want no failure-driven choice", a)
	}
}
