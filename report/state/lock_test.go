package state

import (
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

func TestLockTwiceInOneProcess(t *testing.T) {
	path := t.TempDir()
	a, err := Open(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	unlock, err := a.Lock()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Lock(); !errors.Is(err, ErrLocked) {
		t.Errorf("second Lock on the same Dir: %v, want ErrLocked", err)
	}
	b, err := Open(path, 0)
	if err != nil {
		t.Fatalf("Open while locked: %v, want it to open", err)
	}
	_, err = b.Lock()
	var le *LockedError
	if !errors.Is(err, ErrLocked) || !errors.As(err, &le) {
		t.Fatalf("Lock by a second Dir: %v, want a *LockedError matching ErrLocked", err)
	}
	if le.PID != os.Getpid() || le.Since.IsZero() {
		t.Errorf("holder pid %d since %v, want pid %d and a time", le.PID, le.Since, os.Getpid())
	}
	if msg := err.Error(); !strings.Contains(msg, "pid "+strconv.Itoa(os.Getpid())) || !strings.Contains(msg, "since ") {
		t.Errorf("message %q does not name the holder and since when", msg)
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	if err := unlock(); err != nil {
		t.Errorf("second unlock: %v, want nothing", err)
	}
	unlockB, err := b.Lock()
	if err != nil {
		t.Fatalf("Lock after unlock: %v", err)
	}
	unlockB()
}

// TestLockAcrossProcesses has a child process hold the lock: this process gets ErrLocked
// at once, naming the child; then the roles are reversed.
func TestLockAcrossProcesses(t *testing.T) {
	path := t.TempDir()
	cmd, out, stdin := childProcess(t, "hold", path)
	if !out.Scan() {
		t.Fatalf("the child did not lock: %v", cmd.Wait())
	}
	pid := pidOf(t, out.Text())

	d, err := Open(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = d.Lock()
	var le *LockedError
	if !errors.As(err, &le) || !errors.Is(err, ErrLocked) {
		t.Fatalf("Lock while a child holds it: %v, want ErrLocked", err)
	}
	if le.PID != pid || pid != cmd.Process.Pid {
		t.Errorf("holder pid %d, want the child's %d (%d)", le.PID, pid, cmd.Process.Pid)
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("holding child: %v", err)
	}
	unlock, err := d.Lock()
	if err != nil {
		t.Fatalf("Lock after the child released it: %v", err)
	}
	defer unlock()

	try := exec.Command(os.Args[0], "-test.run=^$")
	try.Env = append(os.Environ(), childEnv+"=trylock", "ECSCAN_STATE_DIR="+path)
	msg, err := try.Output()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 4 {
		t.Fatalf("child Lock while this process holds it: %v, want exit 4", err)
	}
	if want := "pid " + strconv.Itoa(os.Getpid()); !strings.Contains(string(msg), want) {
		t.Errorf("child's message %q does not contain %q", msg, want)
	}
}

// TestLockReleasedWhenHolderDies kills a holding child with SIGKILL: the kernel drops its
// lock, so the next run proceeds.
func TestLockReleasedWhenHolderDies(t *testing.T) {
	path := t.TempDir()
	cmd, out, _ := childProcess(t, "hold", path)
	if !out.Scan() {
		t.Fatalf("the child did not lock: %v", cmd.Wait())
	}
	pidOf(t, out.Text())
	cmd.Process.Kill()
	cmd.Wait()
	d, err := Open(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	unlock, err := d.Lock()
	if err != nil {
		t.Fatalf("Lock after the holder was killed: %v", err)
	}
	unlock()
}
