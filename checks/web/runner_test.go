package web

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ecscan/checks/web/wire"
)

// fakeRunner writes a shell script that stands for ecscan-nuclei and points $ECSCAN_NUCLEI
// at it.
func fakeRunner(t *testing.T, script string) {
	t.Helper()
	p := filepath.Join(t.TempDir(), wire.RunnerName)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+script+"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv(wire.RunnerEnv, p)
}

func TestRunnerFaults(t *testing.T) {
	for _, tt := range []struct {
		name, script string
		wantErr      string // "" for no error
		wantEvents   int
	}{
		{"two events", `head -c1 >/dev/null; echo '{"key":"http://a:80","template":"t1","matched":true}'; echo '{"key":"http://a:80","template":"t2"}'; echo 'nuclei: a log line' >&2`, "", 2},
		{"garbage", `head -c1 >/dev/null; echo 'not json'`, "does not parse", 0},
		{"endless line", `head -c1 >/dev/null; head -c 20000000 /dev/zero | tr '\0' 'x'`, "token too long", 0},
		{"exit 1", `head -c1 >/dev/null; echo 'engine failed' >&2; exit 1`, "exit status 1", 0},
		{"bad parameters", `head -c1 >/dev/null; exit 2`, "exit status 2", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fakeRunner(t, tt.script)
			var log bytes.Buffer
			n := 0
			err := runNuclei(context.Background(), wire.Params{Targets: []string{"http://a"}}, &log, func(wire.Event) { n++ })
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("err = %v, want %q", err, tt.wantErr)
			}
			if n != tt.wantEvents {
				t.Errorf("%d events, want %d", n, tt.wantEvents)
			}
		})
	}
}

// TestRunnerStopsWithTheScan: a runner that never ends is stopped when the scan is
// cancelled (stdin closed, then killed), and the cancelled run is not an error.
func TestRunnerStopsWithTheScan(t *testing.T) {
	fakeRunner(t, `sleep 600`)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	done := make(chan error, 1)
	go func() { done <- runNuclei(ctx, wire.Params{}, &bytes.Buffer{}, func(wire.Event) {}) }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("cancelled run: %v, want nil", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("the runner was not stopped")
	}
}

func TestRunnerMissing(t *testing.T) {
	t.Setenv(wire.RunnerEnv, filepath.Join(t.TempDir(), "none"))
	err := runNuclei(context.Background(), wire.Params{}, &bytes.Buffer{}, func(wire.Event) {})
	if err == nil || !strings.Contains(err.Error(), wire.RunnerEnv) {
		t.Errorf("err = %v, want one naming $%s", err, wire.RunnerEnv)
	}
}
