package web

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"ecscan/checks/web/wire"
)

// The template engine's program and the variable that names it (see package wire).
const (
	RunnerName = wire.RunnerName
	RunnerEnv  = wire.RunnerEnv
)

// errNoRunner: the template engine is not installed where ecscan looks for it.
var errNoRunner = errors.New("the template engine " + RunnerName + " was not found (beside ecscan, in $" + RunnerEnv + " or on the PATH); build it with: go build -o DIR ./cmd/... and run DIR/ecscan")

// RunnerPath finds ecscan-nuclei: $ECSCAN_NUCLEI, then beside the running executable, then
// on the PATH.
func RunnerPath() (string, error) {
	if p := os.Getenv(RunnerEnv); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("$%s: %w", RunnerEnv, err)
		}
		return p, nil
	}
	if exe, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(exe), RunnerName)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	if p, err := exec.LookPath(RunnerName); err == nil {
		return p, nil
	}
	return "", errNoRunner
}

// runNuclei runs the templates in the ecscan-nuclei process: it writes the parameters on
// the runner's stdin, hands every event of its stdout to onEvent, and copies its log (stderr)
// to log. Cancelling ctx closes stdin, then signals and at last kills the runner. It returns
// an error when the runner could not be started or ended badly.
func runNuclei(ctx context.Context, p wire.Params, log io.Writer, onEvent func(wire.Event)) error {
	bin, err := RunnerPath()
	if err != nil {
		return fmt.Errorf("web: %w", err)
	}
	cmd := exec.Command(bin)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return fmt.Errorf("web: %s: %w", RunnerName, err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("web: %s: %w", RunnerName, err)
	}
	cmd.Stderr = log
	cmd.WaitDelay = 5 * time.Second
	ownGroup(cmd)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("web: start %s: %w", bin, err)
	}
	stop := context.AfterFunc(ctx, func() {
		stdin.Close()
		time.AfterFunc(5*time.Second, func() { killRunner(cmd) })
	})
	defer stop()
	if err := json.NewEncoder(stdin).Encode(p); err != nil {
		killRunner(cmd)
		_ = cmd.Wait()
		return fmt.Errorf("web: %s: parameters: %w", RunnerName, err)
	}
	readErr := readEvents(stdout, onEvent)
	stdin.Close()
	if readErr != nil {
		killRunner(cmd)
	}
	waitErr := cmd.Wait()
	switch {
	case ctx.Err() != nil:
		return nil
	case readErr != nil:
		return fmt.Errorf("web: %s: %w", RunnerName, readErr)
	case waitErr != nil:
		return fmt.Errorf("web: %s: %w (its log is in --debug-log)", RunnerName, waitErr)
	}
	return nil
}

// readEvents decodes the runner's events, one JSON object per line, each at most
// wire.MaxLine bytes.
func readEvents(r io.Reader, onEvent func(wire.Event)) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), wire.MaxLine)
	for sc.Scan() {
		var e wire.Event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return fmt.Errorf("an event does not parse: %w", err)
		}
		onEvent(e)
	}
	return sc.Err()
}
