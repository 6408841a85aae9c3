package report

import (
	"fmt"
	"io"
	"strings"

	"ecscan/mapping"
)

// tr picks the Japanese or English form of a fixed label.
func tr(lang, ja, en string) string {
	if lang == "en" {
		return en
	}
	return ja
}

// KindLabel names a question kind in lang.
func KindLabel(k mapping.Kind, lang string) string {
	switch k {
	case mapping.Technical:
		return tr(lang, "技術", "technical")
	case mapping.Partial:
		return tr(lang, "一部", "partial")
	case mapping.Management:
		return tr(lang, "管理", "management")
	}
	return Terminal(string(k))
}

// BlockTypeLabel names a block type in lang.
func BlockTypeLabel(t mapping.BlockType, lang string) string {
	switch t {
	case mapping.Single:
		return tr(lang, "単一回答", "single choice")
	case mapping.Multiple:
		return tr(lang, "複数回答", "multiple choice")
	case mapping.Rating:
		return tr(lang, "項目ごとに評価", "rate each item")
	case mapping.FreeText:
		return tr(lang, "自由記述", "free text")
	}
	return Terminal(string(t))
}

// WriteQuestionTable writes one row per question: ID, kind, probes and heading. When cols is
// positive, rows are cut to that many terminal columns.
func WriteQuestionTable(w io.Writer, qs []*mapping.Question, lang string, cols int) error {
	head := []string{"ID", tr(lang, "区分", "kind"), tr(lang, "プローブ", "probes"), tr(lang, "設問", "question")}
	rows := [][]string{head}
	for _, q := range qs {
		rows = append(rows, []string{
			q.ID, KindLabel(q.Kind, lang), strings.Join(q.Probes, ","), Terminal(q.Heading.In(lang)),
		})
	}
	widths := make([]int, len(head)-1)
	for _, r := range rows {
		for i := range widths {
			widths[i] = max(widths[i], Width(r[i]))
		}
	}
	var b strings.Builder
	chapter := 0
	for i, r := range rows {
		if i > 0 && qs[i-1].Chapter.Number != chapter {
			chapter = qs[i-1].Chapter.Number
			fmt.Fprintf(&b, "\n%s\n", Terminal(chapterTitle(qs[i-1].Chapter, lang)))
		}
		var line strings.Builder
		for j, cell := range r[:len(r)-1] {
			line.WriteString(Pad(cell, widths[j]+2))
		}
		line.WriteString(r[len(r)-1])
		s := line.String()
		if cols > 0 {
			s = Truncate(s, cols)
		}
		b.WriteString(strings.TrimRight(s, " "))
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "\n%s\n", questionCount(qs, lang))
	_, err := io.WriteString(w, b.String())
	return err
}

func questionCount(qs []*mapping.Question, lang string) string {
	n := map[mapping.Kind]int{}
	for _, q := range qs {
		n[q.Kind]++
	}
	if lang == "en" {
		return fmt.Sprintf("%d questions: %d technical, %d partial, %d management", len(qs), n[mapping.Technical], n[mapping.Partial], n[mapping.Management])
	}
	return fmt.Sprintf("%d 問（技術 %d、一部 %d、管理 %d）", len(qs), n[mapping.Technical], n[mapping.Partial], n[mapping.Management])
}

func chapterTitle(ch *mapping.Chapter, lang string) string {
	return fmt.Sprintf(tr(lang, "第%d章 %s", "Chapter %d  %s"), ch.Number, ch.Title.In(lang))
}

func sectionTitle(s *mapping.Section, lang string) string {
	return fmt.Sprintf(tr(lang, "（%d）%s", "(%d) %s"), s.Number, s.Title.In(lang))
}

