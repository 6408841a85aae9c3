package main

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"ecscan/checks"
	"ecscan/mapping"
	"ecscan/report"
	"ecscan/report/diff"
	"ecscan/report/state"
)

// The drifting shop (lab/drift): drift.test on 127.0.30.91, an apache2 and a postfix that
// lab/drift moves between state A (certificate A on 443, nothing on 8080, an open relay)
// and state B (certificate B, 8080 open, relaying refused).
const (
	driftDomain = "drift.test"
	driftAddr   = "127.0.30.91"
)

// TestLabDriftScheduledScans scans the drifting shop three times into one state directory —
// state A, state B, state A again — and checks what scheduled scans are for: the diff (the
// port opened, the certificate replaced, the open relay fixed, then back), the exit codes of
// --fail-on-new (0 when only a medium failure is new, 5 when the critical relay comes back),
// the history of the relay finding, and the answers the history feeds (3-4-1, 10-4-2; 3-3-1 left open after two quick runs).
func TestLabDriftScheduledScans(t *testing.T) {
	needLab(t)
	if os.Geteuid() != 0 {
		if os.Getenv("ECSCAN_LAB") == "required" || os.Getenv("CI") != "" {
			t.Fatal("lab/drift needs root (it binds ports 25 and 443)")
		}
		t.Skip("lab/drift needs root (it binds ports 25 and 443)")
	}
	ca := labCA(t)
	root := repoRoot(t)
	lockDrift(t)
	t.Cleanup(func() {
		if out, err := exec.Command(filepath.Join(root, "lab", "drift"), "down").CombinedOutput(); err != nil {
			t.Errorf("lab/drift down: %v\n%s", err, out)
		}
	})
	drift(t, root, "up")
	certA, certB := driftSerial(t, "a"), driftSerial(t, "b")
	stateDir := filepath.Join(t.TempDir(), "state")
	scan := func(extra ...string) (int, *report.Report) {
		t.Helper()
		args := []string{"--state", stateDir, "--source-address", "127.0.99.1", "--ca-bundle", ca,
			"--ports", "25,443,8080", "--checks", "tls,smtp", "--format", "json"}
		code, rep, _ := labScan(t, append(append(args, extra...), driftDomain)...)
		return code, rep
	}

	// Run 1, state A: the baseline.
	code, rep1 := scan()
	if code != exitOK {
		t.Fatalf("run 1: exit %d, want %d", code, exitOK)
	}
	checkStateA(t, rep1, certA)
	if a := blockAnswer(rep1, "3-3-1", "frequency"); a == nil || a.Source != mapping.Open {
		t.Errorf("run 1: 3-3-1/frequency: got %+v, want it open (no earlier run)", a)
	}

	// Run 2, state B: a medium failure is new (8080), nothing at or above high: exit 0.
	drift(t, root, "change")
	code, rep2 := scan("--fail-on-new", "high")
	if code != exitOK {
		t.Errorf("run 2 (--fail-on-new high, only a medium failure new): exit %d, want %d", code, exitOK)
	}
	if got := leafSerial(rep2, 443); got != certB {
		t.Errorf("run 2: serial on 443 %q, want certificate B's %q", got, certB)
	}
	runs := driftRuns(t, stateDir, 2)
	d2 := entryDiff(t, runs[1])
	checkDiffAB(t, d2, certA, certB)
	h := historyOf(t, runs)
	relay := relayHistory(t, h)
	if !relay.FirstSeen.Equal(runs[0].Started) || !relay.ResolvedAt.Equal(runs[1].Started) ||
		relay.ResolvedIn != runs[1].ID || !slices.Equal(relay.SeenIn, []string{runs[0].ID}) || len(relay.Fixes) != 1 {
		t.Errorf("history of smtp.open-relay after run 2: got %+v; want first seen in %s (%s), resolved in %s (%s), one fix",
			relay, runs[0].ID, runs[0].Started, runs[1].ID, runs[1].Started)
	}
	checkHistoryAnswers(t, rep2, h, stateDir)
	checkDiffCommand(t, runs[0].Path, runs[1].Path, certA, certB)

	// Run 3, state A again: the critical open relay is back, a regression: exit 5.
	drift(t, root, "revert")
	code, rep3 := scan("--fail-on-new", "high")
	if code != exitRegression {
		t.Errorf("run 3 (open relay back, --fail-on-new high): exit %d, want %d", code, exitRegression)
	}
	checkStateA(t, rep3, certA)
	runs = driftRuns(t, stateDir, 3)
	d3 := entryDiff(t, runs[2])
	if c := findChange(d3, "smtp.open-relay", driftDomain, 25); c == nil || !c.Worse || c.New.Outcome != checks.Fail || c.New.Severity != checks.SevCritical {
		t.Errorf("run 3 diff: smtp.open-relay: got %+v, want worse, now failing critical", c)
	}
	if !d3.Worse(checks.SevHigh) {
		t.Errorf("run 3 diff: Worse(high) false with the open relay back")
	}
	if want := []string{driftDomain + ":8080/tcp"}; !slices.Equal(d3.ClosedPorts, want) {
		t.Errorf("run 3 diff: closed ports %v, want %v", d3.ClosedPorts, want)
	}
	if len(d3.ChangedCerts) != 1 || d3.ChangedCerts[0].Old.Serial != certB || d3.ChangedCerts[0].New.Serial != certA {
		t.Errorf("run 3 diff: changed certs %+v, want one, %s → %s", d3.ChangedCerts, certB, certA)
	}
	relay = relayHistory(t, historyOf(t, runs))
	if relay.Resolved() || relay.Reopened != 1 || !slices.Equal(relay.SeenIn, []string{runs[0].ID, runs[2].ID}) {
		t.Errorf("history of smtp.open-relay after run 3: got %+v; want open again, reopened once, seen in %s and %s",
			relay, runs[0].ID, runs[2].ID)
	}
}

