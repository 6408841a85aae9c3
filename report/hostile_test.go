package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestJSONHostileContentIsData checks that report.json carries server strings as JSON data:
// markup escaped as \u003c, control bytes as \u escapes, and the strings read back intact.
func TestJSONHostileContentIsData(t *testing.T) {
	r := hostileReport()
	var b bytes.Buffer
	if err := (JSONWriter{}).Write(&b, r, Options{}); err != nil {
		t.Fatal(err)
	}
	checkNoRawPayload(t, "json", b.String(), "<script", "<img", "\x1b", "\x00", "\x07", "\xff")
	var back Report
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.Hosts[1].Name != evilHost || back.Services[1].Banner != strings.ToValidUTF8(hostile, "\uFFFD\uFFFD") {
		t.Errorf("host %q, banner %q: the data changed on the way", back.Hosts[1].Name, back.Services[1].Banner)
	}
}

// TestMarkdownHostileContent checks report.md: no tag, no control byte, and no payload that
// adds a cell to a table.
func TestMarkdownHostileContent(t *testing.T) {
	var b bytes.Buffer
	if err := (MarkdownWriter{}).Write(&b, hostileReport(), Options{Lang: "ja", Catalog: testCatalog(t)}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	checkNoRawPayload(t, "md", out, "\x1b", "\x00", "\x07", "\r", "\xff")
	prose := outsideFences(t, out)
	checkNoRawPayload(t, "md (outside code blocks)", prose, "<script", "<img")
	if !strings.Contains(out, "<script>alert(1)</script>") {
		t.Errorf("the evidence lost its data: no code block shows the payload as text")
	}
	cells := -1
	for i, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "|") {
			cells = -1
			continue
		}
		n := strings.Count(line, "|") - strings.Count(line, `\|`)
		if cells >= 0 && n != cells {
			t.Errorf("line %d has %d cell separators, its table %d: %q", i+1, n, cells, line)
		}
		if cells < 0 {
			cells = n
		}
	}
}

// outsideFences returns the Markdown text outside fenced code blocks (CommonMark: a fence
// closes on a line of at least as many backticks), failing when a block is left open — as
// a payload with backticks would leave it.
func outsideFences(t *testing.T, md string) string {
	t.Helper()
	var out strings.Builder
	fence := 0
	for _, line := range strings.Split(md, "\n") {
		ticks := len(line) - len(strings.TrimLeft(line, "`"))
		switch {
		case fence == 0 && ticks >= 3:
			fence = ticks
		case fence > 0 && ticks >= fence && strings.TrimSpace(line[ticks:]) == "":
			fence = 0
		case fence == 0:
			out.WriteString(line + "\n")
		}
	}
	if fence > 0 {
		t.Errorf("a code block of %d backticks is never closed", fence)
	}
	return out.String()
}
