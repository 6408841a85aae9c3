package report

import (
	"fmt"
	"hash/fnv"
	"io"
	"regexp"
	"strings"

	"ecscan/mapping"
)

// mdEscaper backslash-escapes the characters that are markup anywhere inline (emphasis,
// code, links, tables, strikethrough, autolinks) and turns HTML's angle brackets and
// ampersands into entities so that no tag or entity survives.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`, `|`, `\|`, `~`, `\~`,
	`<`, "&lt;", `>`, "&gt;", `&`, "&amp;",
)

// blockStart matches what would open a block (heading, list, quote, rule, setext line,
// numbered list) at the start of a line.
var (
	blockStart  = regexp.MustCompile(`^(\s*)([#+\-=])`)
	numberStart = regexp.MustCompile(`^(\s*\d+)([.)])`)
)

// Markdown returns s as inline Markdown text that renders as s itself: markup characters are
// escaped, line breaks become spaces, control characters become visible escapes, and a
// leading character that would open a block is escaped. It is safe in table cells.
func Markdown(s string) string {
	s = mdEscaper.Replace(Terminal(strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ").Replace(s)))
	s = blockStart.ReplaceAllString(s, `$1\$2`)
	return numberStart.ReplaceAllString(s, `$1\$2`)
}

// WriteQuestionnaireMarkdown writes the questions as a Markdown document, chapter by chapter,
// with every block, choice, condition and control point.
func WriteQuestionnaireMarkdown(w io.Writer, qs []*mapping.Question, lang string) error {
	var b strings.Builder
	var ch *mapping.Chapter
	var sec *mapping.Section
	for _, q := range qs {
		if q.Chapter != ch {
			ch, sec = q.Chapter, nil
			fmt.Fprintf(&b, "## %s\n\n", Markdown(chapterTitle(ch, lang)))
		}
		if q.Section != sec {
			sec = q.Section
			fmt.Fprintf(&b, "### %s\n\n", Markdown(sectionTitle(sec, lang)))
		}
		writeQuestionMarkdown(&b, q, lang)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeQuestionMarkdown(b *strings.Builder, q *mapping.Question, lang string) {
	fmt.Fprintf(b, "#### %s %s\n\n", q.ID, Markdown(q.Heading.In(lang)))
	kind := KindLabel(q.Kind, lang)
	if len(q.Probes) > 0 {
		kind += " (" + strings.Join(q.Probes, ", ") + ")"
	}
	fmt.Fprintf(b, "*%s: %s*\n\n", tr(lang, "区分", "Kind"), Markdown(kind))
	if txt := q.Text.In(lang); txt != "" {
		fmt.Fprintf(b, "%s\n\n", Markdown(txt))
	}
	if q.Condition != nil {
		fmt.Fprintf(b, "%s: %s\n\n", tr(lang, "回答条件", "Asked when"), Markdown(ConditionText(q.Condition, lang)))
	}
	if len(q.ControlPoints) > 0 {
		fmt.Fprintf(b, "%s:\n\n", tr(lang, "チェック項目", "Control points"))
		for _, cp := range q.ControlPoints {
			ref := ""
			if cp.Reference {
				ref = tr(lang, "（参考）", " (reference)")
			}
			fmt.Fprintf(b, "- `%s` %s%s\n", cp.ID, Markdown(cp.Text().In(lang)), ref)
		}
		b.WriteString("\n")
	}
	for _, bl := range q.Blocks {
		fmt.Fprintf(b, "**%s** (%s, `%s`)\n\n", Markdown(bl.Label.In(lang)), BlockTypeLabel(bl.Type, lang), bl.ID)
		if bl.Condition != nil {
			fmt.Fprintf(b, "%s: %s\n\n", tr(lang, "回答条件", "Asked when"), Markdown(ConditionText(bl.Condition, lang)))
		}
		if len(bl.Scale) > 0 {
			var steps []string
			for _, s := range bl.Scale {
				steps = append(steps, fmt.Sprintf("`%s` %s", s.Key, Markdown(mapping.Text{JA: s.JA, EN: s.EN}.In(lang))))
			}
			fmt.Fprintf(b, "%s: %s\n\n", tr(lang, "評価段階", "Scale"), strings.Join(steps, ", "))
		}
		for _, c := range bl.Choices {
			fmt.Fprintf(b, "- (%s) %s%s\n", c.Key, Markdown(c.Text().In(lang)), Markdown(choiceMarks(c, lang)))
		}
		if len(bl.Choices) > 0 {
			b.WriteString("\n")
		}
	}
	for _, n := range q.Notes {
		fmt.Fprintf(b, "> %s: %s\n\n", tr(lang, "注記", "Note"), Markdown(n))
	}
}

// Anchor turns an ID into an HTML id/fragment made only of [a-z0-9-]: letters and digits
// are kept (lower-cased), every other run of bytes becomes "-", and a short hash of the
// whole ID keeps different IDs apart.
func Anchor(id string) string {
	var b strings.Builder
	b.WriteString("ev-")
	dash := false
	for _, r := range strings.ToLower(id) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	h := fnv.New32a()
	h.Write([]byte(id))
	fmt.Fprintf(&b, "-%08x", h.Sum32())
	return b.String()
}

// Fence returns data as a fenced code block whose fence is longer than any run of
// backticks in data, with control characters made visible (line breaks kept).
func Fence(data string) string {
	lines := strings.Split(strings.ReplaceAll(data, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = Terminal(l)
	}
	body := strings.Join(lines, "\n")
	longest, run := 0, 0
	for _, r := range body {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", max(3, longest+1))
	return fence + "text\n" + strings.TrimRight(body, "\n") + "\n" + fence + "\n\n"
}
