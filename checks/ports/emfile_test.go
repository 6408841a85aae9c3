package ports

import (
	"context"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"ecscan/checks"
)

// TestOutOfFiles scans with far fewer file descriptors than workers (in a child process,
// whose limit it lowers): connections fail with EMFILE, are waited out and retried, and every
// port still comes out closed, none given up as an error or taken for filtered.
func TestOutOfFiles(t *testing.T) {
	if os.Getenv("PORTS_EMFILE_CHILD") == "1" {
		outOfFilesChild(t)
		return
	}
	// The parent holds the closed ports (checktest.ClosedPort) while the child scans them:
	// the child's file limit is too low to hold them itself.
	var ports []string
	for range 300 {
		ports = append(ports, strconv.Itoa(freePort(t)))
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestOutOfFiles$", "-test.v")
	cmd.Env = append(os.Environ(), "PORTS_EMFILE_CHILD=1", "PORTS_EMFILE_PORTS="+strings.Join(ports, ","))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	t.Logf("child:\n%s", out)
}

func outOfFilesChild(t *testing.T) {
	var ports []int
	for _, f := range strings.Split(os.Getenv("PORTS_EMFILE_PORTS"), ",") {
		p, err := strconv.Atoi(f)
		if err != nil {
			t.Fatalf("PORTS_EMFILE_PORTS: %v", err)
		}
		ports = append(ports, p)
	}
	env := testEnv("localhost")
	var results []checks.Result
	run := func() error {
		return New(Config{Ports: ports, ServiceTimeout: time.Second}).Run(context.Background(), env, func(r checks.Result) { results = append(results, r) })
	}
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &old); err != nil {
		t.Fatal(err)
	}
	low := syscall.Rlimit{Cur: 16, Max: old.Max}
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &low); err != nil {
		t.Skipf("cannot lower the file limit: %v", err)
	}
	err := run()
	syscall.Setrlimit(syscall.RLIMIT_NOFILE, &old)
	if err != nil {
		t.Fatal(err)
	}
	obs := results[0].Data.(*Observation)
	want := len(slices.Compact(slices.Sorted(slices.Values(ports))))
	if obs.Closed != want || obs.Errors != 0 || obs.Filtered != 0 {
		t.Errorf("closed %d errors %d filtered %d, want %d 0 0", obs.Closed, obs.Errors, obs.Filtered, want)
	}
	t.Logf("%d ports closed, after %d waits for file descriptors", obs.Closed, backoffs.Load())
}
