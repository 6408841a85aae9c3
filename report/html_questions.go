package report

import (
	"slices"
	"strings"

	"ecscan/checks"
	"ecscan/mapping"
)

type chapterView struct {
	Anchor, Title string
	Sections      []sectionView
}

type sectionView struct {
	Title     string
	Questions []questionView
}

type questionView struct {
	Anchor, ID, Heading, Text, Kind, Reason string
	Source                                  sourceCount
	Controls                                []controlView
	Blocks                                  []blockView
}

type controlView struct {
	Label, Status, Class string
	Findings             []refView
	More                 int // findings not listed
}

type blockView struct {
	Label, Type, Reason, Text, Allowed, Required, Rationale, Justification, Expires string
	Source                                                                          sourceCount
	Stale, Open                                                                     bool
	Choices                                                                         []choiceView
	Ratings                                                                         [][2]string
	Findings, Evidence                                                              []refView
	Conflicts                                                                       []string
}

// choiceView is one choice of a block as the answer sheet shows it, with what the answer and
// the scan say of it.
type choiceView struct {
	Key, Text, Skip                                    string
	Chosen, Suggested, Excluded, Required, FreeTextBox bool
}

// shortSourceLabel names a source in a badge.
func shortSourceLabel(s mapping.Source, lang string) string {
	switch s {
	case mapping.FromScan:
		return tr(lang, "スキャン", "scan")
	case mapping.FromOperator:
		return tr(lang, "運営者", "operator")
	case mapping.OperatorOverride:
		return tr(lang, "運営者（上書き）", "operator override")
	case mapping.NotApplicable:
		return tr(lang, "対象外", "not applicable")
	}
	return tr(lang, "未回答", "open")
}

// sourceClass maps a source onto one of a fixed set of CSS classes.
func sourceClass(s mapping.Source) string {
	switch s {
	case mapping.FromScan:
		return "src-scan"
	case mapping.FromOperator:
		return "src-operator"
	case mapping.OperatorOverride:
		return "src-override"
	case mapping.NotApplicable:
		return "src-na"
	}
	return "src-open"
}

func (v *htmlView) badge(s mapping.Source) sourceCount {
	return sourceCount{Label: shortSourceLabel(s, v.Lang), Class: sourceClass(s)}
}

// chapters lays the answers out chapter by chapter in the catalog's order. Without a
// catalog, the answers are listed by ID under one heading.
func (v *htmlView) chapters(cat *mapping.Catalog) []chapterView {
	answers := map[string]mapping.QuestionAnswer{}
	for _, qa := range v.R.Answers {
		answers[qa.Question] = qa
	}
	if cat == nil {
		ch := chapterView{Anchor: "chapter-0", Title: v.tr("質問票の回答", "Answers")}
		sec := sectionView{}
		for _, qa := range v.R.Answers {
			sec.Questions = append(sec.Questions, v.question(nil, qa))
		}
		ch.Sections = []sectionView{sec}
		return []chapterView{ch}
	}
	var out []chapterView
	for _, q := range cat.Questions() {
		qa, ok := answers[q.ID]
		if !ok {
			continue
		}
		if len(out) == 0 || out[len(out)-1].Anchor != chapterAnchor(q.Chapter) {
			out = append(out, chapterView{Anchor: chapterAnchor(q.Chapter), Title: inline(chapterTitle(q.Chapter, v.Lang))})
		}
		ch := &out[len(out)-1]
		title := inline(sectionTitle(q.Section, v.Lang))
		if len(ch.Sections) == 0 || ch.Sections[len(ch.Sections)-1].Title != title {
			ch.Sections = append(ch.Sections, sectionView{Title: title})
		}
		sec := &ch.Sections[len(ch.Sections)-1]
		sec.Questions = append(sec.Questions, v.question(q, qa))
	}
	return out
}

func chapterAnchor(ch *mapping.Chapter) string {
	return "chapter-" + strings.TrimPrefix(Anchor(chapterTitle(ch, "en")), "ev-")
}

// question builds one question's view; q is nil without a catalog.
func (v *htmlView) question(q *mapping.Question, qa mapping.QuestionAnswer) questionView {
	qv := questionView{Anchor: questionAnchor(qa.Question), ID: inline(qa.Question), Heading: inline(qa.Question),
		Kind: KindLabel(qa.Kind, v.Lang), Source: v.badge(QuestionSource(qa))}
	if q != nil {
		qv.Heading, qv.Text = inline(q.Heading.In(v.Lang)), block(q.Text.In(v.Lang))
	}
	if qa.Reason != nil {
		qv.Reason = inline(qa.Reason.In(v.Lang))
	}
	for _, c := range qa.Controls {
		qv.Controls = append(qv.Controls, v.controlView(c))
	}
	for _, a := range qa.Blocks {
		var b *mapping.Block
		if q != nil {
			b = q.Block(a.Block)
		}
		qv.Blocks = append(qv.Blocks, v.blockView(b, a))
	}
	return qv
}

