package mapping

import (
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// table11 is the report's table 1-1 (質問区分と質問数): questions per chapter.
var table11 = map[int]int{1: 21, 2: 12, 3: 10, 4: 10, 5: 11, 6: 12, 7: 6, 8: 15, 9: 24, 10: 21, 11: 17, 12: 14}

func TestEmbeddedCatalogCountsMatchTable11(t *testing.T) {
	c, err := DefaultCatalog()
	if err != nil {
		t.Fatalf("embedded catalog: %v", err)
	}
	if got, want := len(c.Chapters), 12; got != want {
		t.Fatalf("chapters: got %d, want %d", got, want)
	}
	for _, ch := range c.Chapters {
		n := 0
		for _, s := range ch.Sections {
			n += len(s.Questions)
		}
		if n != table11[ch.Number] {
			t.Errorf("chapter %d: got %d questions, table 1-1 says %d", ch.Number, n, table11[ch.Number])
		}
	}
	if got, want := len(c.Questions()), 173; got != want {
		t.Errorf("total: got %d questions, want %d", got, want)
	}
}

// TestTable11FromSeed reads table 1-1 from the seed itself and checks the figures the
// catalog is held to.
func TestTable11FromSeed(t *testing.T) {
	data, err := os.ReadFile(seedPath())
	if err != nil {
		t.Skipf("seed not available (%v)", err)
	}
	text := string(data)
	i := strings.Index(text, "質問区分 質問数 質問区分 質問数")
	if i < 0 {
		t.Fatal("seed: table 1-1 not found")
	}
	row := regexp.MustCompile(`^(\S+) (\d+) (\S+) (\d+)\s*$`)
	chapter := 1
	for _, line := range strings.Split(text[i:], "\n")[1:] {
		m := row.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		left, _ := strconv.Atoi(m[2])
		right, _ := strconv.Atoi(m[4])
		if left != table11[chapter] || right != table11[chapter+6] {
			t.Errorf("table 1-1 row %q: chapters %d and %d have %d and %d, the test expects %d and %d",
				line, chapter, chapter+6, left, right, table11[chapter], table11[chapter+6])
		}
		if chapter++; chapter > 6 {
			break
		}
	}
	if chapter != 7 {
		t.Fatalf("table 1-1: read %d rows, want 6", chapter-1)
	}
}

// TestScannableQuestions checks that the questions the scanner is built around are
// classified technical or partial, with the probes that answer them.
func TestScannableQuestions(t *testing.T) {
	c, err := DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"2-2-1": {"web"}, "2-2-2": {"ports"}, "3-3-1": {"history"}, "7-2-2": {"tls"},
		"9-2-2": {"ports"}, "9-2-3": {"web", "tls"}, "9-3-2": {"smtp", "mail"}, "9-4-2": {"ftp"},
		"9-8-3": {"tls"}, "10-4-1": {"ports"}, "9-5-1": {"ports"}, "9-6-1": {"ports"},
		"9-7-1": {"ports"}, "6-3-1": {"web"}, "5-3-1": {"web"}, "8-4-2": {"web"}, "2-1-3": {"ssh"},
	}
	for id, probes := range want {
		q := c.Question(id)
		if q == nil {
			t.Errorf("%s missing", id)
			continue
		}
		if q.Kind == Management {
			t.Errorf("%s is classified management", id)
		}
		for _, p := range probes {
			if !slices.Contains(q.Probes, p) {
				t.Errorf("%s: probes %v lack %s", id, q.Probes, p)
			}
		}
	}
}

// TestSeedBulletsAreControlPoints checks that every checklist bullet ("l …") the seed prints
// inside a section of the questionnaire is a control point of some question. The preface and
// the chapter introductions, which precede each chapter's section （１）, hold bullets that
// belong to no question.
func TestSeedBulletsAreControlPoints(t *testing.T) {
	data, err := os.ReadFile(seedPath())
	if err != nil {
		t.Skipf("seed not available (%v)", err)
	}
	c, err := DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, q := range c.Questions() {
		for _, cp := range q.ControlPoints {
			all.WriteString(fold(cp.JA))
			all.WriteString("|")
		}
	}
	points := all.String()
	text := string(data)
	app := text[strings.Index(text, "セキュリティ対策に関するアンケート調査票"):]
	chapterHead := regexp.MustCompile(`^\s*第\s*[0-9０-９]+\s*章`)
	inIntro, bullets := true, 0
	for _, line := range strings.Split(app, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case chapterHead.MatchString(line):
			inIntro = true
		case strings.HasPrefix(trimmed, "（１）"):
			inIntro = false
		case !inIntro && strings.HasPrefix(trimmed, "l "):
			bullets++
			head := []rune(fold(trimmed[2:]))
			head = head[:min(len(head), 12)]
			if !strings.Contains(points, string(head)) {
				t.Errorf("seed bullet %q is no question's control point", trimmed)
			}
		}
	}
	if bullets < 50 {
		t.Fatalf("found only %d bullets in the seed's sections; the seed was not read right", bullets)
	}
}
