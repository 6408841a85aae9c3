package state

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestSIGKILLDuringSave kills a child that saves large entries in a loop (pruning to 3) at
// a random moment, several times. Whenever it was killed, the entries listed must be
// complete — every file whole — and a save afterwards must succeed and leave tmp/ empty.
func TestSIGKILLDuringSave(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and kills repeatedly")
	}
	path := t.TempDir()
	leftovers := 0
	for round := range 6 {
		cmd, out, _ := childProcess(t, "save-loop", path)
		if !out.Scan() || out.Text() != "ready" {
			t.Fatalf("round %d: the child did not start: %q", round, out.Text())
		}
		time.Sleep(time.Duration(rand.IntN(400)) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		if des, _ := os.ReadDir(filepath.Join(path, "tmp")); len(des) > 0 {
			leftovers++
		}

		d, err := Open(path, 3)
		if err != nil {
			t.Fatalf("round %d: Open after the kill: %v", round, err)
		}
		var warned []error
		d.Warn = func(err error) { warned = append(warned, err) }
		runs, err := d.Runs()
		if err != nil {
			t.Fatal(err)
		}
		if len(warned) > 0 {
			t.Errorf("round %d: Runs after the kill warned %v: an incomplete entry reached runs/", round, warned)
		}
		for _, e := range runs {
			checkComplete(t, e)
		}
		assertEmpty(t, filepath.Join(path, "tmp"))
		e, err := d.Save(testReport(time.Now()), map[string][]byte{"note.txt": []byte("after kill")})
		if err != nil {
			t.Fatalf("round %d: Save after the kill: %v", round, err)
		}
		if l, _ := d.Latest(); l == nil || l.ID != e.ID {
			t.Errorf("round %d: Latest = %v, want the new %s", round, l, e.ID)
		}
		assertEmpty(t, filepath.Join(path, "tmp"))
	}
	t.Logf("a kill left a save in tmp/ in %d of 6 rounds", leftovers)
}

// checkComplete checks that an entry of the save loop holds every file whole.
func checkComplete(t *testing.T, e Entry) {
	t.Helper()
	if _, err := e.Report(); err != nil {
		t.Errorf("entry %s: %v", e.ID, err)
	}
	if _, err := os.Stat(e.File("note.txt")); err == nil {
		return // saved by this test, not by the loop
	}
	for name, want := range bigFiles() {
		got, err := os.ReadFile(e.File(name))
		if err != nil {
			t.Errorf("entry %s: %v", e.ID, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("entry %s: %s has %d bytes, not the %d written", e.ID, name, len(got), len(want))
		}
	}
}