// maxControlRefs is how many findings a control point lists before "and N more".
const maxControlRefs = 6

// controlView shows a control point's status and the findings it rests on: for a failed
// control, the failures; otherwise the first few findings.
func (v *htmlView) controlView(c mapping.ControlStatus) controlView {
	cv := controlView{Label: inline(c.Label.In(v.Lang)), Status: controlText(c.Status, v.Lang), Class: "ctl-" + controlClass(c.Status)}
	keys := c.Findings
	if c.Status == mapping.ControlFail {
		keys = slices.DeleteFunc(slices.Clone(keys), func(k string) bool { return v.outcome[k] != checks.Fail })
	}
	if len(keys) > maxControlRefs {
		keys = keys[:maxControlRefs]
	}
	cv.Findings, cv.More = v.findingRefs(keys), len(c.Findings)-len(keys)
	return cv
}

func controlText(status, lang string) string {
	switch status {
	case mapping.ControlPass:
		return tr(lang, "合格", "pass")
	case mapping.ControlFail:
		return tr(lang, "不備", "fail")
	}
	return tr(lang, "未検査", "not tested")
}

func controlClass(status string) string {
	switch status {
	case mapping.ControlPass:
		return "pass"
	case mapping.ControlFail:
		return "fail"
	}
	return "untested"
}

// blockView builds one block's view; b is nil when the catalog does not know the block.
func (v *htmlView) blockView(b *mapping.Block, a mapping.Answer) blockView {
	bv := blockView{Label: inline(a.Block), Source: v.badge(a.Source), Open: a.Source == mapping.Open,
		Text: block(a.Text), Justification: block(a.Justification), Expires: inline(a.Expires), Stale: a.Stale}
	if a.Reason != nil {
		bv.Reason = inline(a.Reason.In(v.Lang))
	}
	for _, c := range a.Conflicts {
		bv.Conflicts = append(bv.Conflicts, inline(c.In(v.Lang)))
	}
	s := a.Scan
	if s == nil {
		s = &mapping.ScanAnswer{}
	} else {
		bv.Allowed, bv.Required = inline(strings.Join(s.Allowed, ", ")), inline(strings.Join(s.Required, ", "))
		bv.Rationale = inline(s.Rationale.In(v.Lang))
		bv.Findings, bv.Evidence = v.findingRefs(s.Findings), v.evidenceRefs(s.Evidence)
	}
	if b == nil {
		for _, k := range a.Choices {
			bv.Choices = append(bv.Choices, choiceView{Key: inline(k), Chosen: true})
		}
		for _, k := range sortedKeys(a.Ratings) {
			bv.Ratings = append(bv.Ratings, [2]string{inline(k), inline(a.Ratings[k])})
		}
		return bv
	}
	bv.Label, bv.Type = inline(b.Label.In(v.Lang)), BlockTypeLabel(b.Type, v.Lang)
	if b.Type == mapping.Rating {
		for _, c := range b.Choices {
			step := v.tr("未回答", "not rated")
			if k, ok := a.Ratings[c.Key]; ok {
				step = k
				if st := b.Step(k); st != nil {
					step = mapping.Text{JA: st.JA, EN: st.EN}.In(v.Lang)
				}
			}
			bv.Ratings = append(bv.Ratings, [2]string{inline("(" + c.Key + ") " + c.Text().In(v.Lang)), inline(step)})
		}
		return bv
	}
	for _, c := range b.Choices {
		cv := choiceView{Key: inline(c.Key), Text: inline(c.Text().In(v.Lang)), FreeTextBox: c.FreeText,
			Chosen: slices.Contains(a.Choices, c.Key), Suggested: slices.Contains(s.Suggested, c.Key),
			Excluded: len(s.Allowed) > 0 && !slices.Contains(s.Allowed, c.Key), Required: slices.Contains(s.Required, c.Key)}
		if c.SkipTo != "" {
			cv.Skip = inline(c.SkipTo)
		}
		bv.Choices = append(bv.Choices, cv)
	}
	return bv
}
