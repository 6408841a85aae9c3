package state

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 28, 3, 0, 1, 0, time.UTC)

func ids(es []Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}

func TestOpenCreatesPrivateDir(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "nested")
	if _, err := Open(path, 0); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, filepath.Join(path, "runs"), filepath.Join(path, "tmp")} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != 0o700 {
			t.Errorf("%s: mode %o, want 700", p, got)
		}
	}
	if _, err := Open(path, -1); err == nil {
		t.Errorf("Open with keep -1: no error, want one")
	}
}

func TestSaveRunsLatestPrune(t *testing.T) {
	tests := []struct {
		keep, saves int
		want        []string
	}{
		{keep: 3, saves: 5, want: []string{"20261128T050001Z-3", "20261128T060001Z-4", "20261128T070001Z-5"}},
		{keep: 1, saves: 3, want: []string{"20261128T050001Z-3"}},
		{keep: 0, saves: 3, want: []string{"20261128T030001Z-1", "20261128T040001Z-2", "20261128T050001Z-3"}},
		{keep: 5, saves: 2, want: []string{"20261128T030001Z-1", "20261128T040001Z-2"}},
	}
	for _, tc := range tests {
		d, err := Open(t.TempDir(), tc.keep)
		if err != nil {
			t.Fatal(err)
		}
		var last Entry
		for i := range tc.saves {
			rep := testReport(t0.Add(time.Duration(i) * time.Hour))
			rep.Domains = []string{"run" + string(rune('a'+i))}
			if last, err = d.Save(rep, map[string][]byte{"report.md": []byte("# run\n")}); err != nil {
				t.Fatal(err)
			}
		}
		runs, err := d.Runs()
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(runs); !slices.Equal(got, tc.want) {
			t.Errorf("keep %d, %d saves: runs %v, want %v", tc.keep, tc.saves, got, tc.want)
		}
		latest, err := d.Latest()
		if err != nil || latest == nil || latest.ID != last.ID {
			t.Fatalf("keep %d: Latest = %v, %v; want %s", tc.keep, latest, err, last.ID)
		}
		rep, err := latest.Report()
		if err != nil {
			t.Fatal(err)
		}
		if want := t0.Add(time.Duration(tc.saves-1) * time.Hour); !rep.Started.Equal(want) || !latest.Started.Equal(want) {
			t.Errorf("keep %d: latest started %v (entry %v), want %v", tc.keep, rep.Started, latest.Started, want)
		}
		if got, want := rep.Domains, []string{"run" + string(rune('a'+tc.saves-1))}; !slices.Equal(got, want) {
			t.Errorf("keep %d: latest report domains %v, want %v", tc.keep, got, want)
		}
		if md, err := os.ReadFile(latest.File("report.md")); err != nil || string(md) != "# run\n" {
			t.Errorf("keep %d: report.md = %q, %v", tc.keep, md, err)
		}
		assertEmpty(t, filepath.Join(d.Path(), "tmp"))
	}
}

