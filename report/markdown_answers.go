package report

import (
	"fmt"
	"strings"

	"ecscan/mapping"
)

// sourceLabel names an answer's source in lang.
func sourceLabel(s mapping.Source, lang string) string {
	switch s {
	case mapping.FromScan:
		return tr(lang, "スキャン結果", "scan")
	case mapping.FromOperator:
		return tr(lang, "運営者の回答", "operator")
	case mapping.OperatorOverride:
		return tr(lang, "運営者の回答（スキャン結果を上書き）", "operator, overriding the scan")
	case mapping.NotApplicable:
		return tr(lang, "対象外", "not applicable")
	}
	return tr(lang, "運営者による回答待ち", "to be answered by the operator")
}

// questionnaire writes every question with its answers, chapter by chapter.
func (m *mdReport) questionnaire() {
	if m.cat == nil {
		return
	}
	m.printf("\n## %s\n\n", m.tr("質問票の回答", "The questionnaire"))
	answers := map[string]mapping.QuestionAnswer{}
	for _, qa := range m.r.Answers {
		answers[qa.Question] = qa
	}
	var ch *mapping.Chapter
	for _, q := range m.cat.Questions() {
		if q.Chapter != ch {
			ch = q.Chapter
			m.printf("### %s\n\n", Markdown(chapterTitle(ch, m.lang)))
		}
		qa, ok := answers[q.ID]
		if !ok {
			continue
		}
		m.question(q, qa)
	}
}

func (m *mdReport) question(q *mapping.Question, qa mapping.QuestionAnswer) {
	m.printf("#### %s %s\n\n", q.ID, Markdown(q.Heading.In(m.lang)))
	m.printf("*%s: %s — %s*\n\n", m.tr("区分", "Kind"), KindLabel(q.Kind, m.lang), sourceLabel(QuestionSource(qa), m.lang))
	if qa.Reason != nil {
		m.printf("%s\n\n", Markdown(qa.Reason.In(m.lang)))
		return
	}
	if len(qa.Controls) > 0 {
		m.printf("| %s | %s |\n|---|---|\n", m.tr("チェック項目", "Control point"), m.tr("結果", "Result"))
		for _, c := range qa.Controls {
			m.printf("| %s | %s |\n", Markdown(c.Label.In(m.lang)), controlLabel(c.Status, m.lang))
		}
		m.b.WriteString("\n")
	}
	for _, a := range qa.Blocks {
		b := q.Block(a.Block)
		if b == nil {
			continue
		}
		m.printf("- **%s**: %s（%s）\n", Markdown(b.Label.In(m.lang)), Markdown(answerText(b, a, m.lang)), sourceLabel(a.Source, m.lang))
		if a.Reason != nil {
			continue
		}
		if s := a.Scan; s != nil {
			if len(s.Allowed) > 0 {
				m.printf("  - %s: %s\n", m.tr("証跡が許す選択肢", "Choices the evidence allows"), strings.Join(s.Allowed, ", "))
			}
			if len(s.Required) > 0 {
				m.printf("  - %s: %s\n", m.tr("観測された選択肢（必須）", "Observed choices (required)"), strings.Join(s.Required, ", "))
			}
			m.printf("  - %s: %s\n", m.tr("根拠", "Rationale"), Markdown(s.Rationale.In(m.lang)))
			if len(s.Evidence) > 0 {
				m.printf("  - %s:%s\n", m.tr("証跡", "Evidence"), m.evidenceRefs(s.Evidence))
			}
		}
		if a.Justification != "" {
			m.printf("  - %s: %s\n", m.tr("運営者の理由", "Operator's justification"), Markdown(a.Justification))
		}
		if a.Stale {
			m.printf("  - **%s** (%s)\n", m.tr("運営者の回答の有効期限切れ", "operator's answer is stale"), a.Expires)
		}
		for _, c := range a.Conflicts {
			m.printf("  - **%s**: %s\n", m.tr("証跡との矛盾", "Conflict with the evidence"), Markdown(c.In(m.lang)))
		}
	}
	m.b.WriteString("\n")
}

// evidenceRefs lists evidence: links to evidence items, other references as text.
func (m *mdReport) evidenceRefs(refs []string) string {
	var out []string
	for _, r := range refs {
		if _, ok := m.evidence[r]; ok {
			out = append(out, fmt.Sprintf(" [%s](#%s)", Markdown(r), Anchor(r)))
		} else {
			out = append(out, " "+Markdown(r))
		}
	}
	return strings.Join(out, ";")
}

func controlLabel(status, lang string) string {
	switch status {
	case mapping.ControlPass:
		return tr(lang, "合格", "pass")
	case mapping.ControlFail:
		return tr(lang, "**不備**", "**fail**")
	}
	return tr(lang, "未検査", "not tested")
}

// answerText renders a block's answer: keys with their texts, ratings, or free text.
func answerText(b *mapping.Block, a mapping.Answer, lang string) string {
	if a.Source == mapping.NotApplicable {
		return "—"
	}
	var parts []string
	for _, k := range a.Choices {
		if c := b.Choice(k); c != nil {
			parts = append(parts, fmt.Sprintf("(%s) %s", k, c.Text().In(lang)))
		}
	}
	for _, c := range b.Choices {
		if step, ok := a.Ratings[c.Key]; ok {
			parts = append(parts, fmt.Sprintf("(%s) %s: %s", c.Key, c.Text().In(lang), step))
		}
	}
	if a.Text != "" {
		parts = append(parts, "「"+a.Text+"」")
	}
	if len(parts) == 0 {
		if a.Scan != nil && len(a.Scan.Allowed) > 0 {
			return tr(lang, "未回答（証跡が許す選択肢: ", "open (the evidence allows ") + strings.Join(a.Scan.Allowed, ", ") + tr(lang, "）", ")")
		}
		return tr(lang, "未回答", "open")
	}
	return strings.Join(parts, " / ")
}
