package diff

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"ecscan/checks"
	"ecscan/mapping"
)

// item is one change as the text and Markdown writers show it, unescaped: its kind, a
// severity or state, where, and what.
type item struct {
	kind, sev, where, what string
}

func tr(lang, ja, en string) string {
	if lang == "en" {
		return en
	}
	return ja
}

// items lists every change, most urgent first: findings, certificates, then the inventory
// and the answers.
func (d *Diff) items(lang string) []item {
	var out []item
	for _, f := range d.NewFindings {
		out = append(out, findingItem(tr(lang, "新規", "NEW"), f.Severity.Label(lang), f, lang))
	}
	for _, c := range d.ChangedFindings {
		kind := tr(lang, "改善", "BETTER")
		if c.Worse {
			kind = tr(lang, "悪化", "WORSE")
		}
		out = append(out, findingItem(kind, stateLabel(c.Old, lang)+" → "+stateLabel(c.New, lang), c.New, lang))
	}
	for _, n := range d.CertExpiring {
		out = append(out, certItem(n, lang))
	}
	for _, c := range d.ChangedCerts {
		out = append(out, certChangeItem(c, lang))
	}
	for _, f := range d.ResolvedFindings {
		out = append(out, findingItem(tr(lang, "解消", "RESOLVED"), f.Severity.Label(lang), f, lang))
	}
	for _, h := range d.NewHosts {
		out = append(out, item{kind: tr(lang, "ホスト追加", "HOST+"), where: h})
	}
	for _, h := range d.GoneHosts {
		out = append(out, item{kind: tr(lang, "ホスト消失", "HOST-"), where: h})
	}
	for _, h := range d.ChangedHosts {
		out = append(out, item{kind: tr(lang, "ホスト変更", "HOST~"), where: h.Name, what: hostChangeText(h, lang)})
	}
	for _, p := range d.NewPorts {
		out = append(out, item{kind: tr(lang, "ポート開放", "PORT+"), where: p})
	}
	for _, p := range d.ClosedPorts {
		out = append(out, item{kind: tr(lang, "ポート閉鎖", "PORT-"), where: p})
	}
	for _, s := range d.ChangedServices {
		out = append(out, item{kind: tr(lang, "サービス変更", "SERVICE~"), where: s.Port, what: s.Old + " → " + s.New})
	}
	for _, a := range d.ChangedAnswers {
		out = append(out, item{kind: tr(lang, "回答変更", "ANSWER~"), where: a.Question + "/" + a.Block,
			what: answerText(a.Old, lang) + " → " + answerText(a.New, lang)})
	}
	return out
}

func findingItem(kind, sev string, f checks.Finding, lang string) item {
	return item{kind: kind, sev: sev, where: place(f), what: f.ID + ": " + f.Title.In(lang)}
}

// place names where a finding was made: host:port and subject.
func place(f checks.Finding) string {
	s := f.Host
	if f.Port > 0 {
		s += ":" + strconv.Itoa(f.Port)
	}
	if f.Subject != "" {
		s += " " + f.Subject
	}
	return s
}

// stateLabel names a finding's state: its severity when it fails, else pass or info.
func stateLabel(f checks.Finding, lang string) string {
	switch f.Outcome {
	case checks.Fail:
		return f.Severity.Label(lang)
	case checks.Pass:
		return tr(lang, "合格", "pass")
	}
	return tr(lang, "事実", "info")
}

func certItem(n CertNote, lang string) item {
	it := item{kind: tr(lang, "証明書", "CERT"), where: n.Host}
	if n.Port > 0 {
		it.where += ":" + strconv.Itoa(n.Port)
	}
	if n.Finding != "" {
		it.sev = n.Severity.Label(lang)
	}
	var parts []string
	switch {
	case n.DaysLeft == nil:
		parts = append(parts, n.Detail.In(lang))
	case *n.DaysLeft < 0:
		parts = append(parts, tr(lang, fmt.Sprintf("%d日前に期限切れ", -*n.DaysLeft), fmt.Sprintf("expired %d days ago", -*n.DaysLeft)))
	default:
		parts = append(parts, tr(lang, fmt.Sprintf("有効期限まであと%d日", *n.DaysLeft), fmt.Sprintf("expires in %d days", *n.DaysLeft)))
	}
	if !n.NotAfter.IsZero() {
		parts = append(parts, n.NotAfter.UTC().Format(time.DateOnly))
	}
	if n.OldDaysLeft != nil {
		parts = append(parts, tr(lang, fmt.Sprintf("前回%d日", *n.OldDaysLeft), fmt.Sprintf("was %d", *n.OldDaysLeft)))
	}
	if n.Crossed > 0 {
		parts = append(parts, tr(lang, fmt.Sprintf("%d日を下回った", n.Crossed), fmt.Sprintf("below %d days", n.Crossed)))
	}
	it.what = strings.Join(parts, tr(lang, "、", "; "))
	return it
}

func hostChangeText(h HostChange, lang string) string {
	var parts []string
	if strings.Join(h.OldAddrs, ",") != strings.Join(h.NewAddrs, ",") {
		parts = append(parts, strings.Join(h.OldAddrs, " ")+" → "+strings.Join(h.NewAddrs, " "))
	}
	if h.OldInScope != h.NewInScope {
		parts = append(parts, scopeLabel(h.OldInScope, lang)+" → "+scopeLabel(h.NewInScope, lang))
	}
	return strings.Join(parts, "; ")
}

func scopeLabel(in bool, lang string) string {
	if in {
		return tr(lang, "対象内", "in scope")
	}
	return tr(lang, "対象外", "out of scope")
}

// answerText sums up a block's answer: its source and its choices, ratings or text.
func answerText(a AnswerState, lang string) string {
	s := sourceLabel(a.Source, lang)
	var vals []string
	vals = append(vals, a.Choices...)
	for _, k := range slices.Sorted(maps.Keys(a.Ratings)) {
		vals = append(vals, k+"="+a.Ratings[k])
	}
	if a.Text != "" {
		vals = append(vals, strconv.Quote(a.Text))
	}
	if len(vals) > 0 {
		s += " " + strings.Join(vals, ",")
	}
	if a.Stale {
		s += tr(lang, "（期限切れ）", " (stale)")
	}
	return s
}

func sourceLabel(s mapping.Source, lang string) string {
	switch s {
	case mapping.FromScan:
		return tr(lang, "スキャン", "scan")
	case mapping.FromOperator:
		return tr(lang, "運営者", "operator")
	case mapping.OperatorOverride:
		return tr(lang, "運営者（上書き）", "operator-override")
	case mapping.NotApplicable:
		return tr(lang, "対象外", "not-applicable")
	case mapping.Open:
		return tr(lang, "未回答", "open")
	}
	return tr(lang, "（なし）", "(absent)")
}
