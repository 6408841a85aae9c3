package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ecscan/mapping"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// ecscan runs the command line in-process and returns its exit code and output.
func ecscan(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/ecscan -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test ./cmd/ecscan -update rewrites it after review):\n%s", path, firstDiff(got, string(want)))
	}
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n got: %s\nwant: %s", i+1, gl, wl)
		}
	}
	return ""
}

func TestQuestionnaireGolden9_3_2JSON(t *testing.T) {
	code, out, errs := ecscan(t, "questionnaire", "--id", "9-3-2", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	golden(t, "questionnaire-9-3-2.json", out)
}

func TestQuestionnaireFormats(t *testing.T) {
	for _, args := range [][]string{
		{"questionnaire"},
		{"questionnaire", "--lang", "en", "--kind", "technical"},
		{"questionnaire", "--format", "markdown", "--chapter", "9"},
		{"questionnaire", "--format", "yaml", "--kind", "partial"},
		{"questionnaire", "--id", "9-3-2"},
		{"questionnaire", "--id", "9-3-2", "--lang", "en", "--format", "markdown"},
	} {
		code, out, errs := ecscan(t, args...)
		if code != 0 || out == "" {
			t.Errorf("%v: exit %d, %d bytes out, stderr %q", args, code, len(out), errs)
		}
	}
}

func TestQuestionnaireTableCountsKinds(t *testing.T) {
	c, err := mapping.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	_, out, _ := ecscan(t, "questionnaire", "--lang", "en")
	for _, q := range c.Questions() {
		if !strings.Contains(out, "\n"+q.ID+" ") {
			t.Errorf("table lacks a row for %s", q.ID)
		}
	}
	if !strings.Contains(out, "173 questions") {
		t.Errorf("table does not end with the count of 173 questions:\n%s", out[max(0, len(out)-200):])
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	broken := filepath.Join(t.TempDir(), "broken.yaml")
	os.WriteFile(broken, []byte("chapter: 1\ntitle: {ja: x, en: y}\nsections:\n  - number: 1\n    title: {ja: x, en: y}\n    questions:\n      - id: 1-1-1\n        number: 1\n        kind: management\n        heading: {ja: x, en: y}\n        blocks: []\n"), 0o644)
	tests := []struct {
		args []string
		msg  string
	}{
		{[]string{"questionnaire", "--format", "pdf"}, `--format "pdf"`},
		{[]string{"questionnaire", "--lang", "fr"}, `--lang "fr"`},
		{[]string{"questionnaire", "--kind", "social"}, `--kind "social"`},
		{[]string{"questionnaire", "--id", "99-1-1"}, "no such question"},
		{[]string{"questionnaire", "--no-such-flag"}, "unknown flag"},
		{[]string{"no-such-command"}, "unknown command"},
		{[]string{"questionnaire", "--catalog", broken}, "catalog " + broken + ":7: question 1-1-1: no answer blocks"},
		{[]string{"questionnaire", "--catalog", filepath.Join(t.TempDir(), "missing.yaml")}, "missing.yaml"},
	}
	for _, tc := range tests {
		code, out, errs := ecscan(t, tc.args...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want %d", tc.args, code, exitUsage)
		}
		if strings.Count(errs, "\n") != 1 || !strings.Contains(errs, tc.msg) {
			t.Errorf("%v: stderr %q, want one line containing %q", tc.args, errs, tc.msg)
		}
		if out != "" {
			t.Errorf("%v: wrote to stdout on error: %q", tc.args, out)
		}
	}
}

// TestAnswersInitRoundTrip checks that the answers file written by `answers init` parses back
// and names every block of every question, in both languages.
func TestAnswersInitRoundTrip(t *testing.T) {
	c, err := mapping.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"ja", "en"} {
		path := filepath.Join(t.TempDir(), "answers.yaml")
		if code, _, errs := ecscan(t, "answers", "init", "--lang", lang, "-o", path); code != 0 {
			t.Fatalf("answers init --lang %s: exit %d: %s", lang, code, errs)
		}
		ans, err := mapping.LoadAnswers(path, c)
		if err != nil {
			t.Fatalf("answers init --lang %s output does not parse back: %v", lang, err)
		}
		for _, q := range c.Questions() {
			blocks, ok := ans.Question[q.ID]
			if !ok {
				t.Errorf("%s: question %s missing", lang, q.ID)
				continue
			}
			for _, b := range q.Blocks {
				if a, ok := blocks[b.ID]; !ok || !a.Empty() {
					t.Errorf("%s: %s/%s missing or not empty", lang, q.ID, b.ID)
				}
			}
		}
		if code, _, _ := ecscan(t, "answers", "init", "-o", path); code != exitUsage {
			t.Errorf("answers init over an existing file: exit %d, want %d", code, exitUsage)
		}
	}
}

func TestAnswersCheck(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	os.WriteFile(good, []byte("version: 1\nanswers:\n  \"9-3-2\":\n    evaluation: B\n"), 0o644)
	if code, out, errs := ecscan(t, "answers", "check", good); code != 0 || !strings.Contains(out, "1 blocks answered") {
		t.Errorf("check good file: exit %d, out %q, err %q", code, out, errs)
	}
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("version: 1\nanswers:\n  \"9-3-2\":\n    evaluation: [A, B]\n  \"99-9-9\":\n    evaluation: A\n  \"9-3-1\":\n    nothing: A\n"), 0o644)
	code, _, errs := ecscan(t, "answers", "check", bad)
	if code != exitUsage {
		t.Errorf("check bad file: exit %d, want %d", code, exitUsage)
	}
	for _, want := range []string{
		bad + ":4: 9-3-2/evaluation is a single-choice block but has 2 answers",
		bad + `:5: unknown question "99-9-9"`,
		bad + `:8: question 9-3-1 has no block "nothing"`,
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
}

// TestScanConfigErrors checks that bad configuration — from the file, the environment or the
// flags — stops the scan with one line and exit code 2 before any probe or report.
func TestScanConfigErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o644)
		return p
	}
	unknown := write("unknown.yaml", "targets: [shop.example]\nport: 80\n")
	badPorts := write("ports.yaml", "targets: [shop.example]\nports: \"1-99999\"\n")
	badAllowed := write("allowed.yaml", "targets: [shop.example]\nallowed-services:\n  www.shop.example: [http]\n")
	tests := []struct {
		env  []string
		args []string
		msg  string
	}{
		{nil, []string{"--config", unknown}, `unknown key "port"`},
		{nil, []string{"--config", badPorts}, "--ports"},
		{nil, []string{"--config", badAllowed}, "is not a port"},
		{nil, []string{"--config", filepath.Join(dir, "missing.yaml")}, "missing.yaml"},
		{[]string{"ECSCAN_PORTS=80-70"}, []string{"shop.example"}, "--ports"},
		{[]string{"ECSCAN_FAIL_ON=severe"}, []string{"shop.example"}, "--fail-on"},
		{nil, []string{"--resolver", "not-an-address", "shop.example"}, "--resolver"},
		{nil, []string{"--ports", "80", "--all-ports", "shop.example"}, "only one of"},
		{nil, []string{"--lang", "de", "shop.example"}, "--lang"},
		{nil, []string{"--format", "pdf", "shop.example"}, "--format"},
		{nil, []string{"--answers", filepath.Join(dir, "none.yaml"), "shop.example"}, "none.yaml"},
		{nil, nil, "no targets"},
	}
	for _, tc := range tests {
		for _, e := range tc.env {
			k, v, _ := strings.Cut(e, "=")
			t.Setenv(k, v)
		}
		out := filepath.Join(dir, "report-out")
		args := append([]string{"scan", "--out", out, "--progress", "never"}, tc.args...)
		code, _, errs := ecscan(t, args...)
		if code != exitUsage || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, tc.msg) {
			t.Errorf("%v %v: exit %d, stderr %q; want 2 and one line with %q", tc.env, tc.args, code, errs, tc.msg)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%v: a report directory was created", tc.args)
		}
		for _, e := range tc.env {
			k, _, _ := strings.Cut(e, "=")
			os.Unsetenv(k)
		}
	}
}
