package report

import (
	"flag"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ecscan/checks"
	"ecscan/mapping"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// payloads are what a hostile server puts in its banners, headers, records and names: markup,
// attribute breaks, Markdown table breaks, spreadsheet formulas, terminal escapes, NUL bytes
// and invalid UTF-8.
var payloads = []string{
	`<script>alert(1)</script>`,
	`"><img src=x onerror=alert(1)>`,
	`| x |`,
	`=HYPERLINK("http://x")`,
	`+cmd|' /C calc'!A0`,
	`@SUM(1)`,
	`-1+1`,
	"\x1b]0;pwned\x07",
	"nul\x00byte",
	"bad\xff\xfeutf8",
	"\tTAB",
	"\rCR",
}

// hostile is every payload in one string.
var hostile = strings.Join(payloads, " ")

// testCatalog loads the two-chapter catalog of testdata/catalog.
func testCatalog(t testing.TB) *mapping.Catalog {
	t.Helper()
	files := map[string][]byte{}
	for _, name := range []string{"ch01.yaml", "ch02.yaml"} {
		data, err := os.ReadFile(filepath.Join("testdata", "catalog", name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = data
	}
	c, err := mapping.Parse(files)
	if err != nil {
		t.Fatalf("test catalog: %v", err)
	}
	return c
}

var (
	t0       = time.Date(2026, 11, 28, 23, 32, 57, 0, time.UTC)
	evilHost = payloads[0] + ".evil.test"
	evilEvID = `web:<x>:"../../etc/passwd"` + "\x00/..\\..\\boot.ini"
)

// hostileReport builds a report whose every server-given field carries a payload, with
// answers of every source: scan, operator, override with conflicts, stale, not applicable,
// open, ratings and free text.
func hostileReport() *Report {
	r := &Report{
		Schema: "ecscan.report", SchemaVersion: SchemaVersion,
		Scanner: Scanner{Name: "ecscan", Version: "0.1.0-test"},
		Started: t0, Ended: t0.Add(1500 * time.Millisecond), Interrupted: true,
		SourceAddress: []string{"127.0.99.1"},
		Config:        map[string]any{"lang": "ja", "names": []any{"admin", "db"}, "timeout": "10s"},
		Targets:       []string{"ecshop.test", payloads[5]},
		Domains:       []string{"ecshop.test"},
		Hosts: []checks.Host{
			{Name: "db.ecshop.test", Addrs: []netip.Addr{netip.MustParseAddr("127.0.30.33")}, Sources: []string{"config"}, InScope: true, Reason: "within ecshop.test"},
			{Name: evilHost, Addrs: []netip.Addr{netip.MustParseAddr("127.0.30.80")}, Sources: []string{"mx", payloads[2]}, InScope: true, Reason: payloads[1]},
			{Name: "mx.mail-provider.test", Addrs: []netip.Addr{netip.MustParseAddr("::1")}, Sources: []string{"mx"}, Reason: "outside ecshop.test: " + payloads[7]},
		},
		Services: []checks.Service{
			{Host: "db.ecshop.test", Addr: netip.MustParseAddr("127.0.30.33"), Port: 5432, Protocol: "postgresql", Product: "PostgreSQL"},
			{Host: evilHost, Addr: netip.MustParseAddr("127.0.30.80"), Port: 443, Protocol: "https", TLS: true, Product: payloads[4], Version: payloads[6], Banner: hostile},
		},
		CheckErrors: map[string]string{"web": "templates: " + payloads[8]},
	}
	r.Results = hostileResults()
	for _, res := range r.Results {
		r.Findings = append(r.Findings, res.Findings...)
	}
	SortFindings(r.Findings)
	r.Answers = hostileAnswers()
	r.Summarize()
	return r
}

func hostileResults() []checks.Result {
	evDB := checks.Evidence{ID: "ports:db.ecshop.test:tcp-5432", Kind: "transcript", Target: "db.ecshop.test", Time: t0, Title: "Service identification, tcp/5432", Data: "C: SSLRequest\nS: N\n"}
	evWeb := checks.Evidence{ID: evilEvID, Kind: "http", Target: payloads[6], Time: t0, Title: payloads[5], Data: "GET / HTTP/1.1\r\nHost: x\r\n\r\nHTTP/1.1 200 OK\r\nServer: " + hostile + "\r\n\r\n</pre><script>alert(1)</script>\n```\n" + strings.Repeat("`", 5)}
	evCert := checks.Evidence{ID: "tls:www.ecshop.test:443:chain", Kind: "certificate", Target: "www.ecshop.test:443", Time: t0, Title: "Certificate chain", Data: "-----BEGIN CERTIFICATE-----\nMIIBfake" + payloads[0] + "\n-----END CERTIFICATE-----\n"}
	evDNS := checks.Evidence{ID: "dns:ns1.ecshop.test:ecshop.test/AXFR", Kind: "dns", Target: "ns1.ecshop.test", Time: t0, Title: "ecshop.test. AXFR", Data: "ecshop.test.\t300\tIN\tTXT\t\"" + hostile + "\"\n"}
	return []checks.Result{
		{Check: "ports", Target: "db.ecshop.test", Addr: "127.0.30.33", Status: checks.StatusOK, Started: t0, Ended: t0,
			Findings: []checks.Finding{
				{ID: "ports.database", Check: "ports", Host: "db.ecshop.test", Addr: "127.0.30.33", Port: 5432, Subject: "tcp/5432", Outcome: checks.Fail, Severity: checks.SevHigh,
					Title:    checks.T("データベースがインターネットから到達可能です: tcp/5432", "Database reachable from the Internet: tcp/5432"),
					Detail:   checks.T("ファイアウォールで遮断してください。", "Block it at the firewall."),
					Evidence: []string{evDB.ID}},
				{ID: "ports.telnet", Check: "ports", Host: "db.ecshop.test", Outcome: checks.Pass, Title: checks.T("telnet は公開されていない", "telnet is not exposed"), Evidence: []string{evDB.ID}},
			},
			Evidence: []checks.Evidence{evDB}},
		{Check: "web", Target: evilHost + ":443", Addr: "127.0.30.80", Port: 443, Status: checks.StatusProtocolError, Error: hostile, Started: t0, Ended: t0,
			Findings: []checks.Finding{
				{ID: "web.header", Check: "web", Host: evilHost, Addr: "127.0.30.80", Port: 443, Subject: payloads[3], Outcome: checks.Fail, Severity: checks.SevMedium,
					Title: checks.T(payloads[1]+" ヘッダーが不適切", payloads[1]+" bad header"), Detail: checks.T(payloads[4]+"\n| a | b |\n"+hostile, payloads[4]+"\n| a | b |\n"+hostile),
					Evidence: []string{evWeb.ID, "missing-evidence " + payloads[0]}},
				{ID: "tls.grade", Check: "tls", Host: "www.ecshop.test", Port: 443, Subject: "B", Outcome: checks.Info, Title: checks.T("TLS の評価: B", "TLS grade: B"), Detail: checks.T("評価 B（TLS 1.0 を許可）", "Grade B (TLS 1.0 offered)"), Evidence: []string{evCert.ID}},
				{ID: "tls.grade", Check: "tls", Host: evilHost, Port: 443, Subject: payloads[0], Outcome: checks.Info, Title: checks.T(payloads[6]+" TLS の評価", payloads[6]+" TLS grade"), Detail: checks.T(hostile, hostile)},
				{ID: "tls.protocol", Check: "tls", Host: "www.ecshop.test", Port: 443, Subject: "TLS 1.0", Outcome: checks.Fail, Severity: checks.SevLow, Title: checks.T("TLS 1.0 が有効", "TLS 1.0 is enabled"), Evidence: []string{evCert.ID}},
			},
			Evidence: []checks.Evidence{evWeb, evCert}},
		{Check: "dns", Target: "ns1.ecshop.test", Status: checks.StatusOK, Started: t0, Ended: t0,
			Findings: []checks.Finding{
				{ID: "dns.axfr", Check: "dns", Host: "ns1.ecshop.test", Port: 53, Subject: "ecshop.test", Outcome: checks.Fail, Severity: checks.SevCritical, Title: checks.T("ゾーン転送を誰にでも許可しています", "Zone transfer allowed to anyone"), Evidence: []string{evDNS.ID}},
				{ID: "dns.txt", Check: "dns", Host: "ecshop.test", Subject: payloads[5], Outcome: checks.Info, Title: checks.T("TXT レコード", "TXT record"), Detail: checks.T(hostile, hostile), Evidence: []string{evDNS.ID}},
			},
			Evidence: []checks.Evidence{evDNS},
			Data:     map[string]any{"records": []any{hostile}}},
	}
}

func hostileAnswers() []mapping.QuestionAnswer {
	dbKey := "ports.database|db.ecshop.test|5432|tcp/5432"
	na := checks.T("回答条件を満たさないため対象外: 評価でC、Dを回答した方のみ", "not asked: Only if C or D")
	skipped := checks.T("前の回答（1-1-1/evaluation）により対象外", "skipped by the answer to 1-1-1/evaluation")
	return []mapping.QuestionAnswer{
		{Question: "1-1-1", Kind: mapping.Technical,
			Controls: []mapping.ControlStatus{
				{ID: "no-database", Label: checks.T("データベースを公開していない", "No database exposed"), Status: mapping.ControlFail, Findings: []string{dbKey}},
				{ID: "no-telnet", Label: checks.T("telnet を公開していない", "No telnet exposed"), Status: mapping.ControlPass, Findings: []string{"ports.telnet|db.ecshop.test|0|"}},
			},
			Blocks: []mapping.Answer{
				{Block: "evaluation", Source: mapping.OperatorOverride, Choices: []string{"A"}, Justification: payloads[3] + " " + payloads[0], Expires: "2026-01-31", Stale: true,
					Scan:      &mapping.ScanAnswer{Suggested: []string{"C"}, Allowed: []string{"C", "D"}, Rationale: checks.T("データベースが到達可能。", "A database is reachable."), Findings: []string{dbKey}, Evidence: []string{"ports:db.ecshop.test:tcp-5432", "scan.ports: db.ecshop.test"}},
					Conflicts: []checks.Text{checks.T("回答 A は証跡と矛盾（証跡が許す選択肢: C,D）", "answer A contradicts the evidence (it allows C,D)")}},
				{Block: "reasons", Source: mapping.NotApplicable, Reason: &na},
			}},
		{Question: "1-1-2", Kind: mapping.Partial,
			Controls: []mapping.ControlStatus{{ID: "no-axfr", Label: checks.T("ゾーン転送を制限している", "Zone transfers restricted"), Status: mapping.ControlFail, Findings: []string{"dns.axfr|ns1.ecshop.test|53|ecshop.test"}}},
			Blocks: []mapping.Answer{{Block: "evaluation", Source: mapping.FromScan, Choices: []string{"C"},
				Scan: &mapping.ScanAnswer{Suggested: []string{"C"}, Required: []string{"C"}, Rationale: checks.T("ゾーン転送を許可している。"+payloads[1], "Zone transfer allowed."+payloads[1]), Findings: []string{"dns.axfr|ns1.ecshop.test|53|ecshop.test"}, Evidence: []string{"dns:ns1.ecshop.test:ecshop.test/AXFR", evilEvID}}}}},
		{Question: "1-2-1", Kind: mapping.Management, Blocks: []mapping.Answer{
			{Block: "frequency", Source: mapping.FromOperator, Ratings: map[string]string{"A": "daily", "B": "rarely"}},
			{Block: "remarks", Source: mapping.FromOperator, Text: payloads[3] + "\n" + payloads[2]},
		}},
		{Question: "2-1-1", Kind: mapping.Technical, Reason: &skipped, Blocks: []mapping.Answer{{Block: "evaluation", Source: mapping.NotApplicable, Reason: &skipped}}},
		{Question: "2-1-2", Kind: mapping.Management, Blocks: []mapping.Answer{{Block: "evaluation", Source: mapping.Open}}},
	}
}

// checkNoRawPayload fails when out holds a payload that must have been escaped.
func checkNoRawPayload(t *testing.T, format, out string, raw ...string) {
	t.Helper()
	for _, r := range raw {
		if strings.Contains(out, r) {
			t.Errorf("%s output holds %q unescaped", format, r)
		}
	}
}

// firstDiff returns the first line where got and want differ.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n got: %s\nwant: %s", i+1, gl, wl)
		}
	}
	return ""
}

// golden compares got with testdata/name; -update rewrites it.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test ./report -update rewrites it after review):\n%s", path, firstDiff(got, string(want)))
	}
}
