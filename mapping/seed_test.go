package mapping

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/width"
)

// seedPath finds the ECOM report the catalog was transcribed from: $ECSCAN_SEED, or
// shared/seeds/ beside the repository.
func seedPath() string {
	if p := os.Getenv("ECSCAN_SEED"); p != "" {
		return p
	}
	return filepath.Join("..", "..", "shared", "seeds", "000_f782360e59ff9fde.txt")
}

// fold removes every space and line break and folds full-width ASCII to half-width, so that
// the PDF's broken lines and spacing compare equal to the catalog's repaired text.
func fold(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsSpace(r) {
			continue
		}
		if p := width.LookupRune(r); p.Kind() == width.EastAsianFullwidth && p.Narrow() != 0 {
			r = p.Narrow()
		}
		b.WriteRune(r)
	}
	return b.String()
}

// appendixChapters splits the seed's appendix into its twelve chapters, folded.
func appendixChapters(t *testing.T) map[int]string {
	t.Helper()
	data, err := os.ReadFile(seedPath())
	if err != nil {
		t.Skipf("seed not available (%v): skipping the comparison with the seed only", err)
	}
	text := string(data)
	start := strings.Index(text, "セキュリティ対策に関するアンケート調査票")
	if start < 0 {
		t.Fatal("seed: appendix not found")
	}
	app := text[start:]
	out := map[int]string{}
	for n := 12; n >= 1; n-- {
		head := fmt.Sprintf("第%s章", fullWidthNumber(n))
		i := strings.LastIndex(app, head)
		if n == 6 {
			i = strings.LastIndex(app, "第 6章")
		}
		if i < 0 {
			t.Fatalf("seed: appendix chapter %d (%s) not found", n, head)
		}
		out[n] = fold(app[i:])
		app = app[:i]
	}
	return out
}

func fullWidthNumber(n int) string {
	var b strings.Builder
	for _, r := range fmt.Sprint(n) {
		b.WriteRune(r - '0' + '０')
	}
	return b.String()
}

// TestCatalogAgainstSeed checks every question's Japanese heading, block labels and choices
// (key and text, in order) against the seed's own text of that chapter. A question whose
// catalog notes record a repair may differ where the note says; every other must match.
func TestCatalogAgainstSeed(t *testing.T) {
	chapters := appendixChapters(t)
	c, err := DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	checked := map[int]int{}
	for _, q := range c.Questions() {
		seed := chapters[q.Chapter.Number]
		problems := seedProblems(q, seed)
		if len(problems) == 0 {
			checked[q.Chapter.Number]++
			continue
		}
		if len(q.Notes) == 0 {
			t.Errorf("%s differs from the seed and has no note recording a repair:\n  %s", q.ID, strings.Join(problems, "\n  "))
		}
	}
	for _, ch := range c.Chapters {
		if checked[ch.Number] < 2 {
			t.Errorf("chapter %d: only %d questions match the seed exactly, want at least 2", ch.Number, checked[ch.Number])
		}
	}
}

// seedProblems lists what of q cannot be found in its chapter's seed text.
func seedProblems(q *Question, seed string) []string {
	var out []string
	if !strings.Contains(seed, fold(q.Heading.JA)) {
		out = append(out, "heading: "+q.Heading.JA)
	}
	for _, b := range q.Blocks {
		if !strings.Contains(seed, fold(b.Label.JA)) {
			out = append(out, "block label: "+b.Label.JA)
		}
		for _, ch := range b.Choices {
			if !strings.Contains(seed, "("+ch.Key+")"+fold(ch.JA)) {
				out = append(out, fmt.Sprintf("block %s choice (%s) %s", b.ID, ch.Key, ch.JA))
			}
		}
	}
	for _, cp := range q.ControlPoints {
		if !strings.Contains(seed, fold(cp.JA)) {
			out = append(out, "control point: "+cp.JA)
		}
	}
	return out
}