// ConditionText says in lang when a question or block is asked: the seed's wording, then the
// condition as data.
func ConditionText(c *mapping.Condition, lang string) string {
	var terms []string
	join := tr(lang, " かつ ", " and ")
	list := c.All
	if len(c.Any) > 0 {
		join, list = tr(lang, " または ", " or "), c.Any
	}
	for _, t := range list {
		if len(t.AnyOf) > 0 {
			terms = append(terms, fmt.Sprintf(tr(lang, "%s/%s が %s のいずれか", "%s/%s is one of %s"), t.Question, t.Block, strings.Join(t.AnyOf, ",")))
		} else {
			terms = append(terms, fmt.Sprintf(tr(lang, "%s/%s が %s のいずれでもない", "%s/%s is none of %s"), t.Question, t.Block, strings.Join(t.NoneOf, ",")))
		}
	}
	return fmt.Sprintf("%s [%s]", c.Text.In(lang), strings.Join(terms, join))
}

// WriteQuestionDetail writes one question in full for a terminal: where it sits, its text,
// conditions, control points, blocks with their choices, the catalog's notes, and the answer
// rules that fill it from a scan (rules may be nil).
func WriteQuestionDetail(w io.Writer, q *mapping.Question, rules *mapping.QuestionRule, lang string) error {
	var b strings.Builder
	t := Terminal
	fmt.Fprintf(&b, "%s  %s\n", q.ID, t(q.Heading.In(lang)))
	fmt.Fprintf(&b, "%s %s %s\n", t(chapterTitle(q.Chapter, lang)), tr(lang, "＞", ">"), t(sectionTitle(q.Section, lang)))
	kind := KindLabel(q.Kind, lang)
	if len(q.Probes) > 0 {
		kind += " (" + strings.Join(q.Probes, ", ") + ")"
	}
	fmt.Fprintf(&b, "%s: %s\n", tr(lang, "区分", "Kind"), kind)
	if txt := q.Text.In(lang); txt != "" {
		fmt.Fprintf(&b, "\n%s\n", t(txt))
	}
	if q.Condition != nil {
		fmt.Fprintf(&b, "\n%s: %s\n", tr(lang, "回答条件", "Asked when"), t(ConditionText(q.Condition, lang)))
	}
	if len(q.ControlPoints) > 0 {
		fmt.Fprintf(&b, "\n%s:\n", tr(lang, "チェック項目", "Control points"))
		for _, cp := range q.ControlPoints {
			ref := ""
			if cp.Reference {
				ref = tr(lang, "（参考）", " (reference)")
			}
			fmt.Fprintf(&b, "  - [%s] %s%s\n", cp.ID, t(cp.Text().In(lang)), ref)
		}
	}
	for _, bl := range q.Blocks {
		fmt.Fprintf(&b, "\n%s  (%s, id: %s)\n", t(bl.Label.In(lang)), BlockTypeLabel(bl.Type, lang), bl.ID)
		if bl.Condition != nil {
			fmt.Fprintf(&b, "  %s: %s\n", tr(lang, "回答条件", "Asked when"), t(ConditionText(bl.Condition, lang)))
		}
		if len(bl.Scale) > 0 {
			var steps []string
			for _, s := range bl.Scale {
				steps = append(steps, fmt.Sprintf("%s=%s", s.Key, t(mapping.Text{JA: s.JA, EN: s.EN}.In(lang))))
			}
			fmt.Fprintf(&b, "  %s: %s\n", tr(lang, "評価段階", "Scale"), strings.Join(steps, ", "))
		}
		for _, c := range bl.Choices {
			fmt.Fprintf(&b, "  (%s) %s%s\n", c.Key, t(c.Text().In(lang)), choiceMarks(c, lang))
		}
	}
	if len(q.Notes) > 0 {
		fmt.Fprintf(&b, "\n%s:\n", tr(lang, "カタログ注記", "Catalog notes"))
		for _, n := range q.Notes {
			fmt.Fprintf(&b, "  - %s\n", t(n))
		}
	}
	writeRules(&b, rules, lang)
	_, err := io.WriteString(w, b.String())
	return err
}

func choiceMarks(c mapping.Choice, lang string) string {
	var m string
	if c.FreeText {
		m += tr(lang, " ［記述］", " [free text]")
	}
	if c.SkipTo != "" {
		m += fmt.Sprintf(tr(lang, " （→ %s へ）", " (→ skip to %s)"), c.SkipTo)
	}
	return m
}
