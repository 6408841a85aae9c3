// Package browsertest opens ecscan's report.html in headless Chromium (Debian's chromium
// package, which lab/install installs) for the tests that check how a report renders.
package browsertest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Path is Debian's chromium.
const Path = "/usr/bin/chromium"

// Need returns Path, skipping the test when chromium is not installed — or failing it when
// ECSCAN_LAB=required (CI with the lab), where it must be.
func Need(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(Path); err != nil {
		if os.Getenv("ECSCAN_LAB") == "required" {
			t.Fatalf("ECSCAN_LAB=required but %s is missing: %v", Path, err)
		}
		t.Skipf("%s not installed", Path)
	}
	return Path
}

// Run runs headless chromium on a local file with no network: every host name resolves to
// nothing, and the page's CSP forbids fetches anyway. The timeout only guards against a
// hung browser.
func Run(t *testing.T, page string, args ...string) (stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	flags := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-default-apps", "--disable-extensions", "--host-resolver-rules=MAP * ~NOTFOUND",
		"--user-data-dir=" + t.TempDir(), "--enable-logging=stderr", "--v=0",
	}
	cmd := exec.CommandContext(ctx, Need(t), append(append(flags, args...), "file://"+page)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, errb.String())
	}
	return out.String(), errb.String()
}

// ConsoleErrors returns the lines of chromium's log that report a script error, a console
// message or a blocked load from the page.
func ConsoleErrors(log string) []string {
	var bad []string
	for _, line := range strings.Split(log, "\n") {
		if strings.Contains(line, "Uncaught") || strings.Contains(line, ":CONSOLE") || strings.Contains(line, "Refused to") {
			bad = append(bad, line)
		}
	}
	return bad
}
