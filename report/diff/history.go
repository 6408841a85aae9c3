package diff

import (
	"cmp"
	"slices"
	"time"

	"ecscan/checks"
	"ecscan/report"
)

// History is the record of failures over the runs kept in the state directory: how often
// the scans ran (3-3-1 【検査の頻度】) and how long failures stayed open before a later run
// no longer found them (3-4-1, 10-4-6 time to fix; 10-4-2 whether results lead to fixes).
type History struct {
	Runs   []time.Time `json:"runs"`    // start times, oldest first
	RunIDs []string    `json:"run_ids"` // the runs' IDs, beside Runs
	// Findings has one entry per key that ever failed, in the order first seen.
	Findings []FindingHistory `json:"findings"`
	// MedianInterval and MaxInterval are between consecutive runs' starts (nanoseconds in
	// JSON); zero with fewer than two runs.
	MedianInterval time.Duration `json:"median_interval"`
	MaxInterval    time.Duration `json:"max_interval"`
	// MedianTimeToFix and MaxTimeToFix are over every fix: from the first run of a failure's
	// episode to the first run that no longer had it. Zero when nothing was fixed.
	MedianTimeToFix time.Duration `json:"median_time_to_fix"`
	MaxTimeToFix    time.Duration `json:"max_time_to_fix"`
	Fixed           int           `json:"fixed"` // fixes counted (a failure that came back and went again counts twice)
	Open            int           `json:"open"`  // failures not resolved by the latest run
}

// FindingHistory follows one failed finding key through the runs.
type FindingHistory struct {
	Key      string          `json:"key"`
	ID       string          `json:"id"`
	Host     string          `json:"host,omitempty"`
	Port     int             `json:"port,omitempty"`
	Subject  string          `json:"subject,omitempty"`
	Severity checks.Severity `json:"severity"` // the highest it failed with
	Title    checks.Text     `json:"title"`    // as in the latest run that had it
	// FirstSeen is the first run it failed in; Since the first run of its latest episode
	// (after it came back); LastSeen the latest run it failed in; ResolvedAt the first run
	// after that which no longer had it, zero while it is open.
	FirstSeen  time.Time       `json:"first_seen"`
	Since      time.Time       `json:"since"`
	LastSeen   time.Time       `json:"last_seen"`
	ResolvedAt time.Time       `json:"resolved_at,omitzero"`
	Reopened   int             `json:"reopened,omitempty"` // times it came back after a fix
	Fixes      []time.Duration `json:"fixes,omitempty"`    // time to fix of each episode that ended
	// SeenIn lists the runs it failed in, and ResolvedIn the run that no longer had it: the
	// evidence.
	SeenIn     []string `json:"seen_in"`
	ResolvedIn string   `json:"resolved_in,omitempty"`
}

// Resolved reports whether the finding was gone in the latest run.
func (f FindingHistory) Resolved() bool { return !f.ResolvedAt.IsZero() }

// Run is one run for BuildHistoryRuns: the state entry's ID and its report.
type Run struct {
	ID     string
	Report *report.Report
}

// BuildHistory builds the history of runs (the kept reports, in any order) and current (the
// run in progress, nil if none). A report appearing twice (the current run already saved)
// counts once. Runs are named by their start time; BuildHistoryRuns names them by ID.
func BuildHistory(runs []*report.Report, current *report.Report) *History {
	var rs []Run
	for _, r := range append(slices.Clone(runs), current) {
		if r != nil {
			rs = append(rs, Run{ID: r.Started.UTC().Format(time.RFC3339), Report: r})
		}
	}
	return BuildHistoryRuns(rs)
}

