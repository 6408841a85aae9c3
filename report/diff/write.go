package diff

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"ecscan/report"
)

// textWhat is the widest, in terminal columns, that a line's description may take.
const textWhat = 120

// WriteText writes the diff for a terminal or a cron mail: a header line, a warning for
// each interrupted run, then one line per change (or a line saying there is none). Every
// string is escaped with report.Terminal.
func (d *Diff) WriteText(w io.Writer, lang string) error {
	var b strings.Builder
	b.WriteString(report.Terminal(d.headline(lang)) + "\n")
	for _, warn := range d.warnings(lang) {
		b.WriteString(report.Terminal(warn) + "\n")
	}
	items := d.items(lang)
	if len(items) == 0 {
		b.WriteString(tr(lang, "変更なし\n", "no changes\n"))
	}
	kw, sw := 0, 0
	for i := range items {
		it := &items[i]
		it.kind, it.sev, it.where = report.Terminal(it.kind), report.Terminal(it.sev), report.Terminal(it.where)
		it.what = report.Truncate(report.Terminal(it.what), textWhat)
		kw, sw = max(kw, report.Width(it.kind)), max(sw, report.Width(it.sev))
	}
	for _, it := range items {
		line := report.Pad(it.kind, kw) + "  " + report.Pad(it.sev, sw) + "  " + it.where
		if it.what != "" {
			line += "  " + it.what
		}
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteMarkdown writes the diff as a Markdown section: a heading, the warnings, and a table
// of the changes. Every string is escaped with report.Markdown.
func (d *Diff) WriteMarkdown(w io.Writer, lang string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "## %s\n\n", report.Markdown(d.headline(lang)))
	for _, warn := range d.warnings(lang) {
		fmt.Fprintf(&b, "> %s\n\n", report.Markdown(warn))
	}
	items := d.items(lang)
	if len(items) == 0 {
		b.WriteString(tr(lang, "変更はありません。\n", "No changes.\n"))
	} else {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n| --- | --- | --- | --- |\n",
			tr(lang, "変化", "change"), tr(lang, "重大度", "severity"), tr(lang, "対象", "where"), tr(lang, "内容", "what"))
		for _, it := range items {
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", report.Markdown(it.kind), report.Markdown(it.sev),
				report.Markdown(it.where), report.Markdown(it.what))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON writes the diff as diff.json: the Diff structure, indented, with HTML-significant
// characters escaped.
func (d *Diff) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(d)
}

// headline names the two runs and counts the changes of findings.
func (d *Diff) headline(lang string) string {
	worse, better := 0, 0
	for _, c := range d.ChangedFindings {
		if c.Worse {
			worse++
		} else {
			better++
		}
	}
	return fmt.Sprintf(tr(lang, "ecscan 差分 %s → %s: 新規 %d、解消 %d、悪化 %d、改善 %d", "ecscan diff %s → %s: %d new, %d resolved, %d worse, %d better"),
		refText(d.Old, lang), refText(d.New, lang), len(d.NewFindings), len(d.ResolvedFindings), worse, better)
}

// refText names a run: its ID and start time, or says there was none.
func refText(r RunRef, lang string) string {
	var parts []string
	if r.ID != "" {
		parts = append(parts, r.ID)
	}
	if !r.Started.IsZero() {
		parts = append(parts, r.Started.UTC().Format(time.DateTime+" UTC"))
	}
	switch len(parts) {
	case 0:
		return tr(lang, "（前回なし）", "(none)")
	case 1:
		return parts[0]
	}
	return parts[0] + " (" + parts[1] + ")"
}

// warnings say when a side was interrupted: what it did not reach looks resolved or new.
func (d *Diff) warnings(lang string) []string {
	var out []string
	if d.Old.Interrupted {
		out = append(out, tr(lang, "注意: 前回の実行は中断されたため、前回未検査の項目が新規として表示されることがあります",
			"warning: the old run was interrupted: what it did not reach may show as new"))
	}
	if d.New.Interrupted {
		out = append(out, tr(lang, "注意: 今回の実行は中断されたため、未検査の項目が解消として表示されることがあります",
			"warning: the new run was interrupted: what it did not reach may show as resolved"))
	}
	return out
}
