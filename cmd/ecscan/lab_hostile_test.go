package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"ecscan/report"
	"ecscan/report/browsertest"
)

// The lab's hostile web server (legacy.ecshop.test port 80, lab/conf/lighttpd): a Server
// header with a script tag and table breaks, a cookie named like a formula, a header with a
// spreadsheet formula and an <img onerror>, and a home page with terminal escape
// sequences. Its words reach every format through the evidence and the findings; no
// format may let them act.
const (
	hostileServer = "<script>alert('ecscan')</script>/1.0 | x |"
	hostileCookie = "-2+3"
)

func TestLabHostileContentInEveryFormat(t *testing.T) {
	needLab(t)
	out := filepath.Join(t.TempDir(), "report")
	pack := filepath.Join(t.TempDir(), "evidence.zip")
	code, stdout, stderr := ecscan(t, "scan", "--allow-private", "--resolver", labResolver, "--out", out,
		"--progress", "always", "--lang", "en", "--web-rate", "100", "--checks", "web", "--ports", "80",
		"--evidence", pack, "--fail-on", "low", "legacy.ecshop.test")
	if code != exitFindings {
		t.Errorf("exit code %d, want %d (the hostile server's findings at or above low); stderr:\n%s", code, exitFindings, stderr)
	}
	// The progress line redraws itself with "\r ESC [K"; any other ESC came from a server.
	for name, s := range map[string]string{"stdout": stdout, "stderr": strings.ReplaceAll(stderr, "\r\x1b[K", "")} {
		if strings.ContainsRune(s, 0x1b) {
			t.Errorf("%s carries an ESC byte from the server: %q", name, s)
		}
	}
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}

	// JSON keeps what the server said, as data.
	var rep report.Report
	if err := json.Unmarshal(read("report.json"), &rep); err != nil {
		t.Fatalf("report.json: %v", err)
	}
	if !evidenceContains(&rep, hostileServer) || !evidenceContains(&rep, "\x1b[2J") {
		t.Errorf("report.json: the server's Server header or escape sequences are not in the evidence as data")
	}
	if !webFailed(&rep, "web.cookie-flags", "127.0.30.81", 80, hostileCookie) {
		t.Errorf("no web.cookie-flags failure for the cookie %q: %v", hostileCookie, webOutcomes(&rep, "web.cookie-flags", "127.0.30.81", 80))
	}
	for _, name := range []string{"report.json", "report.html", "report.md", "report.sarif"} {
		if bytes.IndexByte(read(name), 0x1b) >= 0 {
			t.Errorf("%s holds a raw ESC byte", name)
		}
	}

	html := string(read("report.html"))
	for _, bad := range []string{"<script>alert(", "<img src=x"} {
		if strings.Contains(html, bad) {
			t.Errorf("report.html: the server's markup %q is live in the page", bad)
		}
	}
	if !strings.Contains(html, "&lt;script&gt;alert(") {
		t.Errorf("report.html: the Server header is not shown escaped")
	}

	checkMarkdownContained(t, string(read("report.md")))

	var sarif map[string]any
	if err := json.Unmarshal(read("report.sarif"), &sarif); err != nil {
		t.Errorf("report.sarif: %v", err)
	}

	checkWorkbookDefused(t, filepath.Join(out, "answers.xlsx"))

	if code, _, errs := ecscan(t, "evidence", "verify", pack); code != 0 {
		t.Errorf("evidence verify: exit %d: %s", code, errs)
	}

	checkInBrowser(t, filepath.Join(out, "report.html"))
}

// checkInBrowser opens a lab scan's report.html in headless chromium: the rendered DOM has
// the summary and a chapter, none of the server's markup became elements, the console is
// clean, and a screenshot is kept beside the report (its path is logged).
func checkInBrowser(t *testing.T, page string) {
	t.Helper()
	if _, err := os.Stat(browsertest.Path); err != nil {
		t.Fatalf("%s is missing (lab/install installs it): %v", browsertest.Path, err)
	}
	run := func(args ...string) (string, string) { return browsertest.Run(t, page, args...) }
	dom, log := run("--dump-dom")
	for _, want := range []string{`<section id="summary">`, `<h2>Summary</h2>`, `class="chapter-title"`, `<section id="evidence">`} {
		if !strings.Contains(dom, want) {
			t.Errorf("rendered report.html lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", "<img"} {
		if strings.Contains(dom, bad) {
			t.Errorf("rendered report.html holds %q: the server's markup became an element", bad)
		}
	}
	for _, line := range browsertest.ConsoleErrors(log) {
		t.Errorf("chromium console: %s", line)
	}
	shot := filepath.Join(filepath.Dir(page), "report.png")
	run("--screenshot="+shot, "--window-size=1280,2000", "--hide-scrollbars")
	if st, err := os.Stat(shot); err != nil || st.Size() == 0 {
		t.Errorf("no screenshot of report.html: %v", err)
	}
	t.Logf("screenshot of the lab scan's report: %s", shot)
}

// checkMarkdownContained: outside code fences, the server's markup never appears raw and
// every table row has as many cell separators as its table's header.
func checkMarkdownContained(t *testing.T, md string) {
	t.Helper()
	fence, header := "", -1
	for i, line := range strings.Split(md, "\n") {
		trim := strings.TrimSpace(line)
		if fence == "" && strings.HasPrefix(trim, "```") {
			fence = trim[:strings.LastIndex(trim, "`")+1]
			continue
		}
		if fence != "" {
			if strings.HasPrefix(trim, fence) && strings.Trim(trim, "`") == "" {
				fence = ""
			}
			continue
		}
		if strings.Contains(line, "<script>") || strings.Contains(line, "<img src=x") {
			t.Errorf("report.md line %d: raw markup outside a code block: %q", i+1, line)
		}
		if !strings.HasPrefix(line, "|") {
			header = -1
			continue
		}
		n := strings.Count(line, "|") - strings.Count(line, `\|`)
		if header < 0 {
			header = n
		} else if n != header {
			t.Errorf("report.md line %d: %d cell separators, the table's header has %d: %q", i+1, n, header, line)
		}
	}
}

// checkWorkbookDefused: no cell of answers.xlsx is a formula, and the cookie named like one
// is written as text.
func checkWorkbookDefused(t *testing.T, path string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("answers.xlsx: %v", err)
	}
	defer f.Close()
	found := false
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if formula, _ := f.GetCellFormula(sheet, cell); formula != "" {
					t.Errorf("answers.xlsx %s!%s is a formula: %q", sheet, cell, formula)
				}
				switch v {
				case "'" + hostileCookie:
					found = true
				case hostileCookie:
					t.Errorf("answers.xlsx %s!%s = %q: a formula-like value not defused", sheet, cell, v)
				}
			}
		}
	}
	if !found {
		t.Errorf("answers.xlsx: the cookie %q is in no cell of its own", hostileCookie)
	}
}
