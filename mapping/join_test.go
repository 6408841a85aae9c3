package mapping

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"ecscan/checks"
)

func loadAll(t *testing.T) (*Catalog, *Rules) {
	t.Helper()
	c, err := DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	r, err := DefaultRules(c)
	if err != nil {
		t.Fatal(err)
	}
	return c, r
}

func answerOf(qas []QuestionAnswer, q, b string) (QuestionAnswer, Answer) {
	for _, qa := range qas {
		if qa.Question == q {
			for _, a := range qa.Blocks {
				if a.Block == b {
					return qa, a
				}
			}
			return qa, Answer{}
		}
	}
	return QuestionAnswer{}, Answer{}
}

func fail(id string, sev checks.Severity) checks.Finding {
	return checks.Finding{ID: id, Host: "db.ecshop.test", Port: 5432, Outcome: checks.Fail, Severity: sev, Evidence: []string{"ports:db:e1"}}
}

func pass(id string) checks.Finding {
	return checks.Finding{ID: id, Host: "www.ecshop.test", Outcome: checks.Pass}
}

func TestJoinDatabaseExposedRulesOutAB(t *testing.T) {
	c, r := loadAll(t)
	qas := Join(Input{Catalog: c, Rules: r, Now: time.Now(),
		Findings: []checks.Finding{fail("ports.database", checks.SevHigh)},
		Facts:    Facts{"scan.ports": {"x"}},
	})
	_, a := answerOf(qas, "9-5-3", "evaluation")
	if a.Source != FromScan || !slices.Equal(a.Choices, []string{"C"}) || !slices.Equal(a.Scan.Allowed, []string{"C", "D"}) {
		t.Fatalf("9-5-3/evaluation: got source %s choices %v scan %+v, want scan C allowing C,D", a.Source, a.Choices, a.Scan)
	}
	if !slices.Contains(a.Scan.Evidence, "ports:db:e1") || len(a.Scan.Findings) != 1 {
		t.Errorf("9-5-3 evidence: got %v / %v", a.Scan.Evidence, a.Scan.Findings)
	}
	_, p := answerOf(qas, "9-5-1", "placement")
	if p.Source != Open || !slices.Equal(p.Scan.Allowed, []string{"B", "C", "D"}) {
		t.Errorf("9-5-1/placement: got %s allowed %v, want open with B,C,D allowed", p.Source, p.Scan.Allowed)
	}
	_, e := answerOf(qas, "2-2-2", "evaluation")
	if !slices.Equal(e.Choices, []string{"C"}) {
		t.Errorf("2-2-2/evaluation: got %v, want C", e.Choices)
	}
}

func TestJoinCohostedServicesFromFacts(t *testing.T) {
	c, r := loadAll(t)
	qas := Join(Input{Catalog: c, Rules: r, Now: time.Now(), Facts: Facts{
		"web.host": {"www:80"}, "web.cohost.db": {"www:3306"}, "web.cohost.ftp": {"www:21"},
	}})
	_, a := answerOf(qas, "9-2-2", "cohosted-services")
	if !slices.Equal(a.Choices, []string{"D", "G"}) || !slices.Equal(a.Scan.Required, []string{"D", "G"}) {
		t.Fatalf("9-2-2: got choices %v required %v, want D,G", a.Choices, a.Scan.Required)
	}
	// The reasons block is asked because the effective answer is not A.
	_, reasons := answerOf(qas, "9-2-2", "cohosting-reasons")
	if reasons.Source != Open {
		t.Errorf("9-2-2/cohosting-reasons: got %s, want open", reasons.Source)
	}
	qas = Join(Input{Catalog: c, Rules: r, Now: time.Now(), Facts: Facts{"web.host": {"www:80"}}})
	_, a = answerOf(qas, "9-2-2", "cohosted-services")
	if !slices.Equal(a.Choices, []string{"A"}) {
		t.Fatalf("9-2-2 alone: got %v, want A", a.Choices)
	}
	_, reasons = answerOf(qas, "9-2-2", "cohosting-reasons")
	if reasons.Source != NotApplicable {
		t.Errorf("9-2-2/cohosting-reasons after A: got %s, want not-applicable", reasons.Source)
	}
}

