package state

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"ecscan/report"
)

// Save keeps a run: a new entry runs/<UTC start>-<n>/ holding the report as report.json and
// every file of files (name → content; plain names such as "report.md" or "diff.json").
// The entry is written into tmp/ first, every file and the directory fsynced, then renamed
// into runs/ in one step and runs/ fsynced: a reader, or the next run after a crash, sees the
// entry complete or not at all. Entries beyond keep are then pruned, oldest first; the new
// one never is.
//
// Save needs the lock: it uses this Dir's if held, or takes it for its own duration (and
// then fails with ErrLocked when another run holds it).
func (d *Dir) Save(rep *report.Report, files map[string][]byte) (Entry, error) {
	if rep == nil {
		return Entry{}, fmt.Errorf("state %s: save: no report", d.path)
	}
	for name := range files {
		if err := checkName(name); err != nil {
			return Entry{}, fmt.Errorf("state %s: save: %w", d.path, err)
		}
	}
	if d.lock == nil {
		unlock, err := d.Lock()
		if err != nil {
			return Entry{}, err
		}
		defer unlock()
	} else {
		d.removeStale()
	}
	var buf bytes.Buffer
	if err := (report.JSONWriter{}).Write(&buf, rep, report.Options{}); err != nil {
		return Entry{}, fmt.Errorf("state %s: encode report: %w", d.path, err)
	}
	all := map[string][]byte{ReportFile: buf.Bytes()}
	for name, data := range files {
		all[name] = data
	}
	e, err := d.commit(rep, all)
	if err != nil {
		return Entry{}, err
	}
	d.prune(e)
	return e, nil
}

// checkName accepts a plain file name other than report.json.
func checkName(name string) error {
	switch {
	case name == ReportFile:
		return fmt.Errorf("file %q: the report is written from the report itself", name)
	case name == "" || name == "." || name == ".." || filepath.Base(name) != name ||
		strings.ContainsAny(name, "/\\\x00"):
		return fmt.Errorf("file name %q: want a plain name such as report.md", name)
	}
	return nil
}

// commit writes the files into a temporary directory and renames it into runs/.
func (d *Dir) commit(rep *report.Report, files map[string][]byte) (Entry, error) {
	tmp, err := os.MkdirTemp(d.tmpDir(), "save-")
	if err != nil {
		return Entry{}, fmt.Errorf("state %s: %w", d.path, err)
	}
	fail := func(err error) (Entry, error) {
		os.RemoveAll(tmp)
		return Entry{}, fmt.Errorf("state %s: save: %w", d.path, err)
	}
	for name, data := range files {
		if err := writeSynced(filepath.Join(tmp, name), data); err != nil {
			return fail(err)
		}
	}
	if err := syncDir(tmp); err != nil {
		return fail(err)
	}
	started := rep.Started
	if started.IsZero() {
		started = time.Now()
	}
	id, err := d.nextID(started)
	if err != nil {
		return fail(err)
	}
	dst := filepath.Join(d.runsDir(), id)
	if err := os.Rename(tmp, dst); err != nil {
		return fail(err)
	}
	if err := syncDir(d.runsDir()); err != nil {
		return Entry{}, fmt.Errorf("state %s: save: %w", d.path, err)
	}
	_ = syncDir(d.tmpDir())
	seq, _ := parseID(id)
	return Entry{ID: id, Path: dst, Started: rep.Started, Ended: rep.Ended, Interrupted: rep.Interrupted, seq: seq}, nil
}

// nextID names the next entry: its sequence number is one more than any entry's in runs/,
// readable or not, so that the new entry sorts last.
func (d *Dir) nextID(started time.Time) (string, error) {
	des, err := os.ReadDir(d.runsDir())
	if err != nil {
		return "", err
	}
	seq := 0
	for _, de := range des {
		if n, ok := parseID(de.Name()); ok && n > seq {
			seq = n
		}
	}
	for {
		seq++
		id := formatID(started, seq)
		if _, err := os.Lstat(filepath.Join(d.runsDir(), id)); errors.Is(err, os.ErrNotExist) {
			return id, nil
		} else if err != nil {
			return "", err
		}
	}
}

// writeSynced writes a new file and flushes it to the disk.
func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir flushes a directory's entries (names created or renamed in it) to the disk.
func syncDir(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// prune removes the oldest entries beyond keep, never newest. Each is first renamed into
// tmp/ (one step), so a run killed while removing it leaves no half-removed entry in runs/.
func (d *Dir) prune(newest Entry) {
	if d.keep == 0 {
		return
	}
	runs, err := d.Runs()
	if err != nil {
		d.warn(err)
		return
	}
	for i := 0; i < len(runs)-d.keep; i++ {
		e := runs[i]
		if e.ID == newest.ID {
			continue
		}
		trash := filepath.Join(d.tmpDir(), "prune-"+e.ID)
		if err := os.Rename(e.Path, trash); err != nil {
			d.warn(fmt.Errorf("state: prune %s: %w", e.Path, err))
			continue
		}
		if err := os.RemoveAll(trash); err != nil {
			d.warn(fmt.Errorf("state: prune %s: %w", trash, err))
		}
	}
	if err := syncDir(d.runsDir()); err != nil {
		d.warn(fmt.Errorf("state: %w", err))
	}
}
