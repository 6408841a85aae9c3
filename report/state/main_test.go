package state

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"ecscan/report"
)

// childEnv selects what the test binary does when a test runs it as a child process.
const childEnv = "ECSCAN_STATE_CHILD"

// TestMain lets a test run the test binary itself as a second process
// (ECSCAN_STATE_CHILD=mode, ECSCAN_STATE_DIR=dir): to hold or try the lock from another
// process, or to save in a loop until it is killed.
func TestMain(m *testing.M) {
	if mode := os.Getenv(childEnv); mode != "" {
		os.Exit(child(mode, os.Getenv("ECSCAN_STATE_DIR")))
	}
	os.Exit(m.Run())
}

// child runs one child mode and returns its exit code: 0 done, 4 lock held, 1 failure.
func child(mode, dir string) int {
	d, err := Open(dir, 3)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	unlock, err := d.Lock()
	if errors.Is(err, ErrLocked) {
		fmt.Println(err)
		return 4
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer unlock()
	switch mode {
	case "hold": // hold the lock until stdin closes
		fmt.Println("locked", os.Getpid())
		io.Copy(io.Discard, os.Stdin)
	case "trylock":
	case "save-loop": // save large entries until killed
		files := bigFiles()
		fmt.Println("ready")
		for i := 0; ; i++ {
			rep := testReport(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour))
			if _, err := d.Save(rep, files); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
		}
	}
	return 0
}

// bigFiles are the large files the save loop keeps in every entry: their content is
// checkable (bigContent), so a torn write would show.
func bigFiles() map[string][]byte {
	return map[string][]byte{"big1.bin": bigContent("big1.bin"), "big2.bin": bigContent("big2.bin")}
}

const bigSize = 6 << 20

func bigContent(name string) []byte {
	b := make([]byte, bigSize)
	for i := range b {
		b[i] = byte(i*7+len(name)) ^ name[len(name)-5]
	}
	return b
}

// childProcess starts the test binary as a child in mode on dir, and returns it with its
// stdout as lines.
func childProcess(t *testing.T, mode, dir string) (*exec.Cmd, *bufio.Scanner, io.WriteCloser) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+mode, "ECSCAN_STATE_DIR="+dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	return cmd, bufio.NewScanner(stdout), stdin
}

// testReport is a small report that started at start.
func testReport(start time.Time) *report.Report {
	return &report.Report{
		Schema: "ecscan.report", SchemaVersion: report.SchemaVersion,
		Scanner: report.Scanner{Name: "ecscan", Version: "test"},
		Started: start, Ended: start.Add(90 * time.Second),
		Targets: []string{"ecshop.test"},
	}
}

// pidOf reads "locked PID" from a holding child.
func pidOf(t *testing.T, line string) int {
	t.Helper()
	f := strings.Fields(line)
	if len(f) != 2 || f[0] != "locked" {
		t.Fatalf("child said %q, want \"locked PID\"", line)
	}
	pid, err := strconv.Atoi(f[1])
	if err != nil {
		t.Fatal(err)
	}
	return pid
}