func parseOperator(t *testing.T, c *Catalog, text string) *Answers {
	t.Helper()
	a, err := ParseAnswers("answers.yaml", []byte(text), c)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestJoinOperatorConflictsAndOverrides(t *testing.T) {
	c, r := loadAll(t)
	op := parseOperator(t, c, `version: 1
answers:
  "9-5-3":
    evaluation: A
  "2-2-2":
    evaluation: {answer: D, justification: "known and accepted", expires: 2020-01-01}
  "9-2-2":
    cohosted-services: [A]
`)
	qas := Join(Input{Catalog: c, Rules: r, Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Operator: op,
		Findings: []checks.Finding{fail("ports.database", checks.SevHigh)},
		Facts:    Facts{"web.host": {"www:80"}, "web.cohost.db": {"www:5432"}},
	})
	_, a := answerOf(qas, "9-5-3", "evaluation")
	if a.Source != OperatorOverride || len(a.Conflicts) != 2 {
		t.Errorf("9-5-3: got %s with conflicts %v, want an override without justification contradicting the evidence", a.Source, a.Conflicts)
	}
	_, b := answerOf(qas, "2-2-2", "evaluation")
	if b.Source != OperatorOverride || len(b.Conflicts) != 0 || !b.Stale {
		t.Errorf("2-2-2: got %s conflicts %v stale %v, want a justified, stale override", b.Source, b.Conflicts, b.Stale)
	}
	_, s := answerOf(qas, "9-2-2", "cohosted-services")
	if len(s.Conflicts) == 0 || !strings.Contains(s.Conflicts[len(s.Conflicts)-1].EN, "lacks G") {
		t.Errorf("9-2-2: got conflicts %v, want the missing observed G named", s.Conflicts)
	}
}

func TestJoinConditionsAndSkips(t *testing.T) {
	c, r := loadAll(t)
	op := parseOperator(t, c, `version: 1
answers:
  "8-1-1":
    authentication-performed: B
  "1-5-1":
    evaluation: D
`)
	qas := Join(Input{Catalog: c, Rules: r, Now: time.Now(), Operator: op})
	for _, q := range c.Questions() {
		if strings.HasPrefix(q.ID, "8-") && q.ID != "8-1-1" {
			qa, _ := answerOf(qas, q.ID, "")
			if qa.Reason == nil {
				t.Errorf("%s: asked although 8-1-1 B skips the rest of chapter 8", q.ID)
			}
		}
	}
	if qa, _ := answerOf(qas, "9-1-1", ""); qa.Reason != nil {
		t.Errorf("9-1-1 skipped: %v", qa.Reason)
	}
	if qa, _ := answerOf(qas, "1-5-2", ""); qa.Reason == nil {
		t.Errorf("1-5-2 asked although 1-5-1 is D (asked only for A, B, C)")
	}
	// Unanswered conditions leave questions asked.
	qas = Join(Input{Catalog: c, Rules: r, Now: time.Now()})
	for _, qa := range qas {
		if qa.Reason != nil {
			t.Errorf("%s not asked with no answers at all: %s", qa.Question, qa.Reason.EN)
		}
	}
}

func TestRulesRejectUnknownReferences(t *testing.T) {
	c, _ := loadAll(t)
	tests := []struct{ rules, want string }{
		{"questions: [{question: 99-1-1, blocks: []}]", "not in the catalog"},
		{"questions: [{question: 1-1-1, blocks: []}]", "management question"},
		{"questions: [{question: 9-5-3, blocks: [{block: nope, cases: []}]}]", `block "nope"`},
		{"questions: [{question: 9-5-3, blocks: [{block: evaluation, cases: [{when: {any_fail: [no.such]}, rationale: {ja: x, en: y}}]}]}]", `unknown finding ID "no.such"`},
		{"questions: [{question: 9-5-3, blocks: [{block: evaluation, cases: [{when: {facts: [no.fact]}, rationale: {ja: x, en: y}}]}]}]", `unknown fact "no.fact"`},
		{"questions: [{question: 9-5-3, blocks: [{block: evaluation, cases: [{when: {}, suggested: [Z], rationale: {ja: x, en: y}}]}]}]", `choice "Z" does not exist`},
		{"questions: [{question: 9-5-3, blocks: [{block: evaluation, cases: [{when: {}, suggested: [A]}]}]}]", "rationale needs Japanese and English"},
		{"questions: [{question: 9-3-2, controls: [{id: nope, findings: [ports.open]}], blocks: []}]", `control "nope" is not a control point`},
		{"questions: [{question: 9-5-3, blocks: [{block: evaluation, cases: [{when: {}, bogus: 1}]}]}]", "field bogus not found"},
	}
	for _, tc := range tests {
		fsys := fstest.MapFS{"rules/x.yaml": {Data: []byte(tc.rules)}}
		_, err := LoadRulesFS(fsys, "rules", c)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "rules/x.yaml") {
			t.Errorf("rules %s: got %v, want an error naming the file and %q", tc.rules, err, tc.want)
		}
	}
}

