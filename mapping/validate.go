package mapping

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

var (
	questionIDPattern = regexp.MustCompile(`^[1-9][0-9]*-[1-9][0-9]*-[1-9][0-9]*$`)
	slugPattern       = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	skipPattern       = regexp.MustCompile(`^[1-9][0-9]*(-[1-9][0-9]*){0,2}$`)
)

// validator collects the problems of one catalog.
type validator struct {
	c    *Catalog
	errs CatalogErrors
	pos  map[string]int // question ID → position in questionnaire order
}

func (v *validator) add(ch *Chapter, q *Question, format string, args ...any) {
	e := &CatalogError{Problem: fmt.Sprintf(format, args...)}
	if ch != nil {
		e.File = ch.File
	}
	if q != nil {
		e.Question, e.Line = q.ID, q.Line
	}
	v.errs = append(v.errs, e)
}

// validate checks the catalog's structure and builds its index. It returns every problem.
func validate(c *Catalog) CatalogErrors {
	v := &validator{c: c, pos: map[string]int{}}
	c.byID = map[string]*Question{}
	c.order = nil
	seenChapter := map[int]string{}
	for _, ch := range c.Chapters {
		if prev, dup := seenChapter[ch.Number]; dup {
			v.add(ch, nil, "chapter %d is also defined in %s", ch.Number, prev)
			continue
		}
		seenChapter[ch.Number] = ch.File
		v.chapter(ch)
	}
	for _, q := range c.order {
		v.question(q)
	}
	return v.errs
}

// chapter checks numbering and indexes the chapter's questions.
func (v *validator) chapter(ch *Chapter) {
	if ch.Number < 1 {
		v.add(ch, nil, "chapter number missing or not positive")
	}
	v.text(ch, nil, "chapter title", ch.Title)
	if len(ch.Sections) == 0 {
		v.add(ch, nil, "chapter %d has no sections", ch.Number)
	}
	for i, s := range ch.Sections {
		if s == nil {
			v.add(ch, nil, "chapter %d: empty section entry", ch.Number)
			continue
		}
		if s.Number != i+1 {
			v.add(ch, nil, "chapter %d: section %d found where section %d was expected", ch.Number, s.Number, i+1)
		}
		v.text(ch, nil, fmt.Sprintf("section %d-%d title", ch.Number, s.Number), s.Title)
		if len(s.Questions) == 0 {
			v.add(ch, nil, "section %d-%d has no questions", ch.Number, s.Number)
		}
		for j, q := range s.Questions {
			if q == nil {
				v.add(ch, nil, "section %d-%d: empty question entry", ch.Number, s.Number)
				continue
			}
			q.Chapter, q.Section = ch, s
			want := fmt.Sprintf("%d-%d-%d", ch.Number, s.Number, j+1)
			if q.ID != want || q.Number != j+1 {
				v.add(ch, q, "id %q with number %d found where %s was expected", q.ID, q.Number, want)
			}
			if _, dup := v.c.byID[q.ID]; dup {
				v.add(ch, q, "duplicate question id")
				continue
			}
			v.pos[q.ID] = len(v.c.order)
			v.c.byID[q.ID] = q
			v.c.order = append(v.c.order, q)
		}
	}
}

func (v *validator) text(ch *Chapter, q *Question, what string, t Text) {
	if strings.TrimSpace(t.JA) == "" {
		v.add(ch, q, "%s: Japanese text missing", what)
	}
	if strings.TrimSpace(t.EN) == "" {
		v.add(ch, q, "%s: English text missing", what)
	}
}

// question checks one question's kind, texts, control points, blocks and conditions.
func (v *validator) question(q *Question) {
	ch := q.Chapter
	if !slices.Contains(Kinds, q.Kind) {
		v.add(ch, q, "kind %q is not one of technical, partial, management", q.Kind)
	}
	for _, p := range q.Probes {
		if !slices.Contains(Probes, p) {
			v.add(ch, q, "probe %q is not one of %s", p, strings.Join(Probes, ", "))
		}
	}
	switch {
	case q.Kind == Management && len(q.Probes) > 0:
		v.add(ch, q, "a management question names no probes")
	case (q.Kind == Technical || q.Kind == Partial) && len(q.Probes) == 0:
		v.add(ch, q, "a %s question must name the probes that bear on it", q.Kind)
	}
	v.text(ch, q, "heading", q.Heading)
	if q.Text.JA != "" || q.Text.EN != "" {
		v.text(ch, q, "text", q.Text)
	}
	seen := map[string]bool{}
	for i, cp := range q.ControlPoints {
		if !slugPattern.MatchString(cp.ID) {
			v.add(ch, q, "control point %d: id %q is not a lower-case slug", i+1, cp.ID)
		} else if seen[cp.ID] {
			v.add(ch, q, "duplicate control point id %q", cp.ID)
		}
		seen[cp.ID] = true
		v.text(ch, q, "control point "+cp.ID, cp.Text())
	}
	if q.Condition != nil {
		v.condition(q, "", q.Condition)
	}
	if len(q.Blocks) == 0 {
		v.add(ch, q, "no answer blocks")
	}
	seen = map[string]bool{}
	for _, b := range q.Blocks {
		if b == nil {
			v.add(ch, q, "empty block entry")
			continue
		}
		if !slugPattern.MatchString(b.ID) {
			v.add(ch, q, "block id %q is not a lower-case slug", b.ID)
		} else if seen[b.ID] {
			v.add(ch, q, "duplicate block id %q", b.ID)
		}
		seen[b.ID] = true
		v.block(q, b)
	}
}

