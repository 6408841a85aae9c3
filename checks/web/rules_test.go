package web_test

import (
	"slices"
	"testing"
	"time"

	"ecscan/checks"
	"ecscan/mapping"
)

func webFinding(id, subject string, o checks.Outcome, sev checks.Severity) checks.Finding {
	return checks.Finding{ID: id, Check: "web", Host: "www.shop.test", Port: 443, Subject: subject, Outcome: o, Severity: sev, Evidence: []string{"web:https://www.shop.test:443:tpl-1"}}
}

// scanAnswer joins the findings with the embedded catalog and rules and returns the scan's
// answer to one block.
func scanAnswer(t *testing.T, findings []checks.Finding, q, b string) *mapping.ScanAnswer {
	t.Helper()
	c, err := mapping.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	r, err := mapping.DefaultRules(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, qa := range mapping.Join(mapping.Input{Catalog: c, Rules: r, Findings: findings, Now: time.Now(),
		Facts: mapping.Facts{"scan.ports": {"x"}, "web.host": {"x"}}}) {
		if qa.Question != q {
			continue
		}
		for _, a := range qa.Blocks {
			if a.Block == b {
				return a.Scan
			}
		}
	}
	return nil
}

func TestRulesUseWebFindings(t *testing.T) {
	passes := func(ids ...string) []checks.Finding {
		var out []checks.Finding
		for _, id := range ids {
			out = append(out, webFinding(id, "", checks.Pass, checks.SevInfo))
		}
		return out
	}
	tests := []struct {
		name          string
		findings      []checks.Finding
		q, b          string
		wantSuggested []string
		wantAllowed   []string
	}{
		{"an exploitable sample CGI rules out A and B of 2-2-1",
			[]checks.Finding{webFinding("web.sample-cgi-exploitable", "/cgi-bin/phf", checks.Fail, checks.SevCritical)},
			"2-2-1", "evaluation", []string{"C"}, []string{"C", "D"}},
		{"a sample CGI rules out A of 2-2-1",
			[]checks.Finding{webFinding("web.sample-cgi", "/cgi-bin/test-cgi", checks.Fail, checks.SevMedium)},
			"2-2-1", "evaluation", []string{"B"}, []string{"B", "C", "D"}},
		{"an exposed .git rules out A of 9-2-3",
			[]checks.Finding{webFinding("web.vcs-exposed", "/.git/HEAD", checks.Fail, checks.SevHigh)},
			"9-2-3", "evaluation", []string{"C"}, []string{"B", "C", "D"}},
		{"a directory listing rules out A of 9-2-3",
			[]checks.Finding{webFinding("web.dir-listing", "/images/", checks.Fail, checks.SevMedium)},
			"9-2-3", "evaluation", []string{"B"}, []string{"B", "C", "D"}},
		{"a dump by URL puts protected files on the Internet (6-3-1)",
			[]checks.Finding{webFinding("web.exposed-file", "/backup.sql", checks.Fail, checks.SevHigh)},
			"6-3-1", "location", []string{"D"}, nil},
		{"a dump by URL rules out storage out of the web's reach (6-3-2)",
			[]checks.Finding{webFinding("web.exposed-file", "/backup.sql", checks.Fail, checks.SevHigh)},
			"6-3-2", "measures", nil, []string{"A", "C", "D"}},
		{"a key by URL (5-3-1)",
			[]checks.Finding{webFinding("web.exposed-file", "/server.key", checks.Fail, checks.SevHigh)},
			"5-3-1", "placement-evaluation", []string{"D"}, []string{"C", "D"}},
		{"password forms over HTTPS only: ID/password used (8-2-2)",
			passes("web.password-over-http"), "8-2-2", "auth-methods", []string{"A"}, nil},
		{"a session cookie without attributes rules out A of 9-8-5",
			[]checks.Finding{webFinding("web.cookie-flags", "PHPSESSID", checks.Fail, checks.SevMedium)},
			"9-8-5", "evaluation", nil, []string{"B", "C", "D"}},
		{"clean web checks leave 2-2-1 to the operator",
			passes("web.sample-cgi", "web.iis-sample", "web.sample-app", "web.cgi-interpreter", "web.server-status", "web.server-info", "web.phpinfo", "web.default-page"),
			"2-2-1", "evaluation", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sa := scanAnswer(t, tt.findings, tt.q, tt.b)
			if sa == nil {
				t.Fatalf("%s/%s: no scan answer", tt.q, tt.b)
			}
			if !slices.Equal(sa.Suggested, tt.wantSuggested) || !slices.Equal(sa.Allowed, tt.wantAllowed) {
				t.Errorf("%s/%s: suggested %v allowed %v, want %v and %v", tt.q, tt.b, sa.Suggested, sa.Allowed, tt.wantSuggested, tt.wantAllowed)
			}
		})
	}
}

// TestPasswordOverHTTPChoosesB: 8-4-2 is asked only when 8-2-2 has A (the scan gives it)
// and 8-4-1 has A or B (the operator's); without the operator's answer the condition is
// open and the block is answered from the scan.
func TestPasswordOverHTTPChoosesB(t *testing.T) {
	fs := []checks.Finding{
		webFinding("web.password-over-http", "/login", checks.Fail, checks.SevHigh),
		webFinding("web.password-over-http", "", checks.Pass, checks.SevInfo),
	}
	sa := scanAnswer(t, fs, "8-4-2", "receipt-method")
	if sa == nil {
		t.Fatal("8-4-2/receipt-method: no scan answer")
	}
	if !slices.Contains(sa.Required, "B") {
		t.Errorf("required %v, want B (Web without encryption)", sa.Required)
	}
}
