package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"ecscan/checks/web/runnertest"
	"ecscan/report"
)

// TestMain lets a test run the test binary itself as ecscan (ECSCAN_TEST_MAIN=1), for
// tests that need a separate process: signals, exit codes as the shell sees them.
func TestMain(m *testing.M) {
	if os.Getenv("ECSCAN_TEST_MAIN") == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	// The web check's template engine (cmd/ecscan-nuclei), for the scans of the tests.
	os.Exit(runnertest.Main(m))
}

func ecscanProcess(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "ECSCAN_TEST_MAIN=1")
	return cmd
}

// TestLabInterruptWritesReport interrupts a slow scan (all ports, rate-limited) and checks
// that it stops, exits 3 and still writes a report marked interrupted.
func TestLabInterruptWritesReport(t *testing.T) {
	needLab(t)
	out := filepath.Join(t.TempDir(), "report")
	cmd := ecscanProcess("scan", "--allow-private", "--resolver", labResolver, "--out", out, "--progress", "never",
		"--all-ports", "--rate", "500", "ecshop.test")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	// Wait until the scan has begun (the DNS check and the port scan are under way).
	time.Sleep(1500 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != exitFailed {
			t.Fatalf("interrupted scan: %v, want exit %d", err, exitFailed)
		}
	case <-time.After(time.Until(deadline)):
		cmd.Process.Kill()
		t.Fatal("the scan did not stop after SIGINT")
	}
	data, err := os.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		t.Fatalf("no report after the interrupt: %v", err)
	}
	var rep report.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	if !rep.Interrupted || len(rep.Hosts) == 0 {
		t.Errorf("report: interrupted %v with %d hosts, want an interrupted report of the discovered hosts", rep.Interrupted, len(rep.Hosts))
	}
}
