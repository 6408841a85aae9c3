// Package runnertest builds the web check's template engine (cmd/ecscan-nuclei) for the
// tests of the packages that run the web check, and points the check at it through
// $ECSCAN_NUCLEI. Their TestMain calls Main.
package runnertest

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"ecscan/checks/web/wire"
)

// Main builds ecscan-nuclei into a temporary directory (the Go build cache makes it quick
// after the first time), sets $ECSCAN_NUCLEI, runs the tests and returns their exit code.
// A build failure fails the package's tests: the web check cannot be tested without it.
//
// A fuzzing worker (the test binary that `go test -fuzz` starts to run inputs, with
// -test.fuzzworker) runs only the fuzz target, never a test: it skips the build, which
// would otherwise take the fuzzing time of each worker it starts.
func Main(m *testing.M) int {
	flag.Parse()
	if f := flag.Lookup("test.fuzzworker"); f != nil && f.Value.String() == "true" {
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "ecscan-nuclei-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "runnertest:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, wire.RunnerName)
	goCmd, err := exec.LookPath("go")
	if err != nil {
		goCmd = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	out, err := exec.Command(goCmd, "build", "-o", bin, "ecscan/cmd/ecscan-nuclei").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "runnertest: building %s: %v\n%s", wire.RunnerName, err, out)
		return 1
	}
	os.Setenv(wire.RunnerEnv, bin)
	return m.Run()
}
