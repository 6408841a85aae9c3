package report

import (
	"bytes"
	"encoding/json"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"ecscan/checks"
)

// uriPattern is an absolute URI: with a host name or address as authority, or opaque and
// percent-encoded.
var uriPattern = regexp.MustCompile(`^[a-z][a-z0-9+.-]*://([A-Za-z0-9._-]+|\[[0-9a-f:.]+\])(:[0-9]+)?$|^[a-z][a-z0-9+.-]*:([A-Za-z0-9._~:-]|%[0-9A-F]{2})+$`)

func writeSARIF(t *testing.T, r *Report, lang string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := (SARIFWriter{}).Write(&b, r, Options{Lang: lang}); err != nil {
		t.Fatalf("SARIFWriter.Write: %v", err)
	}
	return b.Bytes()
}

func TestSARIFGolden(t *testing.T) {
	golden(t, "report.sarif.golden", string(writeSARIF(t, hostileReport(), "ja")))
}

// obj and arr read a decoded JSON value, failing the test when it has another shape.
func obj(t *testing.T, v any, where string) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s: %T, want an object", where, v)
	}
	return m
}

func arr(t *testing.T, v any, where string) []any {
	t.Helper()
	a, ok := v.([]any)
	if !ok {
		t.Fatalf("%s: %T, want an array", where, v)
	}
	return a
}

func str(t *testing.T, m map[string]any, key, where string) string {
	t.Helper()
	s, ok := m[key].(string)
	if !ok || s == "" {
		t.Errorf("%s.%s = %#v, want a non-empty string", where, key, m[key])
	}
	return s
}

// TestSARIFStructure checks the requirements of SARIF 2.1.0 (OASIS standard, §3) that a
// consumer relies on: the log's version and runs, the driver's name and rules, each result's
// message, level, rule, locations and fingerprints.
func TestSARIFStructure(t *testing.T) {
	r := hostileReport()
	var log map[string]any
	if err := json.Unmarshal(writeSARIF(t, r, "ja"), &log); err != nil {
		t.Fatalf("report.sarif is not JSON: %v", err)
	}
	if log["version"] != "2.1.0" || log["$schema"] != SARIFSchema {
		t.Errorf("version %v, $schema %v", log["version"], log["$schema"])
	}
	if u, err := url.Parse(SARIFSchema); err != nil || u.Scheme != "https" {
		t.Errorf("$schema %q is not an absolute URI", SARIFSchema)
	}
	runs := arr(t, log["runs"], "runs")
	if len(runs) != 1 {
		t.Fatalf("%d runs, want 1", len(runs))
	}
	run := obj(t, runs[0], "run")
	driver := obj(t, obj(t, run["tool"], "tool")["driver"], "driver")
	if str(t, driver, "name", "driver") != "ecscan" || driver["version"] != r.Scanner.Version {
		t.Errorf("driver = %v", driver)
	}
	if run["language"] != "ja-JP" {
		t.Errorf("language = %v", run["language"])
	}
	inv := obj(t, arr(t, run["invocations"], "invocations")[0], "invocation")
	if inv["executionSuccessful"] != false {
		t.Errorf("an interrupted scan says executionSuccessful = %v", inv["executionSuccessful"])
	}
	var ruleIDs []string
	for i, rv := range arr(t, driver["rules"], "rules") {
		rule := obj(t, rv, "rule")
		ruleIDs = append(ruleIDs, str(t, rule, "id", "rule"))
		str(t, obj(t, rule["shortDescription"], "shortDescription"), "text", "rule.shortDescription")
		lvl := obj(t, rule["defaultConfiguration"], "defaultConfiguration")["level"]
		if !slices.Contains([]any{"none", "note", "warning", "error"}, lvl) {
			t.Errorf("rule %d level %v", i, lvl)
		}
	}
	var fails []checks.Finding
	for _, f := range r.Findings {
		if f.Outcome == checks.Fail {
			fails = append(fails, f)
		}
	}
	results := arr(t, run["results"], "results")
	if len(results) != len(fails) {
		t.Fatalf("%d results, want one per failed finding (%d)", len(results), len(fails))
	}
	for i, rv := range results {
		res, f := obj(t, rv, "result"), fails[i]
		if got := str(t, res, "ruleId", "result"); got != f.ID || ruleIDs[int(res["ruleIndex"].(float64))] != got {
			t.Errorf("result %d: ruleId %q, ruleIndex %v; want %q", i, got, res["ruleIndex"], f.ID)
		}
		if want := sarifLevel(f.Severity); res["level"] != want {
			t.Errorf("result %d (%s): level %v, want %s", i, f.Severity, res["level"], want)
		}
		if msg := str(t, obj(t, res["message"], "message"), "text", "message"); !strings.HasPrefix(msg, f.Title.JA) {
			t.Errorf("result %d: message %q does not start with the Japanese title", i, msg)
		}
		if fp := obj(t, res["partialFingerprints"], "partialFingerprints"); fp[FingerprintKey] != f.Key() {
			t.Errorf("result %d: fingerprint %v, want %q", i, fp, f.Key())
		}
		loc := obj(t, arr(t, res["locations"], "locations")[0], "location")
		uri := str(t, obj(t, obj(t, loc["physicalLocation"], "physicalLocation")["artifactLocation"], "artifactLocation"), "uri", "artifactLocation")
		if !uriPattern.MatchString(uri) {
			t.Errorf("result %d: uri %q is not an absolute URI of RFC 3986 characters", i, uri)
		}
		logical := obj(t, arr(t, loc["logicalLocations"], "logicalLocations")[0], "logicalLocation")
		str(t, logical, "fullyQualifiedName", "logicalLocation")
		ev := arr(t, obj(t, res["properties"], "properties")["evidence"], "properties.evidence")
		if len(ev) != len(f.Evidence) {
			t.Errorf("result %d: %d evidence IDs, want %d", i, len(ev), len(f.Evidence))
		}
	}
	if !slices.Equal(ruleIDs, []string{"dns.axfr", "ports.database", "web.header", "tls.protocol"}) {
		t.Errorf("rules = %v, want the failed findings' IDs in order", ruleIDs)
	}
}

