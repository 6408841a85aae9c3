package mapping

import (
	"slices"
	"sort"

	"ecscan/checks"
)

// controls computes the status of every control the rules bind for a question.
func (ev *evaluator) controls(q *Question, qr *QuestionRule) []ControlStatus {
	var out []ControlStatus
	for _, cr := range qr.Controls {
		cs := ControlStatus{ID: cr.ID, Status: ControlNotTested}
		if cr.Label != nil {
			cs.Label = *cr.Label
		} else if i := slices.IndexFunc(q.ControlPoints, func(cp ControlPoint) bool { return cp.ID == cr.ID }); i >= 0 {
			cs.Label = q.ControlPoints[i].Text()
		}
		for _, id := range cr.Findings {
			for _, f := range ev.byID[id] {
				cs.Findings = append(cs.Findings, f.Key())
				switch {
				case f.Outcome == checks.Fail:
					cs.Status = ControlFail
				case f.Outcome == checks.Pass && cs.Status == ControlNotTested:
					cs.Status = ControlPass
				}
			}
		}
		out = append(out, cs)
	}
	return out
}

// scanAnswer applies a block rule: the first case whose condition holds.
func (ev *evaluator) scanAnswer(q *Question, b *Block, br *BlockRule) *ScanAnswer {
	var controls []ControlStatus
	if qr := ev.in.Rules.Question(q.ID); qr != nil {
		controls = ev.controls(q, qr)
	}
	for _, cs := range br.Cases {
		refs := &evidenceRefs{}
		if !ev.holds(cs.When, controls, refs) {
			continue
		}
		sa := &ScanAnswer{
			Suggested: slices.Clone(cs.Suggested),
			Allowed:   slices.Clone(cs.Allowed),
			Required:  slices.Clone(cs.Required),
			Rationale: cs.Rationale,
		}
		keys := make([]string, 0, len(cs.Choices))
		for k := range cs.Choices {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if ev.holds(cs.Choices[k], controls, refs) {
				sa.Suggested = appendNew(sa.Suggested, k)
				sa.Required = appendNew(sa.Required, k)
			}
		}
		if len(cs.Choices) > 0 && len(sa.Required) == len(cs.Required) && cs.Otherwise != "" {
			sa.Suggested = appendNew(sa.Suggested, cs.Otherwise)
		}
		sa.Findings, sa.Evidence = refs.findings, refs.evidence
		return sa
	}
	return nil
}

// evidenceRefs collects what a condition looked at.
type evidenceRefs struct {
	findings []string
	evidence []string
}

func (r *evidenceRefs) finding(f checks.Finding) {
	r.findings = appendNew(r.findings, f.Key())
	for _, e := range f.Evidence {
		r.evidence = appendNew(r.evidence, e)
	}
}

// holds evaluates a When, recording the findings and facts it relied on.
func (ev *evaluator) holds(w When, controls []ControlStatus, refs *evidenceRefs) bool {
	if len(w.AnyFail) > 0 {
		hit := false
		for _, id := range w.AnyFail {
			for _, f := range ev.findingsOf(id) {
				if f.Outcome == checks.Fail && (w.AnyFailAtLeast == nil || f.Severity >= *w.AnyFailAtLeast) {
					hit = true
					refs.finding(f)
				}
			}
		}
		if !hit {
			return false
		}
	}
	for _, id := range w.NoFail {
		for _, f := range ev.findingsOf(id) {
			if f.Outcome == checks.Fail {
				return false
			}
		}
	}
	for _, id := range w.NoFail {
		for _, f := range ev.findingsOf(id) {
			refs.finding(f)
		}
	}
	if len(w.Tested) > 0 {
		hit := false
		for _, id := range w.Tested {
			for _, f := range ev.findingsOf(id) {
				hit = true
				refs.finding(f)
			}
		}
		if !hit {
			return false
		}
	}
	for id, want := range w.Controls {
		for _, cs := range controls {
			if (id == "*" || cs.ID == id) && cs.Status != want {
				return false
			}
		}
	}
	if len(w.Facts) > 0 {
		hit := false
		for _, name := range w.Facts {
			if refsOf, ok := ev.in.Facts[name]; ok {
				hit = true
				for _, r := range refsOf {
					refs.evidence = appendNew(refs.evidence, name+": "+r)
				}
			}
		}
		if !hit {
			return false
		}
	}
	for _, name := range w.NoFacts {
		if _, ok := ev.in.Facts[name]; ok {
			return false
		}
	}
	return true
}

// AnyFinding in any_fail, no_fail or tested stands for every finding of the run, whatever
// its ID: the overall self-ratings (12-1-1, 12-1-6) look at the whole scan, and a list of
// IDs would go stale as checks add findings.
const AnyFinding = "*"

// findingsOf returns the findings with an ID, or every finding for AnyFinding.
func (ev *evaluator) findingsOf(id string) []checks.Finding {
	if id == AnyFinding {
		return ev.in.Findings
	}
	return ev.byID[id]
}

func appendNew(list []string, items ...string) []string {
	for _, it := range items {
		if !slices.Contains(list, it) {
			list = append(list, it)
		}
	}
	return list
}
