package state

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ErrLocked is the error (errors.Is) of Lock and Save when another run holds the lock.
var ErrLocked = errors.New("state directory is locked by another run")

// LockedError says who holds the lock. It matches ErrLocked.
type LockedError struct {
	Path  string    // the lock file
	PID   int       // the holder's process id, 0 when it has not written it yet
	Since time.Time // when the holder took the lock; zero when unknown
}

// Error names the holder and since when it runs.
func (e *LockedError) Error() string {
	holder := "another process"
	if e.PID > 0 {
		holder = "pid " + strconv.Itoa(e.PID)
	}
	if !e.Since.IsZero() {
		holder += " since " + e.Since.UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("%s: %v (held by %s)", e.Path, ErrLocked, holder)
}

// Unwrap returns ErrLocked.
func (e *LockedError) Unwrap() error { return ErrLocked }

// lockFile is the open, locked DIR/lock.
type lockFile struct{ f *os.File }

// Lock takes the directory's exclusive lock without waiting: flock(2) on DIR/lock, which
// then holds this process's pid and the time. When another run (another process, or another
// Dir of this one) holds it, Lock fails at once with a *LockedError matching ErrLocked. The
// kernel drops the lock when its holder dies, however it dies. Under the lock, Lock removes
// what killed runs left in tmp/. unlock releases the lock; calling it again does nothing.
func (d *Dir) Lock() (unlock func() error, err error) {
	path := filepath.Join(d.path, "lock")
	if d.lock != nil {
		return nil, &LockedError{Path: path, PID: os.Getpid()}
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("state: lock %s: %w", path, err)
	}
	if err := flock(f); err != nil {
		le := readHolder(f)
		f.Close()
		if errors.Is(err, errWouldBlock) {
			le.Path = path
			return nil, le
		}
		return nil, fmt.Errorf("state: lock %s: %w", path, err)
	}
	if err := writeHolder(f); err != nil {
		funlock(f)
		f.Close()
		return nil, fmt.Errorf("state: lock %s: %w", path, err)
	}
	lf := &lockFile{f: f}
	d.lock = lf
	d.removeStale()
	done := false
	return func() error {
		if done {
			return nil
		}
		done = true
		d.lock = nil
		return lf.release(path)
	}, nil
}

// release empties the lock file, then unlocks and closes it.
func (l *lockFile) release(path string) error {
	err := l.f.Truncate(0)
	if uerr := funlock(l.f); err == nil {
		err = uerr
	}
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("state: unlock %s: %w", path, err)
	}
	return nil
}

// writeHolder records this process in the lock file: "pid N\nsince RFC3339\n".
func writeHolder(f *os.File) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	line := fmt.Sprintf("pid %d\nsince %s\n", os.Getpid(), time.Now().UTC().Format(time.RFC3339Nano))
	_, err := f.WriteAt([]byte(line), 0)
	return err
}

// readHolder reads what the holder wrote; a half-written or empty file yields what it can.
func readHolder(f *os.File) *LockedError {
	data, err := io.ReadAll(io.LimitReader(f, 512))
	if err != nil {
		return &LockedError{}
	}
	return parseHolder(data)
}

// parseHolder parses the lock file's "pid N" and "since TIME" lines, ignoring the rest.
func parseHolder(data []byte) *LockedError {
	le := &LockedError{}
	for _, line := range strings.Split(string(data), "\n") {
		k, v, _ := strings.Cut(line, " ")
		switch k {
		case "pid":
			le.PID, _ = strconv.Atoi(v)
		case "since":
			le.Since, _ = time.Parse(time.RFC3339Nano, v)
		}
	}
	return le
}

// removeStale removes every entry of tmp/: only a lock holder writes there, so under the
// lock whatever is there was left by a run that died.
func (d *Dir) removeStale() {
	des, err := os.ReadDir(d.tmpDir())
	if err != nil {
		d.warn(fmt.Errorf("state: %w", err))
		return
	}
	for _, de := range des {
		p := filepath.Join(d.tmpDir(), de.Name())
		if err := os.RemoveAll(p); err != nil {
			d.warn(fmt.Errorf("state: remove leftover %s: %w", p, err))
		}
	}
}