func TestSARIFHostileContentIsData(t *testing.T) {
	out := writeSARIF(t, hostileReport(), "en")
	checkNoRawPayload(t, "sarif", string(out), "<script", "<img", "\x1b", "\x00", "\xff")
	var log struct {
		Runs []struct {
			Results []struct {
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct{ ArtifactLocation struct{ URI string } }
				}
			}
		}
	}
	if err := json.Unmarshal(out, &log); err != nil {
		t.Fatal(err)
	}
	var web string
	for _, res := range log.Runs[0].Results {
		if strings.Contains(res.Message.Text, "bad header") {
			web = res.Message.Text
			if got, want := res.Locations[0].PhysicalLocation.ArtifactLocation.URI, "https:%3Cscript%3Ealert%281%29%3C%2Fscript%3E.evil.test:443"; got != want {
				t.Errorf("uri = %q, want %q", got, want)
			}
		}
	}
	if !strings.Contains(web, "<script>alert(1)</script>") || !strings.Contains(web, "\x1b]0;pwned") {
		t.Errorf("the message lost its data: %q", web)
	}
}

func TestSARIFLevels(t *testing.T) {
	tests := []struct {
		sev  checks.Severity
		want string
	}{
		{checks.SevCritical, "error"}, {checks.SevHigh, "error"}, {checks.SevMedium, "warning"},
		{checks.SevLow, "note"}, {checks.SevInfo, "note"},
	}
	for _, tc := range tests {
		if got := sarifLevel(tc.sev); got != tc.want {
			t.Errorf("sarifLevel(%s) = %s, want %s", tc.sev, got, tc.want)
		}
	}
}

func TestSARIFNoFailures(t *testing.T) {
	r := &Report{Scanner: Scanner{Name: "ecscan", Version: "1"}, Findings: []checks.Finding{{ID: "ports.telnet", Outcome: checks.Pass}}}
	var log map[string]any
	if err := json.Unmarshal(writeSARIF(t, r, "en"), &log); err != nil {
		t.Fatal(err)
	}
	run := obj(t, arr(t, log["runs"], "runs")[0], "run")
	if res := arr(t, run["results"], "results"); len(res) != 0 {
		t.Errorf("%d results for a report without failures", len(res))
	}
	if rules := arr(t, obj(t, obj(t, run["tool"], "tool")["driver"], "driver")["rules"], "rules"); len(rules) != 0 {
		t.Errorf("%d rules for a report without failures", len(rules))
	}
}

func TestFindingURI(t *testing.T) {
	services := []checks.Service{{Host: "admin.ecshop.test", Port: 22, Protocol: "ssh"}, {Host: "x.test", Port: 9, Protocol: "unknown"}}
	tests := []struct {
		f    checks.Finding
		want string
	}{
		{checks.Finding{Check: "ssh", Host: "admin.ecshop.test", Port: 22}, "ssh://admin.ecshop.test:22"},
		{checks.Finding{Check: "ports", Host: "x.test", Port: 9}, "tcp://x.test:9"},
		{checks.Finding{Check: "dns", Host: "ecshop.test"}, "dns://ecshop.test"},
		{checks.Finding{Check: "Bad Check", Host: "ecshop.test"}, "tcp://ecshop.test"},
		{checks.Finding{Check: "ports", Host: "::1", Port: 80}, "tcp://[::1]:80"},
		{checks.Finding{Check: "dns", Host: "a b/c@d"}, "dns:a%20b%2Fc%40d"},
	}
	for _, tc := range tests {
		if got := findingURI(tc.f, services); got != tc.want {
			t.Errorf("findingURI(%+v) = %q, want %q", tc.f, got, tc.want)
		}
		if !uriPattern.MatchString(tc.want) {
			t.Errorf("%q does not match uriPattern", tc.want)
		}
	}
}