// checkStateA checks what a scan of state A must find: the open relay, certificate A on 443,
// nothing on 8080.
func checkStateA(t *testing.T, rep *report.Report, certA string) {
	t.Helper()
	if got := outcomeAt(rep, "smtp.open-relay", driftDomain, 25); got != checks.Fail {
		t.Errorf("state A: smtp.open-relay on %s:25: got %q, want fail", driftDomain, got)
	}
	if s := service(rep, driftAddr, 443); s == nil || !s.TLS {
		t.Errorf("state A: no TLS service on %s:443: %+v", driftAddr, s)
	}
	if s := service(rep, driftAddr, 8080); s != nil {
		t.Errorf("state A: a service on %s:8080: %+v", driftAddr, s)
	}
	if got := leafSerial(rep, 443); got != certA {
		t.Errorf("state A: serial on 443 %q, want certificate A's %q", got, certA)
	}
}

// checkDiffAB checks the diff of state B against state A.
func checkDiffAB(t *testing.T, d *diff.Diff, certA, certB string) {
	t.Helper()
	if want := []string{driftDomain + ":8080/tcp"}; !slices.Equal(d.NewPorts, want) {
		t.Errorf("diff A→B: new ports %v, want %v", d.NewPorts, want)
	}
	var admin bool
	for _, f := range d.NewFindings {
		if f.ID != "ports.admin-console" || f.Port != 8080 || f.Severity != checks.SevMedium {
			t.Errorf("diff A→B: unexpected new finding %s on %s:%d (%s)", f.ID, f.Host, f.Port, f.Severity)
		}
		admin = admin || f.Host == driftDomain
	}
	if !admin {
		t.Errorf("diff A→B: ports.admin-console on %s:8080 not among the new findings %+v", driftDomain, d.NewFindings)
	}
	c := findChange(d, "smtp.open-relay", driftDomain, 25)
	if c == nil || c.Worse || c.Old.Outcome != checks.Fail || c.Old.Severity != checks.SevCritical || c.New.Outcome != checks.Pass {
		t.Errorf("diff A→B: smtp.open-relay: got %+v, want better, critical → pass", c)
	}
	for _, c := range d.ChangedFindings {
		if c.Worse {
			t.Errorf("diff A→B: %s got worse: %+v", c.Key, c)
		}
	}
	if d.Worse(checks.SevHigh) || !d.Worse(checks.SevMedium) {
		t.Errorf("diff A→B: Worse(high) %v, Worse(medium) %v; want false, true", d.Worse(checks.SevHigh), d.Worse(checks.SevMedium))
	}
	if len(d.ChangedCerts) != 1 {
		t.Errorf("diff A→B: changed certs %+v, want the one on %s:443", d.ChangedCerts, driftDomain)
		return
	}
	cc := d.ChangedCerts[0]
	if cc.Host != driftDomain || cc.Port != 443 || cc.Old.Serial != certA || cc.New.Serial != certB || !cc.New.NotAfter.After(cc.Old.NotAfter) {
		t.Errorf("diff A→B: changed cert %+v, want %s:443 serial %s → %s with a later notAfter", cc, driftDomain, certA, certB)
	}
}