// 3-3-1's frequency comes from the intervals of the kept runs only once they span two days:
// runs made one after another by hand say nothing of a schedule.
func TestJoinInspectionFrequencyFromHistory(t *testing.T) {
	c, r := loadAll(t)
	const hour = time.Hour
	tests := []struct {
		name      string
		hist      HistorySummary
		frequency string // "" : left open
	}{
		{"two runs a minute apart", HistorySummary{Runs: 2, MedianInterval: time.Minute, Span: time.Minute}, ""},
		{"hourly for a day", HistorySummary{Runs: 25, MedianInterval: hour, Span: 24 * hour}, ""},
		{"nightly for three nights", HistorySummary{Runs: 3, MedianInterval: 24 * hour, Span: 48 * hour}, "A"},
		{"weekly for a month", HistorySummary{Runs: 5, MedianInterval: 7 * 24 * hour, Span: 28 * 24 * hour}, "B"},
		{"monthly", HistorySummary{Runs: 3, MedianInterval: 30 * 24 * hour, Span: 60 * 24 * hour}, "C"},
		{"twice a year", HistorySummary{Runs: 2, MedianInterval: 180 * 24 * hour, Span: 180 * 24 * hour}, "D"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.hist.Source = "/var/lib/ecscan"
			facts := DeriveFacts(nil, nil, nil, &tt.hist)
			qas := Join(Input{Catalog: c, Rules: r, Now: time.Now(), Facts: facts})
			_, freq := answerOf(qas, "3-3-1", "frequency")
			_, eval := answerOf(qas, "3-3-1", "evaluation")
			if tt.frequency == "" {
				if freq.Source != Open || len(freq.Choices) != 0 || freq.Scan == nil || !strings.Contains(freq.Scan.Rationale.EN, "less than two days") {
					t.Errorf("frequency: got %s %v %+v, want open with the short-history rationale", freq.Source, freq.Choices, freq.Scan)
				}
				if eval.Source != Open || len(eval.Choices) != 0 {
					t.Errorf("evaluation: got %s %v, want open", eval.Source, eval.Choices)
				}
				if !slices.ContainsFunc(facts["history.span-short"], func(s string) bool { return strings.Contains(s, "/var/lib/ecscan") }) {
					t.Errorf("facts %v: want history.span-short naming the state directory", facts)
				}
				return
			}
			if freq.Source != FromScan || !slices.Equal(freq.Choices, []string{tt.frequency}) {
				t.Errorf("frequency: got %s %v, want scan %s", freq.Source, freq.Choices, tt.frequency)
			}
			wantEval := []string{"A"}
			if tt.frequency == "D" {
				wantEval = nil // a rare schedule is no proof of a programmed inspection
			}
			var suggested []string
			if eval.Scan != nil {
				suggested = eval.Scan.Suggested
			}
			if !slices.Equal(suggested, wantEval) {
				t.Errorf("evaluation: suggested %v, want %v", suggested, wantEval)
			}
		})
	}
}