func TestLatestOfEmptyDir(t *testing.T) {
	d, err := Open(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if e, err := d.Latest(); e != nil || err != nil {
		t.Errorf("Latest of an empty dir = %v, %v; want nil, nil", e, err)
	}
	if e, err := d.Baseline(); e != nil || err != nil {
		t.Errorf("Baseline of an empty dir = %v, %v; want nil, nil", e, err)
	}
}

func TestBaselineSkipsInterrupted(t *testing.T) {
	d, err := Open(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	good, err := d.Save(testReport(t0), nil)
	if err != nil {
		t.Fatal(err)
	}
	rep := testReport(t0.Add(time.Hour))
	rep.Interrupted = true
	stopped, err := d.Save(rep, nil)
	if err != nil {
		t.Fatal(err)
	}
	if e, _ := d.Latest(); e == nil || e.ID != stopped.ID || !e.Interrupted {
		t.Errorf("Latest = %+v, want the interrupted run %s", e, stopped.ID)
	}
	if e, _ := d.Baseline(); e == nil || e.ID != good.ID {
		t.Errorf("Baseline = %+v, want %s", e, good.ID)
	}
}

func TestRunsSkipsBrokenEntries(t *testing.T) {
	d, err := Open(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Save(testReport(t0), nil); err != nil {
		t.Fatal(err)
	}
	runs := filepath.Join(d.Path(), "runs")
	for name, content := range map[string]string{
		"20261128T040000Z-7": "",               // no report.json
		"20261128T050000Z-8": "{not json",      // garbage
		"20261128T060000Z-9": `{"schema":"x"}`, // not a report
		"notes":              "{}",             // not an entry name
	} {
		os.Mkdir(filepath.Join(runs, name), 0o700)
		if content != "" {
			os.WriteFile(filepath.Join(runs, name, ReportFile), []byte(content), 0o600)
		}
	}
	var warnings []string
	d.Warn = func(err error) { warnings = append(warnings, err.Error()) }
	got, err := d.Runs()
	if err != nil {
		t.Fatalf("Runs with broken entries: %v, want no error", err)
	}
	if want := []string{"20261128T030001Z-1"}; !slices.Equal(ids(got), want) {
		t.Errorf("runs %v, want %v", ids(got), want)
	}
	if len(warnings) != 4 {
		t.Errorf("warnings %q, want one for each of the 4 broken entries", warnings)
	}
	// A new entry numbers after every entry name, readable or not, and sorts last.
	e, err := d.Save(testReport(t0.Add(-time.Hour)), nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := "20261128T020001Z-10"; e.ID != want {
		t.Errorf("saved %s, want %s", e.ID, want)
	}
	if l, _ := d.Latest(); l == nil || l.ID != e.ID {
		t.Errorf("Latest = %v, want %s (the clock went back, the sequence did not)", l, e.ID)
	}
}

func TestSaveRejectsBadNames(t *testing.T) {
	d, err := Open(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"", ".", "..", "../escape", "a/b", "report.json", "x\x00y"} {
		if _, err := d.Save(testReport(t0), map[string][]byte{name: nil}); err == nil {
			t.Errorf("Save with file %q: no error, want one", name)
		}
	}
	if _, err := d.Save(nil, nil); err == nil {
		t.Errorf("Save(nil): no error, want one")
	}
	if runs, _ := d.Runs(); len(runs) != 0 {
		t.Errorf("rejected saves left entries %v", ids(runs))
	}
}

func TestStaleTmpRemovedUnderLockOnly(t *testing.T) {
	path := t.TempDir()
	d, err := Open(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(path, "tmp", "save-123")
	os.MkdirAll(stale, 0o700)
	os.WriteFile(filepath.Join(stale, ReportFile), []byte("{"), 0o600)

	unlock, err := d.Lock()
	if err != nil {
		t.Fatal(err)
	}
	// Another Open while the lock is held must leave tmp/ alone: it may be a save in progress.
	os.MkdirAll(stale, 0o700)
	if _, err := Open(path, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); err != nil {
		t.Errorf("Open while locked removed %s: %v", stale, err)
	}
	unlock()
	if _, err := Open(path, 0); err != nil {
		t.Fatal(err)
	}
	assertEmpty(t, filepath.Join(path, "tmp"))
}

func TestSaveWhileAnotherDirHoldsTheLock(t *testing.T) {
	path := t.TempDir()
	a, _ := Open(path, 0)
	b, _ := Open(path, 0)
	unlock, err := a.Lock()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Save(testReport(t0), nil); !errors.Is(err, ErrLocked) {
		t.Errorf("Save while another Dir holds the lock: %v, want ErrLocked", err)
	}
	if _, err := a.Save(testReport(t0), nil); err != nil {
		t.Errorf("Save by the holder: %v", err)
	}
	unlock()
	if _, err := b.Save(testReport(t0.Add(time.Hour)), nil); err != nil {
		t.Errorf("Save after unlock: %v", err)
	}
	if runs, _ := b.Runs(); len(runs) != 2 {
		t.Errorf("runs %v, want 2", ids(runs))
	}
}

func assertEmpty(t *testing.T, dir string) {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, de := range des {
		names = append(names, de.Name())
	}
	if len(names) > 0 {
		t.Errorf("%s holds %s, want it empty", dir, strings.Join(names, ", "))
	}
}
