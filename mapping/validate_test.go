package mapping

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func readMini(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("testdata/mini.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestMiniCatalogLoads(t *testing.T) {
	c, err := Parse(map[string][]byte{"mini.yaml": []byte(readMini(t))})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if got, want := len(c.Questions()), 3; got != want {
		t.Fatalf("questions: got %d, want %d", got, want)
	}
	q := c.Question("1-1-2")
	if q == nil || q.Chapter.Number != 1 || q.Section.Number != 1 {
		t.Fatalf("question 1-1-2 not indexed with its place: %+v", q)
	}
	if b := q.Block("reasons"); b == nil || b.Choice("B") == nil || !b.Choice("B").FreeText {
		t.Fatalf("block reasons or its free-text choice missing")
	}
}

// TestBrokenCatalogs checks that each kind of broken catalog is rejected with a message that
// names the file, the question and the problem.
func TestBrokenCatalogs(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		question string
		problem  string
	}{
		{"duplicate id", "id: 1-1-2\n        number: 2", "id: 1-1-1\n        number: 2", "1-1-1", "duplicate question id"},
		{"id out of place", "id: 1-2-1", "id: 1-2-7", "1-2-7", "where 1-2-1 was expected"},
		{"condition to missing question", "{question: 1-1-1, block: evaluation, any_of: [A]}", "{question: 1-9-1, block: evaluation, any_of: [A]}", "1-2-1", `question "1-9-1", which does not exist`},
		{"condition to missing block", "{question: 1-1-1, block: evaluation, any_of: [A]}", "{question: 1-1-1, block: nothing, any_of: [A]}", "1-2-1", `block "nothing" of question 1-1-1, which does not exist`},
		{"condition to missing choice", "{question: 1-1-1, block: evaluation, any_of: [A]}", "{question: 1-1-1, block: evaluation, any_of: [Q]}", "1-2-1", `choice "Q" of 1-1-1/evaluation, which does not exist`},
		{"condition to a later question", "{question: 1-1-1, block: evaluation, any_of: [A]}", "{question: 1-2-1, block: threats, any_of: [A]}", "1-2-1", "not an earlier block of the same question"},
		{"condition with both lists", "any_of: [B]}", "any_of: [B], none_of: [A]}", "1-1-2", "exactly one of any_of or none_of"},
		{"condition without wording", `text: {ja: "評価でBを回答した方のみ", en: "Only if B"}`, `text: {ja: "", en: "Only if B"}`, "1-1-2", "seed's wording"},
		{"block without choices", "type: text", "type: single", "1-2-1", "block remarks has no choices"},
		{"gap in keys", `{key: B, ja: "不十分"`, `{key: C, ja: "不十分"`, "1-1-2", `choice key "C" found where "B" was expected`},
		{"lower-case key", `{key: A, ja: "予算"`, `{key: a, ja: "予算"`, "1-1-2", `choice key "a" found where "A" was expected`},
		{"missing English", `{key: A, ja: "十分", en: "Enough"}`, `{key: A, ja: "十分", en: ""}`, "1-1-2", "choice A: English text missing"},
		{"unknown kind", "kind: technical", "kind: automatic", "1-1-2", `kind "automatic"`},
		{"unknown probe", "probes: [smtp]", "probes: [snmp]", "1-1-2", `probe "snmp"`},
		{"technical without probes", "probes: [smtp]", "probes: []", "1-1-2", "must name the probes"},
		{"skip backwards", `skip_to: "1-2"`, `skip_to: "1-1"`, "1-1-1", "does not lie after the question"},
		{"skip nowhere", `skip_to: "1-2"`, `skip_to: "1-5"`, "1-1-1", "names no chapter, section or question"},
		{"rating without scale", "              - {key: low, ja: \"小\", en: \"low\"}\n", "", "1-2-1", "scale of at least two steps"},
		{"duplicate block", "id: remarks", "id: threats", "1-2-1", `duplicate block id "threats"`},
		{"duplicate control point", "control_points:\n          - {id: relay", "control_points:\n          - {id: relay, ja: x, en: y}\n          - {id: relay", "1-1-2", `duplicate control point id "relay"`},
		{"text block with choices", "type: text", "type: text\n            choices: [{key: A, ja: x, en: y}]", "1-2-1", "free text but has choices"},
		{"no blocks", "        blocks:\n          - id: threats", "        blocks: []\n", "1-2-1", "no answer blocks"},
		{"unknown field", "kind: management\n        heading: {ja: \"脅威", "kind: management\n        kinds: x\n        heading: {ja: \"脅威", "", "field kinds not found"},
	}
	base := readMini(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(base, tc.old) {
				t.Fatalf("test setup: %q not in mini.yaml", tc.old)
			}
			broken := strings.Replace(base, tc.old, tc.new, 1)
			if tc.name == "no blocks" { // drop the rest of the file: 1-2-1 is the last question
				broken = base[:strings.Index(base, tc.old)] + tc.new
			}
			_, err := Parse(map[string][]byte{"broken.yaml": []byte(broken)})
			if err == nil {
				t.Fatalf("broken catalog accepted")
			}
			var ce CatalogErrors
			if !errors.As(err, &ce) {
				t.Fatalf("error %T is not CatalogErrors: %v", err, err)
			}
			found := false
			for _, e := range ce {
				if e.File == "broken.yaml" && e.Question == tc.question && strings.Contains(e.Problem, tc.problem) {
					found = true
				}
			}
			if !found {
				t.Fatalf("no problem naming broken.yaml, question %q and %q; got:\n%v", tc.question, tc.problem, listErrors(ce))
			}
			if msg := err.Error(); strings.Contains(msg, "\n") || !strings.HasPrefix(msg, "catalog broken.yaml") {
				t.Errorf("message is not one line naming the file: %q", msg)
			}
		})
	}
}

func listErrors(es CatalogErrors) string {
	var b strings.Builder
	for _, e := range es {
		b.WriteString("  " + e.Error() + "\n")
	}
	return b.String()
}

func TestMalformedYAML(t *testing.T) {
	for name, data := range map[string]string{
		"syntax":  "chapter: 1\ntitle: [unclosed\n",
		"empty":   "",
		"garbage": "\x00\x01\x02",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse(map[string][]byte{"bad.yaml": []byte(data)})
			var ce CatalogErrors
			if !errors.As(err, &ce) || ce[0].File != "bad.yaml" {
				t.Fatalf("got %v, want a CatalogErrors naming bad.yaml", err)
			}
		})
	}
}

func TestDuplicateChapterAcrossFiles(t *testing.T) {
	mini := []byte(readMini(t))
	_, err := Parse(map[string][]byte{"a.yaml": mini, "b.yaml": mini})
	if err == nil || !strings.Contains(err.Error(), "chapter 1 is also defined in a.yaml") {
		t.Fatalf("got %v, want the duplicate chapter named", err)
	}
}

func TestChoiceKey(t *testing.T) {
	for i, want := range map[int]string{0: "A", 1: "B", 25: "Z", 26: "AA", 27: "AB", 51: "AZ", 52: "BA"} {
		if got := ChoiceKey(i); got != want {
			t.Errorf("ChoiceKey(%d) = %q, want %q", i, got, want)
		}
	}
}
