package mapping

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// WriteAnswersTemplate writes an answers file for the operator to fill in: every question of
// the catalog with every block left empty, and the questions, choices and conditions as
// comments in lang ("ja" or "en"). ParseAnswers reads it back.
func WriteAnswersTemplate(w io.Writer, c *Catalog, lang string) error {
	var b strings.Builder
	t := func(ja, en string) string {
		if lang == "en" {
			return en
		}
		return ja
	}
	b.WriteString(t(`# ecscan 回答ファイル — ECOM「セキュリティ対策の実施状況についての質問」
#
# 各ブロックの ~ を回答に書き換えてください。ecscan scan --answers このファイル で
# スキャン結果と合わせて報告書に載ります。
#   単一回答:        evaluation: B
#   複数回答:        services: [A, C]
#   項目ごとに評価:  threats: {A: high, B: low}
#   自由記述:        remarks: "..."
#   ［記述］の選択肢、スキャン結果を上書きする回答（理由と期限を付けて）:
#     evaluation: {answer: B, justification: "...", expires: 2027-03-31}
#     other: {answer: F, text: "..."}
# 回答しないブロックは ~ のままにしてください。
`, `# ecscan answers file — the ECOM questionnaire "Status of security measures"
#
# Replace each block's ~ with your answer. ecscan scan --answers THIS-FILE merges it
# with the scan's answers in the report.
#   single choice:    evaluation: B
#   multiple choice:  services: [A, C]
#   rate each item:   threats: {A: high, B: low}
#   free text:        remarks: "..."
#   a [free text] choice, or an answer overriding the scan (with a reason and an expiry):
#     evaluation: {answer: B, justification: "...", expires: 2027-03-31}
#     other: {answer: F, text: "..."}
# Leave a block as ~ while it is not answered.
`))
	fmt.Fprintf(&b, "version: %d\nanswers:\n", AnswersVersion)
	var ch *Chapter
	var sec *Section
	for _, q := range c.Questions() {
		if q.Chapter != ch {
			ch = q.Chapter
			fmt.Fprintf(&b, "\n  # ==== %s\n", comment(fmt.Sprintf(t("第%d章 %s", "Chapter %d: %s"), ch.Number, ch.Title.In(lang))))
		}
		if q.Section != sec {
			sec = q.Section
			fmt.Fprintf(&b, "  # ---- %s\n", comment(fmt.Sprintf(t("（%d）%s", "(%d) %s"), sec.Number, sec.Title.In(lang))))
		}
		fmt.Fprintf(&b, "\n  # %s %s [%s]\n", q.ID, comment(q.Heading.In(lang)), q.Kind)
		if q.Condition != nil {
			fmt.Fprintf(&b, "  # %s: %s\n", t("回答条件", "asked when"), comment(q.Condition.Text.In(lang)))
		}
		fmt.Fprintf(&b, "  %s:\n", strconv.Quote(q.ID))
		for _, bl := range q.Blocks {
			writeBlockTemplate(&b, bl, lang, t)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeBlockTemplate(b *strings.Builder, bl *Block, lang string, t func(string, string) string) {
	kinds := map[BlockType]string{
		Single: t("単一回答", "single choice"), Multiple: t("複数回答", "multiple choice"),
		Rating: t("項目ごとに評価", "rate each item"), FreeText: t("自由記述", "free text"),
	}
	fmt.Fprintf(b, "    # %s (%s)\n", comment(bl.Label.In(lang)), kinds[bl.Type])
	if bl.Condition != nil {
		fmt.Fprintf(b, "    # %s: %s\n", t("回答条件", "asked when"), comment(bl.Condition.Text.In(lang)))
	}
	if len(bl.Scale) > 0 {
		var steps []string
		for _, s := range bl.Scale {
			steps = append(steps, s.Key+"="+comment(Text{JA: s.JA, EN: s.EN}.In(lang)))
		}
		fmt.Fprintf(b, "    #   %s: %s\n", t("評価段階", "scale"), strings.Join(steps, ", "))
	}
	for _, c := range bl.Choices {
		mark := ""
		if c.FreeText {
			mark = t(" ［記述］", " [free text]")
		}
		if c.SkipTo != "" {
			mark += fmt.Sprintf(t(" （→ %s へ）", " (→ skip to %s)"), c.SkipTo)
		}
		fmt.Fprintf(b, "    #   %s: %s%s\n", c.Key, comment(c.Text().In(lang)), mark)
	}
	fmt.Fprintf(b, "    %s: ~\n", bl.ID)
}

// comment makes s safe inside a one-line YAML comment.
func comment(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
