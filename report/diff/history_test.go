package diff

import (
	"slices"
	"testing"
	"time"

	"ecscan/checks"
	"ecscan/report"
)

const day = 24 * time.Hour

// histRun is a report started at t0+days that fails the given findings.
func histRun(days int, interrupted bool, fs ...checks.Finding) *report.Report {
	t0 := time.Date(2026, 11, 1, 3, 0, 0, 0, time.UTC)
	return &report.Report{Started: t0.Add(time.Duration(days) * day), Interrupted: interrupted, Findings: fs}
}

var (
	hA = checks.Finding{ID: "dns.axfr", Host: "ns1.ecshop.test", Port: 53, Outcome: checks.Fail, Severity: checks.SevHigh}
	hB = checks.Finding{ID: "dns.caa", Host: "ecshop.test", Outcome: checks.Fail, Severity: checks.SevLow}
	hC = checks.Finding{ID: "dns.dmarc", Host: "ecshop.test", Outcome: checks.Fail, Severity: checks.SevMedium}
	// A pass of the same ID on another host never enters the history.
	hPass = checks.Finding{ID: "dns.axfr", Host: "ns2.ecshop.test", Port: 53, Outcome: checks.Pass}
)

func TestBuildHistory(t *testing.T) {
	runs := []*report.Report{
		histRun(3, false, hA, hC),        // B fixed (since day 0): 3 days
		histRun(0, false, hA, hB, hPass), // given out of order
		histRun(1, false, hA, hB, hC),
		histRun(2, true, hA),      // interrupted: B and C missing proves nothing
		histRun(4, false, hA, hB), // C fixed (since day 1): 3 days; B back
		histRun(4, false, hA, hB), // the same run twice
	}
	current := histRun(12, false) // A fixed: 12 days; B fixed again: 8 days
	h := BuildHistory(runs, current)

	if got, want := len(h.Runs), 6; got != want {
		t.Fatalf("runs %d, want %d (one duplicate dropped, current added)", got, want)
	}
	if h.MedianInterval != day || h.MaxInterval != 8*day {
		t.Errorf("intervals median %v max %v, want 24h and 192h", h.MedianInterval, h.MaxInterval)
	}
	// Fixes: B 3d, C 3d, B 8d, A 12d.
	if h.MedianTimeToFix != 5*day+12*time.Hour || h.MaxTimeToFix != 12*day || h.Fixed != 4 || h.Open != 0 {
		t.Errorf("time to fix median %v max %v, %d fixed, %d open; want 132h, 288h, 4, 0",
			h.MedianTimeToFix, h.MaxTimeToFix, h.Fixed, h.Open)
	}
	med, longest, n := h.TimeToFix(checks.SevHigh)
	if med != 12*day || longest != 12*day || n != 1 {
		t.Errorf("TimeToFix(high) = %v, %v, %d; want 288h, 288h, 1", med, longest, n)
	}
	if got := keysOf(h.Findings); !slices.Equal(got, []string{hA.Key(), hB.Key(), hC.Key()}) {
		t.Fatalf("findings %v, want A, B, C in the order first seen", got)
	}
	b := h.Findings[1]
	if b.Reopened != 1 || !slices.Equal(b.Fixes, []time.Duration{3 * day, 8 * day}) {
		t.Errorf("B: reopened %d, fixes %v; want 1, [72h 192h]", b.Reopened, b.Fixes)
	}
	if !b.FirstSeen.Equal(runs[1].Started) || !b.Since.Equal(runs[4].Started) || !b.ResolvedAt.Equal(current.Started) {
		t.Errorf("B: first %v since %v resolved %v", b.FirstSeen, b.Since, b.ResolvedAt)
	}
	wantSeen := []string{"2026-11-01T03:00:00Z", "2026-11-02T03:00:00Z", "2026-11-05T03:00:00Z"}
	if !slices.Equal(b.SeenIn, wantSeen) || b.ResolvedIn != "2026-11-13T03:00:00Z" {
		t.Errorf("B: seen in %v, resolved in %q; want %v and the current run", b.SeenIn, b.ResolvedIn, wantSeen)
	}
	if _, open := h.OldestOpen(checks.SevInfo); open {
		t.Errorf("OldestOpen found a failure, but every one was fixed")
	}
}

func TestBuildHistoryOpen(t *testing.T) {
	runs := []Run{
		{ID: "r1", Report: histRun(0, false, hA)},
		{ID: "r2", Report: histRun(7, false, hA, hB)},
		{ID: "r3", Report: histRun(14, true)}, // interrupted: nothing counts as fixed
	}
	h := BuildHistoryRuns(runs)
	if h.Open != 2 || h.Fixed != 0 || h.MedianTimeToFix != 0 {
		t.Errorf("open %d fixed %d ttf %v, want 2, 0, 0", h.Open, h.Fixed, h.MedianTimeToFix)
	}
	if d, ok := h.OldestOpen(checks.SevHigh); !ok || d != 14*day {
		t.Errorf("OldestOpen(high) = %v, %v; want 336h", d, ok)
	}
	if d, ok := h.OldestOpen(checks.SevLow); !ok || d != 14*day {
		t.Errorf("OldestOpen(low) = %v, %v; want 336h (A is older than B)", d, ok)
	}
	if got := h.Findings[0].SeenIn; !slices.Equal(got, []string{"r1", "r2"}) {
		t.Errorf("A seen in %v, want [r1 r2]", got)
	}
	if !slices.Equal(h.RunIDs, []string{"r1", "r2", "r3"}) {
		t.Errorf("run IDs %v", h.RunIDs)
	}
}

func TestBuildHistoryEmpty(t *testing.T) {
	h := BuildHistory(nil, nil)
	if len(h.Runs) != 0 || h.MedianInterval != 0 || len(h.Findings) != 0 {
		t.Errorf("empty history: %+v", h)
	}
	h = BuildHistory(nil, histRun(0, false, hA))
	if h.MedianInterval != 0 || h.Open != 1 {
		t.Errorf("one run: interval %v open %d, want 0 and 1", h.MedianInterval, h.Open)
	}
}

// TestBuildHistoryLab follows the lab report over three nights: the zone transfer is fixed
// on the second, and a cosmetic change of every title on the third changes nothing.
func TestBuildHistoryLab(t *testing.T) {
	r1, r2, r3 := labReport(t), labReport(t), labReport(t)
	r2.Started, r3.Started = r1.Started.Add(day), r1.Started.Add(2*day)
	i := findIndex(t, r2, "dns.axfr", "ns1.ecshop.test", 53)
	r2.Findings = slices.Delete(r2.Findings, i, i+1)
	r3.Findings = slices.Delete(r3.Findings, i, i+1)
	for j := range r3.Findings {
		r3.Findings[j].Title.EN += " (reworded)"
	}
	h := BuildHistory([]*report.Report{r1, r2}, r3)
	fails := 0
	for _, f := range r1.Findings {
		if f.Outcome == checks.Fail {
			fails++
		}
	}
	if h.Fixed != 1 || h.Open != fails-1 || h.MedianTimeToFix != day {
		t.Errorf("fixed %d open %d ttf %v, want 1, %d, 24h", h.Fixed, h.Open, h.MedianTimeToFix, fails-1)
	}
}

func keysOf(fs []FindingHistory) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Key)
	}
	return out
}
