package mapping

import (
	"io/fs"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"go.yaml.in/yaml/v3"

	"ecscan/checks"
	"ecscan/configs"
)

// TestEveryScannableQuestionHasARule checks that the embedded rules answer at least one
// block of every technical and partial question of the embedded catalog. (That every
// finding ID and fact the rules name is known is checked when the rules load: see
// TestRulesRejectUnknownReferences.)
func TestEveryScannableQuestionHasARule(t *testing.T) {
	c, r := loadAll(t)
	n := 0
	for _, q := range c.Questions() {
		if q.Kind == Management {
			continue
		}
		n++
		ruled := slices.ContainsFunc(q.Blocks, func(b *Block) bool { return r.Block(q.ID, b.ID) != nil })
		if !ruled {
			t.Errorf("%s (%s) has no rule for any of its blocks: add one to configs/rules/", q.ID, q.Kind)
		}
	}
	if n == 0 {
		t.Fatal("the catalog has no technical or partial question")
	}
}

// TestRulesFileTable checks the table of docs/rules.md that says which rules file holds
// which question's rules against the embedded files.
func TestRulesFileTable(t *testing.T) {
	doc, err := os.ReadFile("../docs/rules.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("^\\| `([a-z0-9-]+\\.yaml)` \\| (.*) \\|$")
	qid := regexp.MustCompile(`[0-9]+-[0-9]+-[0-9]+`)
	table := map[string][]string{}
	for _, line := range strings.Split(string(doc), "\n") {
		if m := row.FindStringSubmatch(line); m != nil {
			table[m[1]] = qid.FindAllString(m[2], -1)
		}
	}
	files, err := fs.Glob(configs.FS, configs.RulesDir+"/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("rules files: %v %v", files, err)
	}
	for _, f := range files {
		data, err := fs.ReadFile(configs.FS, f)
		if err != nil {
			t.Fatal(err)
		}
		var part Rules
		if err := yaml.Unmarshal(data, &part); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		var got []string
		for _, q := range part.Questions {
			got = appendNew(got, q.Question)
		}
		name := path.Base(f)
		want, ok := table[name]
		slices.Sort(got)
		slices.Sort(want)
		if !ok || !slices.Equal(got, want) {
			t.Errorf("docs/rules.md lists %s with %v (listed: %v), the file has rules for %v", name, want, ok, got)
		}
		delete(table, name)
	}
	for name := range table {
		t.Errorf("docs/rules.md lists %s, which is not a rules file", name)
	}
}

// TestAnyFindingWildcard checks "*" in a When: it matches findings of any ID, and it is not
// accepted where a finding ID must be named (a control's findings).
func TestAnyFindingWildcard(t *testing.T) {
	c, _ := loadAll(t)
	good := `questions: [{question: 12-1-1, blocks: [{block: evaluation, cases: [
  {when: {any_fail: ["*"], severity_at_least: high}, allowed: [B], rationale: {ja: x, en: y}},
  {when: {tested: ["*"]}, suggested: [E], rationale: {ja: x, en: y}}]}]}]`
	r, err := LoadRulesFS(fstest.MapFS{"rules/x.yaml": {Data: []byte(good)}}, "rules", c)
	if err != nil {
		t.Fatalf("rules with * do not load: %v", err)
	}
	tests := []struct {
		name      string
		findings  []checks.Finding
		wantAllow []string
		wantSugg  []string
		wantNil   bool
	}{
		{"high failure of any ID", []checks.Finding{pass("tls.hsts"), fail("dns.axfr", checks.SevHigh)}, []string{"B"}, nil, false},
		{"medium failure only", []checks.Finding{fail("web.trace", checks.SevMedium)}, nil, []string{"E"}, false},
		{"a pass", []checks.Finding{pass("smtp.expn")}, nil, []string{"E"}, false},
		{"no finding", nil, nil, nil, true},
	}
	for _, tc := range tests {
		qas := Join(Input{Catalog: c, Rules: r, Findings: tc.findings, Now: time.Now()})
		_, a := answerOf(qas, "12-1-1", "evaluation")
		if tc.wantNil {
			if a.Scan != nil {
				t.Errorf("%s: got scan answer %+v, want none", tc.name, a.Scan)
			}
			continue
		}
		if a.Scan == nil || !slices.Equal(a.Scan.Allowed, tc.wantAllow) || !slices.Equal(a.Scan.Suggested, tc.wantSugg) {
			t.Errorf("%s: got %+v, want allowed %v suggested %v", tc.name, a.Scan, tc.wantAllow, tc.wantSugg)
		}
	}
	bad := `questions: [{question: 12-1-1, controls: [{id: all, label: {ja: x, en: y}, findings: ["*"]}], blocks: []}]`
	if _, err := LoadRulesFS(fstest.MapFS{"rules/x.yaml": {Data: []byte(bad)}}, "rules", c); err == nil || !strings.Contains(err.Error(), `unknown finding ID "*"`) {
		t.Errorf("* in a control's findings: got %v, want it rejected", err)
	}
}

// ruleCase is one run of the embedded rules and what one block should come out as.
type ruleCase struct {
	name      string
	question  string
	block     string
	findings  []checks.Finding
	facts     Facts
	source    Source
	choices   []string
	allowed   []string
	required  []string
	noScan    bool     // no case of the rule holds: the block stays open without a scan answer
	rationale string   // a word the English rationale must contain
	controls  []string // "control=status" for the question's controls
}

func runRuleCases(t *testing.T, tests []ruleCase) {
	t.Helper()
	c, r := loadAll(t)
	for _, tc := range tests {
		qas := Join(Input{Catalog: c, Rules: r, Findings: tc.findings, Facts: tc.facts, Now: time.Now()})
		qa, a := answerOf(qas, tc.question, tc.block)
		if a.Block != tc.block {
			t.Fatalf("%s: %s/%s not found", tc.name, tc.question, tc.block)
		}
		if a.Source != tc.source || !slices.Equal(a.Choices, tc.choices) {
			t.Errorf("%s: %s/%s: got %s %v, want %s %v", tc.name, tc.question, tc.block, a.Source, a.Choices, tc.source, tc.choices)
		}
		if tc.noScan {
			if a.Scan != nil {
				t.Errorf("%s: got scan answer %+v, want none (not tested)", tc.name, a.Scan)
			}
			continue
		}
		if a.Scan == nil {
			t.Errorf("%s: no scan answer", tc.name)
			continue
		}
		if !slices.Equal(a.Scan.Allowed, tc.allowed) || !slices.Equal(a.Scan.Required, tc.required) {
			t.Errorf("%s: got allowed %v required %v, want %v %v", tc.name, a.Scan.Allowed, a.Scan.Required, tc.allowed, tc.required)
		}
		if !strings.Contains(a.Scan.Rationale.EN, tc.rationale) || a.Scan.Rationale.JA == "" {
			t.Errorf("%s: rationale %q lacks %q", tc.name, a.Scan.Rationale.EN, tc.rationale)
		}
		for _, want := range tc.controls {
			id, status, _ := strings.Cut(want, "=")
			i := slices.IndexFunc(qa.Controls, func(cs ControlStatus) bool { return cs.ID == id })
			if i < 0 || qa.Controls[i].Status != status {
				t.Errorf("%s: control %s: got %+v, want %s", tc.name, id, qa.Controls, status)
			}
		}
	}
}

func TestNetworkRules(t *testing.T) {
	ports := Facts{"scan.ports": {"www.ecshop.test"}}
	runRuleCases(t, []ruleCase{
		{name: "open relay", question: "2-1-3", block: "evaluation",
			findings: []checks.Finding{fail("smtp.open-relay", checks.SevCritical), pass("dns.axfr")},
			source:   FromScan, choices: []string{"D"}, allowed: []string{"C", "D"}, rationale: "open relay",
			controls: []string{"smtp-relay-access=fail", "dns-access=pass", "ftp-access=not-tested"}},
		{name: "anonymous FTP", question: "2-1-3", block: "evaluation",
			findings: []checks.Finding{fail("ftp.anonymous", checks.SevHigh), fail("web.dir-listing", checks.SevMedium)},
			source:   FromScan, choices: []string{"C"}, allowed: []string{"C", "D"}, rationale: "anonymous FTP"},
		{name: "directory listing", question: "2-1-3", block: "evaluation",
			findings: []checks.Finding{fail("web.dir-listing", checks.SevMedium), pass("ftp.anonymous")},
			source:   FromScan, choices: []string{"C"}, allowed: []string{"B", "C", "D"}, rationale: "directory listing"},
		{name: "SSH passwords do not rule out A", question: "2-1-3", block: "evaluation",
			findings: []checks.Finding{fail("ssh.password-auth", checks.SevMedium), pass("smtp.open-relay")},
			source:   Open, rationale: "SSH password", controls: []string{"ssh-access=fail", "smtp-relay-access=pass"}},
		{name: "access controls hold", question: "2-1-3", block: "evaluation",
			findings: []checks.Finding{pass("smtp.open-relay"), pass("web.exposed-file")},
			source:   Open, rationale: "secure defaults"},
		{name: "2-1-3 not tested", question: "2-1-3", block: "evaluation", facts: ports, source: Open, noScan: true},

		{name: "database reachable", question: "2-1-5", block: "evaluation",
			findings: []checks.Finding{fail("ports.database", checks.SevHigh)}, facts: ports,
			source: FromScan, choices: []string{"C"}, allowed: []string{"C", "D"}, rationale: "database",
			controls: []string{"internal-services-filtered=fail", "admin-servers-filtered=not-tested"}},
		{name: "undeclared service", question: "2-1-5", block: "evaluation",
			findings: []checks.Finding{pass("ports.database")},
			facts:    Facts{"scan.ports": {"x"}, "services.declared": {"config"}, "services.undeclared": {"www:8443"}},
			source:   FromScan, choices: []string{"C"}, allowed: []string{"B", "C", "D"}, rationale: "allowed services"},
		{name: "as declared", question: "2-1-5", block: "evaluation",
			findings: []checks.Finding{pass("ports.database"), pass("ports.admin-console")},
			facts:    Facts{"scan.ports": {"x"}, "services.declared": {"config"}, "services.as-declared": {"config"}},
			source:   FromScan, choices: []string{"B"}, rationale: "outer boundary"},
		{name: "nothing reachable, nothing declared", question: "2-1-5", block: "evaluation",
			findings: []checks.Finding{pass("ports.database")}, facts: ports,
			source: Open, rationale: "does not prove"},
		{name: "2-1-5 not tested", question: "2-1-5", block: "evaluation", source: Open, noScan: true},

		{name: "remote desktop outside any VPN", question: "7-2-1", block: "vpn",
			findings: []checks.Finding{fail("ports.remote-desktop", checks.SevHigh)}, facts: ports,
			source: Open, rationale: "no choice is ruled out"},
		{name: "leased lines are not observed", question: "7-2-1", block: "leased-line", facts: ports, source: Open, noScan: true},
		{name: "file sharing and zones", question: "9-1-3", block: "configuration",
			findings: []checks.Finding{fail("ports.file-sharing", checks.SevHigh)}, facts: ports,
			source: Open, rationale: "flat configuration"},
		{name: "web host exposing a database", question: "9-2-1", block: "location",
			facts:  Facts{"web.host": {"www:80"}, "web.cohost.db": {"www:3306"}},
			source: Open, rationale: "no choice is ruled out"},

		{name: "database on the web host", question: "9-5-2", block: "cohosted-services",
			findings: []checks.Finding{fail("ports.database", checks.SevHigh)},
			facts:    Facts{"web.host": {"www:80"}, "web.cohost.db": {"www:3306"}},
			source:   FromScan, choices: []string{"B"}, required: []string{"B"}, rationale: "web server"},
		{name: "database on its own host", question: "9-5-2", block: "cohosted-services",
			findings: []checks.Finding{fail("ports.database", checks.SevHigh)}, facts: ports,
			source: Open, rationale: "ports.open"},
		{name: "no database seen", question: "9-5-2", block: "cohosted-services",
			findings: []checks.Finding{pass("ports.database")}, facts: ports, source: Open, noScan: true},
	})
}

func TestPostureAndWebPartialRules(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{name: "failures fixed", question: "3-4-3", block: "evaluation",
			facts:  Facts{"history.runs": {"state"}, "history.findings-fixed": {"state"}},
			source: Open, allowed: []string{"A", "B", "C"}, rationale: "acted upon"},
		{name: "a failure open for months", question: "3-4-3", block: "evaluation",
			facts:  Facts{"history.runs": {"state"}, "history.findings-fixed": {"state"}, "history.unfixed-long": {"state"}},
			source: Open, rationale: "two months"},
		{name: "no history", question: "3-4-3", block: "evaluation", source: Open, noScan: true},

		{name: "critical failure", question: "12-1-1", block: "evaluation",
			findings: []checks.Finding{fail("tls.protocol.sslv2", checks.SevCritical), fail("web.csp", checks.SevLow)},
			source:   Open, allowed: []string{"C", "D", "E"}, rationale: "critical"},
		{name: "high failure", question: "12-1-1", block: "evaluation",
			findings: []checks.Finding{fail("dns.axfr", checks.SevHigh)},
			source:   Open, allowed: []string{"B", "C", "D", "E"}, rationale: "high severity"},
		{name: "medium failure", question: "12-1-1", block: "evaluation",
			findings: []checks.Finding{fail("tls.protocol.tls10", checks.SevMedium)},
			source:   Open, rationale: "medium severity"},
		{name: "low failures only", question: "12-1-1", block: "evaluation",
			findings: []checks.Finding{fail("web.csp", checks.SevLow), pass("tls.hsts")},
			source:   Open, rationale: "no failure of medium"},
		{name: "12-1-1 not tested", question: "12-1-1", block: "evaluation", source: Open, noScan: true},
		{name: "areas", question: "12-1-6", block: "per-measure",
			findings: []checks.Finding{fail("smtp.open-relay", checks.SevCritical), pass("tls.https"), pass("tls.https-cert")},
			source:   Open, rationale: "area",
			controls: []string{"item-b-access=fail", "item-g-communications=pass", "item-j-operations=not-tested"}},

		{name: "key in the web tree", question: "5-3-2", block: "measures",
			findings: []checks.Finding{fail("web.exposed-file", checks.SevHigh)},
			source:   Open, allowed: []string{"A", "C", "D"}, rationale: "separate directories"},
		{name: "only a .DS_Store", question: "5-3-2", block: "measures",
			findings: []checks.Finding{fail("web.exposed-file", checks.SevLow), pass("web.vcs-exposed")},
			source:   Open, rationale: "cannot be checked"},
		{name: "5-3-2 not tested", question: "5-3-2", block: "measures", source: Open, noScan: true},

		{name: "no HTTPS at all", question: "8-4-4", block: "delivery-method",
			findings: []checks.Finding{fail("tls.https", checks.SevMedium)},
			source:   Open, allowed: []string{"B", "C", "D", "E", "F", "G", "H", "I", "J"}, rationale: "Web, encrypted",
			controls: []string{"web-https=fail", "web-https-cert=not-tested"}},
		{name: "HTTPS on another host", question: "8-4-4", block: "delivery-method",
			findings: []checks.Finding{fail("tls.https", checks.SevMedium), pass("tls.https-cert"), pass("web.password-over-http")},
			source:   Open, rationale: "consistent with"},
		{name: "password page over HTTP", question: "8-4-4", block: "delivery-method",
			findings: []checks.Finding{fail("web.password-over-http", checks.SevHigh), pass("tls.https"), pass("tls.https-cert")},
			source:   Open, rationale: "plain HTTP"},
		{name: "8-4-4 not tested", question: "8-4-4", block: "delivery-method", source: Open, noScan: true},
	})
}

