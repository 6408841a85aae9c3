// Package state keeps the state directory of scheduled scans: every run's report.json (and
// the other files the run wants kept beside it: report.md, diff.json, …) in an entry of its
// own, so that the next run can say what changed since the last one and how long findings
// stayed open.
//
// The directory looks like this:
//
//	DIR/lock                          flock(2)ed by the run in progress; holds its pid and start
//	DIR/runs/20261128T030001Z-41/     one complete run: report.json and the other files
//	DIR/runs/20261129T030002Z-42/
//	DIR/tmp/save-1234567/             a save in progress (or one a killed run left behind)
//
// A run takes the lock first (Lock): a second run started while the first is still going
// fails at once with ErrLocked instead of waiting or interleaving its files. Save writes a
// new entry into DIR/tmp/, fsyncs every file and the directory, and renames it into runs/ in
// one step, so that a run killed at any moment — even with SIGKILL, which no handler sees —
// leaves either no entry or a complete one. Leftovers in tmp/ are removed by the next run,
// under the lock. After a save, entries beyond the retention count are pruned oldest first;
// the newest is never pruned.
//
// An entry's name is the UTC start time of its run and a sequence number that grows with
// every save: the number orders the entries even when the clock went backwards.
package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"ecscan/report"
)

// ReportFile is the name of the report in every entry.
const ReportFile = "report.json"

// Dir is an open state directory. It is meant for one goroutine; runs in other processes, or
// other Dirs on the same path, are kept apart by the lock.
type Dir struct {
	path string
	keep int
	lock *lockFile // held by this Dir, or nil

	// Warn, when set, is told about every problem that does not stop the work: an entry
	// without a readable report.json (skipped by Runs), a leftover temporary directory or an
	// old entry that could not be removed.
	Warn func(error)
}

// Open opens the state directory at path, creating it (mode 0700) if it is missing. keep is
// the number of runs Save retains (0 keeps every run). When no other run holds the lock,
// Open also removes what killed runs left in tmp/.
func Open(path string, keep int) (*Dir, error) {
	if keep < 0 {
		return nil, fmt.Errorf("state %s: keep %d: must be 0 (all) or more", path, keep)
	}
	d := &Dir{path: path, keep: keep}
	for _, sub := range []string{path, d.runsDir(), d.tmpDir()} {
		if err := os.MkdirAll(sub, 0o700); err != nil {
			return nil, fmt.Errorf("state %s: %w", path, err)
		}
	}
	// Clean up only when nobody else holds the lock: a running save owns its tmp/ entry.
	if unlock, err := d.Lock(); err == nil {
		if err := unlock(); err != nil {
			return nil, err
		}
	} else if !errors.Is(err, ErrLocked) {
		return nil, err
	}
	return d, nil
}

// Path returns the directory's path.
func (d *Dir) Path() string { return d.path }

// Keep returns the number of runs Save retains (0: all).
func (d *Dir) Keep() int { return d.keep }

func (d *Dir) runsDir() string { return filepath.Join(d.path, "runs") }
func (d *Dir) tmpDir() string  { return filepath.Join(d.path, "tmp") }

func (d *Dir) warn(err error) {
	if d.Warn != nil {
		d.Warn(err)
	}
}

// Entry is one complete run in the state directory.
type Entry struct {
	ID          string    `json:"id"`   // the directory name under runs/
	Path        string    `json:"path"` // the entry's directory
	Started     time.Time `json:"started"`
	Ended       time.Time `json:"ended"`
	Interrupted bool      `json:"interrupted,omitempty"` // the run was stopped before its end
	seq         int
}

// Report reads the entry's report.json.
func (e Entry) Report() (*report.Report, error) {
	path := filepath.Join(e.Path, ReportFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("state: %w", err)
	}
	var rep report.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		return nil, fmt.Errorf("state: read %s: %w", path, err)
	}
	return &rep, nil
}

// File returns the path of another file kept in the entry (report.md, diff.json, …).
func (e Entry) File(name string) string { return filepath.Join(e.Path, name) }

// Runs returns the complete entries, oldest first. An entry whose report.json is missing or
// unreadable is skipped and reported through Warn; only a runs/ directory that cannot be
// read at all is an error.
func (d *Dir) Runs() ([]Entry, error) {
	des, err := os.ReadDir(d.runsDir())
	if err != nil {
		return nil, fmt.Errorf("state %s: %w", d.path, err)
	}
	var out []Entry
	for _, de := range des {
		seq, ok := parseID(de.Name())
		if !ok || !de.IsDir() {
			d.warn(fmt.Errorf("state: %s: not a run entry, ignored", filepath.Join(d.runsDir(), de.Name())))
			continue
		}
		e := Entry{ID: de.Name(), Path: filepath.Join(d.runsDir(), de.Name()), seq: seq}
		if err := e.readTimes(); err != nil {
			d.warn(fmt.Errorf("state: run %s skipped: %w", e.ID, err))
			continue
		}
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b Entry) int {
		if a.seq != b.seq {
			return a.seq - b.seq
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// readTimes reads the run's times from its report.json, which proves the file readable.
func (e *Entry) readTimes() error {
	path := filepath.Join(e.Path, ReportFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var head struct {
		Schema      string    `json:"schema"`
		Started     time.Time `json:"started"`
		Ended       time.Time `json:"ended"`
		Interrupted bool      `json:"interrupted"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	if head.Schema != "ecscan.report" {
		return fmt.Errorf("read %s: schema %q, want ecscan.report", path, head.Schema)
	}
	e.Started, e.Ended, e.Interrupted = head.Started, head.Ended, head.Interrupted
	return nil
}

// Latest returns the newest complete entry, or nil when there is none.
func (d *Dir) Latest() (*Entry, error) {
	runs, err := d.Runs()
	if err != nil || len(runs) == 0 {
		return nil, err
	}
	return &runs[len(runs)-1], nil
}

// Baseline returns the newest complete entry of a run that was not interrupted — what a new
// run should be compared with — or nil when there is none.
func (d *Dir) Baseline() (*Entry, error) {
	runs, err := d.Runs()
	if err != nil {
		return nil, err
	}
	for i := len(runs) - 1; i >= 0; i-- {
		if !runs[i].Interrupted {
			return &runs[i], nil
		}
	}
	return nil, nil
}

// idTime is the layout of an entry name's time part.
const idTime = "20060102T150405Z"

// formatID names an entry: the run's UTC start time and the sequence number.
func formatID(started time.Time, seq int) string {
	return started.UTC().Format(idTime) + "-" + strconv.Itoa(seq)
}

// parseID returns the sequence number of an entry name, which must be exactly as formatID
// writes it.
func parseID(name string) (int, bool) {
	ts, n, ok := strings.Cut(name, "-")
	if !ok {
		return 0, false
	}
	t, err := time.Parse(idTime, ts)
	if err != nil {
		return 0, false
	}
	seq, err := strconv.Atoi(n)
	if err != nil || seq < 1 || formatID(t, seq) != name {
		return 0, false
	}
	return seq, true
}