// block checks a block's type, scale, choice keys and skips.
func (v *validator) block(q *Question, b *Block) {
	ch := q.Chapter
	where := "block " + b.ID
	v.text(ch, q, where+" label", b.Label)
	switch b.Type {
	case Single, Multiple, Rating:
		if len(b.Choices) == 0 {
			v.add(ch, q, "%s has no choices", where)
		}
	case FreeText:
		if len(b.Choices) > 0 {
			v.add(ch, q, "%s is free text but has choices", where)
		}
	default:
		v.add(ch, q, "%s: type %q is not one of single, multiple, rating, text", where, b.Type)
	}
	if b.Type == Rating {
		if len(b.Scale) < 2 {
			v.add(ch, q, "%s: a rating block needs a scale of at least two steps", where)
		}
		steps := map[string]bool{}
		for _, s := range b.Scale {
			if !slugPattern.MatchString(s.Key) || steps[s.Key] {
				v.add(ch, q, "%s: scale key %q is empty, not a slug or repeated", where, s.Key)
			}
			steps[s.Key] = true
			v.text(ch, q, where+" scale "+s.Key, Text{JA: s.JA, EN: s.EN})
		}
	} else if len(b.Scale) > 0 {
		v.add(ch, q, "%s: only rating blocks have a scale", where)
	}
	for i, c := range b.Choices {
		if want := ChoiceKey(i); c.Key != want {
			v.add(ch, q, "%s: choice key %q found where %q was expected (keys run A, B, C … without gaps)", where, c.Key, want)
		}
		v.text(ch, q, fmt.Sprintf("%s choice %s", where, c.Key), c.Text())
		if c.SkipTo != "" {
			v.skip(q, where, c)
		}
	}
	if b.Condition != nil {
		v.condition(q, b.ID, b.Condition)
	}
}

// ChoiceKey returns the key of the i-th choice (0 → "A", 25 → "Z", 26 → "AA").
func ChoiceKey(i int) string {
	if i < 26 {
		return string(rune('A' + i))
	}
	return ChoiceKey(i/26-1) + ChoiceKey(i%26)
}

// skip checks that a choice's skip target exists and lies after its question.
func (v *validator) skip(q *Question, where string, c Choice) {
	if !skipPattern.MatchString(c.SkipTo) {
		v.add(q.Chapter, q, "%s choice %s: skip_to %q is not a chapter, section or question", where, c.Key, c.SkipTo)
		return
	}
	first := v.c.firstAt(c.SkipTo)
	if first < 0 && !v.c.isChapterAfterLast(c.SkipTo) {
		v.add(q.Chapter, q, "%s choice %s: skip_to %q names no chapter, section or question of the catalog", where, c.Key, c.SkipTo)
		return
	}
	if first >= 0 && first <= v.pos[q.ID] {
		v.add(q.Chapter, q, "%s choice %s: skip_to %q does not lie after the question", where, c.Key, c.SkipTo)
	}
}

// condition checks that every term names an earlier question (or an earlier block of the same
// question), an existing block and existing choice keys.
func (v *validator) condition(q *Question, blockID string, cond *Condition) {
	ch := q.Chapter
	where := "condition"
	if blockID != "" {
		where = "block " + blockID + " condition"
	}
	if strings.TrimSpace(cond.Text.JA) == "" {
		v.add(ch, q, "%s: the seed's wording (text.ja) is missing", where)
	}
	if (len(cond.All) == 0) == (len(cond.Any) == 0) {
		v.add(ch, q, "%s: give exactly one of all: or any:", where)
	}
	for _, t := range append(slices.Clone(cond.All), cond.Any...) {
		ref := v.c.byID[t.Question]
		if ref == nil {
			v.add(ch, q, "%s points at question %q, which does not exist", where, t.Question)
			continue
		}
		b := ref.Block(t.Block)
		if b == nil {
			v.add(ch, q, "%s points at block %q of question %s, which does not exist", where, t.Block, t.Question)
			continue
		}
		switch {
		case v.pos[ref.ID] > v.pos[q.ID]:
			v.add(ch, q, "%s points at question %s, which comes later", where, ref.ID)
		case ref == q && (blockID == "" || !blockBefore(q, b.ID, blockID)):
			v.add(ch, q, "%s points at block %q, which is not an earlier block of the same question", where, b.ID)
		}
		if (len(t.AnyOf) == 0) == (len(t.NoneOf) == 0) {
			v.add(ch, q, "%s on %s/%s: give exactly one of any_of or none_of", where, t.Question, t.Block)
		}
		for _, k := range append(slices.Clone(t.AnyOf), t.NoneOf...) {
			if b.Choice(k) == nil {
				v.add(ch, q, "%s points at choice %q of %s/%s, which does not exist", where, k, t.Question, t.Block)
			}
		}
	}
}

func blockBefore(q *Question, earlier, later string) bool {
	for _, b := range q.Blocks {
		switch b.ID {
		case earlier:
			return true
		case later:
			return false
		}
	}
	return false
}

// firstAt returns the position of the first question at a chapter, section or question
// reference ("8", "8-4", "8-4-1"), or -1.
func (c *Catalog) firstAt(ref string) int {
	for i, q := range c.order {
		if q.ID == ref || strings.HasPrefix(q.ID, ref+"-") {
			return i
		}
	}
	return -1
}

// isChapterAfterLast reports whether ref is the chapter right after the last one, the end of
// the questionnaire.
func (c *Catalog) isChapterAfterLast(ref string) bool {
	n, err := strconv.Atoi(ref)
	return err == nil && len(c.Chapters) > 0 && n == c.Chapters[len(c.Chapters)-1].Number+1
}
