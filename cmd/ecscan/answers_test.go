package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ecscan/mapping"
)

// TestAnswersCheckCompleteness checks the exit codes and output of `answers check` for
// management questions answered in part (errors) and not answered at all (a warning).
func TestAnswersCheckCompleteness(t *testing.T) {
	c, err := mapping.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	management := 0
	for _, q := range c.Questions() {
		if q.Kind == mapping.Management {
			management++
		}
	}
	dir := t.TempDir()
	tests := []struct {
		name    string
		body    string
		code    int
		stdout  string   // a substring, or "" for nothing
		stderr  []string // substrings, one per line, in order
		nOpen   int      // management questions expected open
		skipped []string // not open although not answered (skipped by the file's answers)
	}{
		{name: "partial", body: "  \"2-3-4\":\n    implementation: A\n  \"4-3-2\":\n    evaluation: C\n  \"9-7-1\":\n    placement: A\n  \"9-7-2\":\n    relative-position: A\n",
			code: exitUsage,
			stderr: []string{
				":3: question 2-3-4 is answered in part: block effect applies but is not answered",
				":5: question 4-3-2 is answered in part: blocks reasons, future-action apply but are not answered",
				"management questions still open (no block answered): 1-1-1, 1-1-2, 1-1-3, 1-1-4, 1-1-5, …",
				"partial.yaml: 2 problems",
			},
			nOpen: management - 3}, // 2-3-4, 4-3-2 answered in part; 9-7-2 skipped by 9-7-1 A
		{name: "complete", body: "  \"2-3-4\":\n    implementation: B\n    effect: A\n",
			code: exitOK, stdout: "complete.yaml: valid, 2 blocks answered",
			stderr: []string{"management questions still open"}, nOpen: management - 1},
		{name: "skip", body: "  \"8-1-1\":\n    authentication-performed: B\n",
			code: exitOK, stdout: "valid, 1 blocks answered", stderr: []string{"still open"}, skipped: []string{"8-4-1"}},
	}
	for _, tc := range tests {
		file := filepath.Join(dir, tc.name+".yaml")
		if err := os.WriteFile(file, []byte("version: 1\nanswers:\n"+tc.body), 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, errs := ecscan(t, "answers", "check", file)
		if code != tc.code {
			t.Errorf("%s: exit %d, want %d (stderr %q)", tc.name, code, tc.code, errs)
		}
		if (tc.stdout == "") != (out == "") || !strings.Contains(out, tc.stdout) {
			t.Errorf("%s: stdout %q, want %q", tc.name, out, tc.stdout)
		}
		lines := strings.Split(strings.TrimSuffix(errs, "\n"), "\n")
		if len(lines) != len(tc.stderr) {
			t.Errorf("%s: stderr has %d lines, want %d:\n%s", tc.name, len(lines), len(tc.stderr), errs)
			continue
		}
		for i, want := range tc.stderr {
			if !strings.Contains(lines[i], want) {
				t.Errorf("%s: stderr line %d %q, want it to contain %q", tc.name, i+1, lines[i], want)
			}
		}
		ans, err := mapping.LoadAnswers(file, c)
		if err != nil {
			t.Fatal(err)
		}
		open := mapping.CheckCompleteness(ans, c).Open
		if want := fmt.Sprintf("warning: %d management questions", tc.nOpen); tc.nOpen > 0 && !strings.Contains(errs, want) {
			t.Errorf("%s: stderr %q lacks %q", tc.name, errs, want)
		}
		for _, q := range tc.skipped {
			for _, o := range open {
				if o == q {
					t.Errorf("%s: %s counted open although skipped", tc.name, q)
				}
			}
		}
		for _, line := range lines {
			if strings.Contains(line, "still open") && !strings.Contains(line, file+": warning: ") {
				t.Errorf("%s: warning line %q does not name the file", tc.name, line)
			}
		}
	}
}