// TestNewRuleConflicts checks that an operator's answer the evidence rules out is reported.
func TestNewRuleConflicts(t *testing.T) {
	c, r := loadAll(t)
	op := parseOperator(t, c, `version: 1
answers:
  "2-1-3":
    evaluation: {answer: A, justification: "reviewed every quarter"}
  "9-5-2":
    cohosted-services: [A]
`)
	qas := Join(Input{Catalog: c, Rules: r, Operator: op, Now: time.Now(),
		Findings: []checks.Finding{fail("smtp.open-relay", checks.SevCritical), fail("ports.database", checks.SevHigh)},
		Facts:    Facts{"web.host": {"www:80"}, "web.cohost.db": {"www:3306"}},
	})
	_, a := answerOf(qas, "2-1-3", "evaluation")
	if a.Source != OperatorOverride || len(a.Conflicts) != 1 || !strings.Contains(a.Conflicts[0].EN, "contradicts the evidence (it allows C,D)") {
		t.Errorf("2-1-3 answered A with an open relay: got %s %v, want one conflict", a.Source, a.Conflicts)
	}
	_, b := answerOf(qas, "9-5-2", "cohosted-services")
	if len(b.Conflicts) == 0 || !strings.Contains(b.Conflicts[len(b.Conflicts)-1].EN, "lacks B") {
		t.Errorf("9-5-2 answered A with a database on the web host: got %v, want B named as missing", b.Conflicts)
	}
}
