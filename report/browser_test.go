package report

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// chromiumPath is Debian's chromium. The browser tests run when it is installed, and must
// run when ECSCAN_LAB=required (CI with the lab).
const chromiumPath = "/usr/bin/chromium"

func chromium(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("ECSCAN_LAB") == "required" {
			t.Fatalf("ECSCAN_LAB=required but %s is missing: %v", chromiumPath, err)
		}
		t.Skipf("%s not installed", chromiumPath)
	}
	return chromiumPath
}

// runChromium runs headless chromium on a local file with no network: every host name
// resolves to nothing, and the page's CSP forbids fetches anyway. The timeout only guards
// against a hung browser.
func runChromium(t *testing.T, page string, args ...string) (stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	flags := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-default-apps", "--disable-extensions", "--host-resolver-rules=MAP * ~NOTFOUND",
		"--user-data-dir=" + t.TempDir(), "--enable-logging=stderr", "--v=0",
	}
	cmd := exec.CommandContext(ctx, chromium(t), append(append(flags, args...), "file://"+page)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, errb.String())
	}
	return out.String(), errb.String()
}

// consoleErrors returns the lines of chromium's log that report a script error, a console
// message or a blocked load from the page.
func consoleErrors(log string) []string {
	var bad []string
	for _, line := range strings.Split(log, "\n") {
		if strings.Contains(line, "Uncaught") || strings.Contains(line, ":CONSOLE") || strings.Contains(line, "Refused to") {
			bad = append(bad, line)
		}
	}
	return bad
}

func TestBrowserRendersReport(t *testing.T) {
	chromium(t)
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	if err := os.WriteFile(page, []byte(writeHTML(t, hostileReport(), Options{Lang: "ja", Catalog: testCatalog(t)})), 0o600); err != nil {
		t.Fatal(err)
	}

	dom, log := runChromium(t, page, "--dump-dom")
	for _, want := range []string{`<section id="summary">`, `<h2>概要</h2>`, `<h3 class="chapter-title">第1章 サイトの公開面</h3>`, `<section id="evidence">`} {
		if !strings.Contains(dom, want) {
			t.Errorf("rendered DOM lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", "<img"} {
		if strings.Contains(dom, bad) {
			t.Errorf("rendered DOM holds %q: a payload became markup", bad)
		}
	}
	if errs := consoleErrors(log); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}

	shot := filepath.Join(dir, "report.png")
	_, log = runChromium(t, page, "--screenshot="+shot, "--window-size=1280,2000", "--hide-scrollbars")
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v\n%s", err, log)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil || cfg.Width != 1280 || cfg.Height != 2000 {
		t.Errorf("screenshot %s: %dx%d, %v; want a 1280x2000 PNG", shot, cfg.Width, cfg.Height, err)
	}
	t.Logf("screenshot: %s", shot)

	pdf := filepath.Join(dir, "report.pdf")
	runChromium(t, page, "--print-to-pdf="+pdf, "--no-pdf-header-footer")
	data, err := os.ReadFile(pdf)
	if err != nil || !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Errorf("print to PDF: %v, %d bytes", err, len(data))
	}
}

func TestConsoleErrors(t *testing.T) {
	// Lines as chromium 1xx logs them for a page with a blocked image and a script error.
	log := "[1:2:1128/235354.640295:ERROR:dbus/bus.cc:405] Failed to connect to the bus\n" +
		"[1:1:1128/235355.132117:INFO:CONSOLE:1] \"Loading the image 'http://example.invalid/x.png' violates the following Content Security Policy directive\", source: file:///tmp/bad.html (1)\n" +
		"[1:1:1128/235355.132366:INFO:CONSOLE:1] \"Uncaught ReferenceError: undefinedFn is not defined\", source: file:///tmp/bad.html (1)\n" +
		"[1:1:1128/235354.823809:WARNING:ui/base/idle/idle_linux.cc:111] None of the known D-Bus ScreenSaver services could be used."
	if got := consoleErrors(log); len(got) != 2 {
		t.Errorf("consoleErrors found %d lines, want 2: %q", len(got), got)
	}
}
