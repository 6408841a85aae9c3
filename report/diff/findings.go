package diff

import (
	"cmp"
	"slices"

	"ecscan/checks"
	"ecscan/report"
)

// rank orders a finding's state from best to worst: pass, info, then failures by severity.
func rank(f checks.Finding) int {
	switch f.Outcome {
	case checks.Fail:
		return 100 + int(f.Severity)
	case checks.Info:
		return 1
	}
	return 0
}

// byKey indexes findings by key. A key can occur more than once (a host with two addresses:
// the address is not part of the identity); the worst occurrence stands for it.
func byKey(fs []checks.Finding) map[string]checks.Finding {
	m := make(map[string]checks.Finding, len(fs))
	for _, f := range fs {
		if prev, ok := m[f.Key()]; !ok || rank(f) > rank(prev) {
			m[f.Key()] = f
		}
	}
	return m
}

// compareFindings fills in the new, resolved and changed findings.
func (d *Diff) compareFindings(old, new []checks.Finding) {
	oi, ni := byKey(old), byKey(new)
	for key, n := range ni {
		o, ok := oi[key]
		switch {
		case !ok:
			if n.Outcome == checks.Fail {
				d.NewFindings = append(d.NewFindings, n)
			}
		case o.Outcome != checks.Fail && n.Outcome != checks.Fail:
		case o.Outcome != n.Outcome || o.Severity != n.Severity:
			d.ChangedFindings = append(d.ChangedFindings, Change{Key: key, Old: o, New: n, Worse: rank(n) > rank(o)})
		}
	}
	for key, o := range oi {
		if _, ok := ni[key]; !ok && o.Outcome == checks.Fail {
			d.ResolvedFindings = append(d.ResolvedFindings, o)
		}
	}
	report.SortFindings(d.NewFindings)
	report.SortFindings(d.ResolvedFindings)
	slices.SortFunc(d.ChangedFindings, func(a, b Change) int {
		if a.Worse != b.Worse {
			if a.Worse {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(rank(b.New), rank(a.New)), cmp.Compare(a.Key, b.Key))
	})
}