// checkHistoryAnswers checks the answers of run 2 fed by the history of two runs: 3-4-1
// and 10-4-6 (time to fix), 10-4-2 (results used), with the state directory as their
// evidence; 3-3-1 (inspection frequency) stays open, as two runs seconds apart are no
// schedule.
func checkHistoryAnswers(t *testing.T, rep *report.Report, h *diff.History, stateDir string) {
	t.Helper()
	_, _, fixes := h.TimeToFix(checks.SevHigh)
	if fixes == 0 {
		t.Fatalf("history: no fix of a high or critical failure measured: %+v", h)
	}
	tests := []struct {
		q, b, choice string
		suggested    bool // the rule suggests rather than answers
		evidence     string
	}{
		{"3-4-1", "time-lag", "A", false, fmt.Sprintf("history.fix.within-2d: %s: median time to fix", stateDir)},
		{"3-4-1", "time-lag", "A", false, fmt.Sprintf(" over %d fixes", fixes)},
		{"10-4-6", "time-lag", "A", false, fmt.Sprintf(" over %d fixes", fixes)},
		{"10-4-2", "evaluation", "B", true, fmt.Sprintf("history.findings-fixed: %s: %d failures fixed", stateDir, h.Fixed)},
	}
	// Two runs seconds apart tell no inspection frequency: 3-3-1 stays open, saying why.
	for _, b := range []string{"frequency", "evaluation"} {
		a := blockAnswer(rep, "3-3-1", b)
		switch {
		case a == nil || a.Scan == nil:
			t.Errorf("run 2: 3-3-1/%s: got %+v, want it open with the history's reason", b, a)
		case a.Source != mapping.Open || len(a.Choices) != 0 || len(a.Scan.Suggested) != 0:
			t.Errorf("run 2: 3-3-1/%s: got %s %v suggested %v, want open", b, a.Source, a.Choices, a.Scan.Suggested)
		case !slices.ContainsFunc(a.Scan.Evidence, func(e string) bool { return strings.Contains(e, "history.span-short: "+stateDir+": 2 runs over ") }):
			t.Errorf("run 2: 3-3-1/%s: evidence %q lacks the short history", b, a.Scan.Evidence)
		}
	}
	for _, tc := range tests {
		a := blockAnswer(rep, tc.q, tc.b)
		if a == nil || a.Scan == nil {
			t.Errorf("run 2: %s/%s: got %+v, want an answer from the history", tc.q, tc.b, a)
			continue
		}
		if !slices.Equal(a.Scan.Suggested, []string{tc.choice}) || !tc.suggested && !slices.Equal(a.Choices, []string{tc.choice}) {
			t.Errorf("run 2: %s/%s: choices %v, suggested %v; want %s", tc.q, tc.b, a.Choices, a.Scan.Suggested, tc.choice)
		}
		if !slices.ContainsFunc(a.Scan.Evidence, func(e string) bool { return strings.Contains(e, tc.evidence) }) {
			t.Errorf("run 2: %s/%s: evidence %q lacks %q", tc.q, tc.b, a.Scan.Evidence, tc.evidence)
		}
	}
}

// checkDiffCommand runs `ecscan diff` on the state entries of runs 1 and 2: the text names
// the changes, and --fail-on-new says 1 (changes, none new at or above high) or 5 (medium).
func checkDiffCommand(t *testing.T, old, new, certA, certB string) {
	t.Helper()
	code, out, errs := ecscan(t, "diff", "--lang", "en", "--fail-on-new", "high", old, new)
	if code != exitFindings {
		t.Errorf("ecscan diff --fail-on-new high: exit %d, want %d; stderr %q", code, exitFindings, errs)
	}
	for _, want := range [][]string{
		{"PORT+", driftDomain + ":8080/tcp"},
		{"NEW", "medium", driftDomain + ":8080", "ports.admin-console"},
		{"BETTER", "critical → pass", driftDomain + ":25", "smtp.open-relay"},
		{"CERT~", driftDomain + ":443", "serial " + certA + " → " + certB},
		{"ANSWER~", "3-4-1/time-lag", "open → scan A"},
	} {
		if !slices.ContainsFunc(strings.Split(out, "\n"), func(l string) bool { return containsAll(l, want) }) {
			t.Errorf("ecscan diff: no line with %q in:\n%s", want, out)
		}
	}
	if code, _, errs := ecscan(t, "diff", "--format", "json", "--fail-on-new", "medium", old, new); code != exitRegression {
		t.Errorf("ecscan diff --fail-on-new medium: exit %d, want %d; stderr %q", code, exitRegression, errs)
	}
}

