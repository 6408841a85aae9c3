package report

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ecscan/report/browsertest"
)

func TestBrowserRendersReport(t *testing.T) {
	browsertest.Need(t)
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	if err := os.WriteFile(page, []byte(writeHTML(t, hostileReport(), Options{Lang: "ja", Catalog: testCatalog(t)})), 0o600); err != nil {
		t.Fatal(err)
	}

	dom, log := browsertest.Run(t, page, "--dump-dom")
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
	if errs := browsertest.ConsoleErrors(log); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}

	shot := filepath.Join(dir, "report.png")
	_, log = browsertest.Run(t, page, "--screenshot="+shot, "--window-size=1280,2000", "--hide-scrollbars")
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
	browsertest.Run(t, page, "--print-to-pdf="+pdf, "--no-pdf-header-footer")
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
	if got := browsertest.ConsoleErrors(log); len(got) != 2 {
		t.Errorf("consoleErrors found %d lines, want 2: %q", len(got), got)
	}
}