// BuildHistoryRuns builds the history of runs, in any order. Runs with the same start
// time count once. An interrupted run counts for what it found, but a failure it lacks is
// not taken as fixed: the run may not have reached it.
func BuildHistoryRuns(runs []Run) *History {
	runs = slices.DeleteFunc(slices.Clone(runs), func(r Run) bool { return r.Report == nil })
	slices.SortStableFunc(runs, func(a, b Run) int { return a.Report.Started.Compare(b.Report.Started) })
	runs = slices.CompactFunc(runs, func(a, b Run) bool { return a.Report.Started.Equal(b.Report.Started) })
	h := &History{}
	index := map[string]int{} // key → Findings index
	var fixes []time.Duration
	for _, r := range runs {
		at := r.Report.Started
		h.Runs, h.RunIDs = append(h.Runs, at), append(h.RunIDs, r.ID)
		failing := map[string]checks.Finding{}
		for _, f := range r.Report.Findings {
			if f.Outcome == checks.Fail {
				failing[f.Key()] = f
			}
		}
		for _, f := range r.Report.Findings { // in report order, for a stable Findings order
			if _, ok := failing[f.Key()]; !ok {
				continue
			}
			delete(failing, f.Key())
			i, ok := index[f.Key()]
			if !ok {
				i = len(h.Findings)
				index[f.Key()] = i
				h.Findings = append(h.Findings, FindingHistory{Key: f.Key(), ID: f.ID, Host: f.Host, Port: f.Port, Subject: f.Subject, FirstSeen: at, Since: at})
			}
			h.Findings[i].seen(f, at, r.ID)
		}
		if r.Report.Interrupted {
			continue
		}
		for i := range h.Findings {
			fh := &h.Findings[i]
			if !fh.LastSeen.Equal(at) && fh.ResolvedAt.IsZero() {
				fh.ResolvedAt, fh.ResolvedIn = at, r.ID
				fh.Fixes = append(fh.Fixes, at.Sub(fh.Since))
				fixes = append(fixes, at.Sub(fh.Since))
			}
		}
	}
	h.summarize(fixes)
	return h
}

// seen records that the finding failed in the run at.
func (fh *FindingHistory) seen(f checks.Finding, at time.Time, id string) {
	if !fh.ResolvedAt.IsZero() {
		fh.Reopened++
		fh.Since, fh.ResolvedAt, fh.ResolvedIn = at, time.Time{}, ""
	}
	fh.LastSeen, fh.Title = at, f.Title
	fh.Severity = max(fh.Severity, f.Severity)
	fh.SeenIn = append(fh.SeenIn, id)
}

func (h *History) summarize(fixes []time.Duration) {
	var gaps []time.Duration
	for i := 1; i < len(h.Runs); i++ {
		gaps = append(gaps, h.Runs[i].Sub(h.Runs[i-1]))
	}
	h.MedianInterval, h.MaxInterval = median(gaps), maxOf(gaps)
	h.MedianTimeToFix, h.MaxTimeToFix, h.Fixed = median(fixes), maxOf(fixes), len(fixes)
	for _, f := range h.Findings {
		if !f.Resolved() {
			h.Open++
		}
	}
}

// TimeToFix returns the median and longest time to fix, and the number of fixes, of the
// failures whose highest severity is at least min: for "serious threats", min is high.
func (h *History) TimeToFix(min checks.Severity) (med, longest time.Duration, n int) {
	var ds []time.Duration
	for _, f := range h.Findings {
		if f.Severity >= min {
			ds = append(ds, f.Fixes...)
		}
	}
	return median(ds), maxOf(ds), len(ds)
}

// OldestOpen returns how long the oldest failure at or above min that the latest run did
// not resolve has been open (from its episode's first run to the latest run), and whether
// there is one.
func (h *History) OldestOpen(min checks.Severity) (time.Duration, bool) {
	if len(h.Runs) == 0 {
		return 0, false
	}
	last := h.Runs[len(h.Runs)-1]
	var oldest time.Duration
	found := false
	for _, f := range h.Findings {
		if f.Severity >= min && !f.Resolved() {
			oldest, found = max(oldest, last.Sub(f.Since)), true
		}
	}
	return oldest, found
}

// median returns the median of ds (the mean of the middle two for an even count), or 0.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.SortFunc(s, cmp.Compare)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func maxOf(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	return slices.Max(ds)
}