func containsAll(s string, parts []string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// repoRoot finds the repository (the directory with go.mod) above the test's directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}

// drift runs lab/drift CMD (it returns once the servers show the state).
func drift(t *testing.T, root, cmd string) {
	t.Helper()
	out, err := exec.Command(filepath.Join(root, "lab", "drift"), cmd).CombinedOutput()
	if err != nil {
		t.Fatalf("lab/drift %s: %v\n%s", cmd, err, out)
	}
}

// labDir is the lab's state directory.
func labDir() string {
	if d := os.Getenv("ECSCAN_LAB_DIR"); d != "" {
		return d
	}
	return "/tmp/ecscan-lab"
}

// lockDrift keeps other test processes away from the drifting shop until the test ends
// (two `go test` runs at once would move each other's servers).
func lockDrift(t *testing.T) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(labDir(), "drift-test.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
}

// driftSerial reads the serial of lab/drift's certificate A or B, as the TLS check writes it.
func driftSerial(t *testing.T, which string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(labDir(), "drift", "pki", "www.drift.test-"+which+".pem"))
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		t.Fatalf("certificate %s: no PEM block", which)
	}
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%X", c.SerialNumber)
}

// leafSerial returns the serial of the leaf certificate the TLS check saw on the drift
// shop's port ("" if none).
func leafSerial(rep *report.Report, port int) string {
	var serial string
	for _, r := range rep.Results {
		raw, _ := json.Marshal(r.Data)
		var obs struct {
			Host  string `json:"host"`
			Port  int    `json:"port"`
			Chain *struct {
				Certs []struct {
					Serial string `json:"serial"`
				} `json:"certs"`
			} `json:"chain"`
		}
		if r.Check == "tls" && json.Unmarshal(raw, &obs) == nil && obs.Host == driftDomain && obs.Port == port &&
			obs.Chain != nil && len(obs.Chain.Certs) > 0 {
			serial = obs.Chain.Certs[0].Serial
		}
	}
	return serial
}

// driftRuns returns the state directory's runs, which must be n.
func driftRuns(t *testing.T, dir string, n int) []state.Entry {
	t.Helper()
	d, err := state.Open(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	runs, err := d.Runs()
	if err != nil || len(runs) != n {
		t.Fatalf("state directory: %d runs (%v), want %d", len(runs), err, n)
	}
	return runs
}

// entryDiff reads the diff.json a run kept in its state entry.
func entryDiff(t *testing.T, e state.Entry) *diff.Diff {
	t.Helper()
	data, err := os.ReadFile(e.File("diff.json"))
	if err != nil {
		t.Fatalf("run %s: %v", e.ID, err)
	}
	var d diff.Diff
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatalf("run %s: diff.json: %v", e.ID, err)
	}
	return &d
}

// historyOf builds the history of the kept runs, as the next scan would.
func historyOf(t *testing.T, runs []state.Entry) *diff.History {
	t.Helper()
	var rs []diff.Run
	for _, e := range runs {
		rep, err := e.Report()
		if err != nil {
			t.Fatal(err)
		}
		rs = append(rs, diff.Run{ID: e.ID, Report: rep})
	}
	return diff.BuildHistoryRuns(rs)
}

func relayHistory(t *testing.T, h *diff.History) diff.FindingHistory {
	t.Helper()
	for _, f := range h.Findings {
		if f.ID == "smtp.open-relay" && f.Host == driftDomain && f.Port == 25 {
			return f
		}
	}
	t.Fatalf("history: no smtp.open-relay on %s:25 in %+v", driftDomain, h.Findings)
	return diff.FindingHistory{}
}

func findChange(d *diff.Diff, id, host string, port int) *diff.Change {
	for i, c := range d.ChangedFindings {
		if c.New.ID == id && c.New.Host == host && c.New.Port == port {
			return &d.ChangedFindings[i]
		}
	}
	return nil
}
