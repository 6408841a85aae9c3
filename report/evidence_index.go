package report

import (
	"slices"

	"ecscan/checks"
)

// evidenceUse says what one evidence item supports: the keys of the findings that name it
// and the IDs of the questions whose answers rest on it.
type evidenceUse struct {
	Findings  []string
	Questions []string
}

// evidenceUses indexes, for every evidence ID, the findings that name it and the questions
// whose answers cite it — directly in a block's scan evidence, or through a finding that a
// block's scan answer or a control point rests on.
func evidenceUses(r *Report) map[string]*evidenceUse {
	uses := map[string]*evidenceUse{}
	get := func(id string) *evidenceUse {
		u := uses[id]
		if u == nil {
			u = &evidenceUse{}
			uses[id] = u
		}
		return u
	}
	byKey := map[string]checks.Finding{}
	for _, f := range r.Findings {
		byKey[f.Key()] = f
		for _, id := range f.Evidence {
			u := get(id)
			if !slices.Contains(u.Findings, f.Key()) {
				u.Findings = append(u.Findings, f.Key())
			}
		}
	}
	addQuestion := func(id, q string) {
		u := get(id)
		if !slices.Contains(u.Questions, q) {
			u.Questions = append(u.Questions, q)
		}
	}
	for _, qa := range r.Answers {
		var keys []string
		for _, c := range qa.Controls {
			keys = append(keys, c.Findings...)
		}
		for _, b := range qa.Blocks {
			if b.Scan == nil {
				continue
			}
			for _, id := range b.Scan.Evidence {
				addQuestion(id, qa.Question)
			}
			keys = append(keys, b.Scan.Findings...)
		}
		for _, k := range keys {
			for _, id := range byKey[k].Evidence {
				addQuestion(id, qa.Question)
			}
		}
	}
	return uses
}

// allEvidence returns every evidence item of the report, in result order.
func allEvidence(r *Report) []checks.Evidence {
	var out []checks.Evidence
	for _, res := range r.Results {
		out = append(out, res.Evidence...)
	}
	return out
}
