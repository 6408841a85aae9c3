package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ecscan/checks"
	"ecscan/report"
)

// TestDemo runs `ecscan demo` as the README's first command does: the practice site in
// this process, the real scan, every report format. The site's own tests
// (internal/demo) check finding by finding what it is built to show; this one checks the
// command: its exit code, its files, and that the scan reached each of the site's servers.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("the demo scan takes a few seconds")
	}
	out := filepath.Join(t.TempDir(), "demo")
	code, stdout, stderr := ecscan(t, "demo", "--out", out, "--lang", "en", "--progress", "never")
	if code != 0 {
		t.Fatalf("ecscan demo: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for _, want := range []string{"Practice site demo-shop.test", "Reports written to " + out} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	for _, f := range []string{"report.json", "report.md", "report.html", "answers.xlsx", "report.sarif", "evidence.zip"} {
		if st, err := os.Stat(filepath.Join(out, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	if code, _, errs := ecscan(t, "evidence", "verify", filepath.Join(out, "evidence.zip")); code != 0 {
		t.Errorf("evidence verify: exit %d: %s", code, errs)
	}
	data, err := os.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep report.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	failed := map[string]bool{}
	for _, f := range rep.Findings {
		if f.Outcome == checks.Fail {
			failed[f.Check] = true
		}
	}
	for _, c := range []string{"ports", "dns", "tls", "smtp", "mail", "ftp", "web"} {
		if !failed[c] {
			t.Errorf("no failure from the %s check: the practice site is built to fail every check", c)
		}
	}
	for _, h := range rep.Hosts {
		for _, a := range h.Addrs {
			if !a.IsLoopback() {
				t.Errorf("host %s has a non-loopback address %s", h.Name, a)
			}
		}
	}
}

// TestDemoBadInput: a bad flag is a usage error, before any server starts.
func TestDemoBadInput(t *testing.T) {
	if code, _, stderr := ecscan(t, "demo", "--lang", "fr"); code != exitUsage || !strings.Contains(stderr, "--lang") {
		t.Errorf("demo --lang fr: exit %d, stderr %q; want 2 and a message naming --lang", code, stderr)
	}
}
