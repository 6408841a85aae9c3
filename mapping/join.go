package mapping

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"ecscan/checks"
)

// Source says where a block's answer came from.
type Source string

// The sources.
const (
	FromScan         Source = "scan"              // suggested by the scan's evidence
	FromOperator     Source = "operator"          // the operator's answers file
	OperatorOverride Source = "operator-override" // the operator's answer replaces the scan's suggestion
	NotApplicable    Source = "not-applicable"    // not asked, by the questionnaire's conditions
	Open             Source = "open"              // still to be answered by the operator
)

// ControlStatus is how one control point of a question came out.
type ControlStatus struct {
	ID       string      `json:"id"`
	Label    checks.Text `json:"label"`
	Status   string      `json:"status"` // pass, fail, not-tested
	Findings []string    `json:"findings,omitempty"`
}

// ScanAnswer is what the evidence says about a block.
type ScanAnswer struct {
	Suggested []string    `json:"suggested,omitempty"`
	Allowed   []string    `json:"allowed,omitempty"` // empty: the evidence rules nothing out
	Required  []string    `json:"required,omitempty"`
	Rationale checks.Text `json:"rationale"`
	Findings  []string    `json:"findings,omitempty"` // finding keys
	Evidence  []string    `json:"evidence,omitempty"` // evidence IDs and fact references
}

// Answer is the answer to one block, with its source and reasons.
type Answer struct {
	Block         string            `json:"block"`
	Source        Source            `json:"source"`
	Choices       []string          `json:"choices,omitempty"`
	Ratings       map[string]string `json:"ratings,omitempty"`
	Text          string            `json:"text,omitempty"`
	Justification string            `json:"justification,omitempty"`
	Expires       string            `json:"expires,omitempty"`
	Stale         bool              `json:"stale,omitempty"`
	Scan          *ScanAnswer       `json:"scan,omitempty"`
	Conflicts     []checks.Text     `json:"conflicts,omitempty"`
	Reason        *checks.Text      `json:"reason,omitempty"` // why it is not applicable
}

// QuestionAnswer is the answer to one question.
type QuestionAnswer struct {
	Question string          `json:"question"`
	Kind     Kind            `json:"kind"`
	Reason   *checks.Text    `json:"not_applicable,omitempty"`
	Controls []ControlStatus `json:"controls,omitempty"`
	Blocks   []Answer        `json:"blocks"`
}

// Input is what the join reads.
type Input struct {
	Catalog  *Catalog
	Rules    *Rules
	Findings []checks.Finding
	Facts    Facts
	Operator *Answers // may be nil
	Now      time.Time
}

// Join answers every question of the catalog from the scan's evidence and the operator's
// answers, honouring the questionnaire's conditions and skips. It is pure.
func Join(in Input) []QuestionAnswer {
	ev := newEvaluator(in)
	var out []QuestionAnswer
	skipUntil := -1
	for i, q := range in.Catalog.Questions() {
		qa := QuestionAnswer{Question: q.ID, Kind: q.Kind}
		if qr := in.Rules.Question(q.ID); qr != nil {
			qa.Controls = ev.controls(q, qr)
		}
		reason := ev.skipReason(i, skipUntil, q)
		qa.Reason = reason
		for _, b := range q.Blocks {
			a := ev.block(q, b, reason)
			qa.Blocks = append(qa.Blocks, a)
			ev.record(q, b, a)
			if to := ev.skipTarget(b, a); to > skipUntil {
				skipUntil = to
				ev.skipBy = fmt.Sprintf("%s/%s", q.ID, b.ID)
			}
		}
		out = append(out, qa)
	}
	return out
}

// evaluator holds the indexes of one join.
type evaluator struct {
	in       Input
	byID     map[string][]checks.Finding
	effect   map[string][]string // "q/b" → effective choices
	decided  map[string]bool     // "q/b" → asked and answered (by scan or operator)
	inactive map[string]bool     // "q/b" → not asked
	skipBy   string
}

func newEvaluator(in Input) *evaluator {
	ev := &evaluator{in: in, byID: map[string][]checks.Finding{}, effect: map[string][]string{}, decided: map[string]bool{}, inactive: map[string]bool{}}
	for _, f := range in.Findings {
		ev.byID[f.ID] = append(ev.byID[f.ID], f)
	}
	return ev
}

// skipReason says why question i is not asked, or nil.
func (ev *evaluator) skipReason(i, skipUntil int, q *Question) *checks.Text {
	if i < skipUntil {
		t := checks.T("前の回答（"+ev.skipBy+"）により対象外", "skipped by the answer to "+ev.skipBy)
		return &t
	}
	if q.Condition != nil && ev.condition(q.Condition) == falsy {
		t := checks.T("回答条件を満たさないため対象外: "+q.Condition.Text.JA, "not asked: "+q.Condition.Text.EN)
		return &t
	}
	return nil
}

// block answers one block.
func (ev *evaluator) block(q *Question, b *Block, qReason *checks.Text) Answer {
	a := Answer{Block: b.ID, Source: Open}
	if qReason != nil {
		a.Source, a.Reason = NotApplicable, qReason
		return a
	}
	if b.Condition != nil && ev.condition(b.Condition) == falsy {
		t := checks.T("回答条件を満たさないため対象外: "+b.Condition.Text.JA, "not asked: "+b.Condition.Text.EN)
		a.Source, a.Reason = NotApplicable, &t
		return a
	}
	if br := ev.in.Rules.Block(q.ID, b.ID); br != nil {
		a.Scan = ev.scanAnswer(q, b, br)
	}
	op := ev.in.Operator.Get(q.ID, b.ID)
	switch {
	case !op.Empty():
		ev.applyOperator(&a, b, op)
	case a.Scan != nil && len(a.Scan.Suggested) > 0:
		a.Source, a.Choices = FromScan, a.Scan.Suggested
	}
	return a
}

// applyOperator fills a with the operator's answer and notes every conflict with the evidence.
func (ev *evaluator) applyOperator(a *Answer, b *Block, op *BlockAnswer) {
	a.Source = FromOperator
	a.Choices, a.Ratings, a.Text, a.Justification = op.Choices, op.Ratings, op.Text, op.Justification
	if !op.Expires.IsZero() {
		a.Expires = op.Expires.Format(time.DateOnly)
		a.Stale = ev.in.Now.After(op.Expires.Add(24 * time.Hour))
	}
	s := a.Scan
	if s == nil {
		return
	}
	if len(s.Suggested) > 0 && !sameSet(op.Choices, s.Suggested) {
		a.Source = OperatorOverride
		if a.Justification == "" {
			a.Conflicts = append(a.Conflicts, checks.T("スキャン結果と異なる回答に理由（justification）がない",
				"the answer overrides the scan's without a justification"))
		}
	}
	if len(s.Allowed) > 0 {
		if bad := without(op.Choices, s.Allowed); len(bad) > 0 {
			a.Conflicts = append(a.Conflicts, checks.T(
				fmt.Sprintf("回答 %s は証跡と矛盾（証跡が許す選択肢: %s）: %s", strings.Join(bad, ","), strings.Join(s.Allowed, ","), s.Rationale.JA),
				fmt.Sprintf("answer %s contradicts the evidence (it allows %s): %s", strings.Join(bad, ","), strings.Join(s.Allowed, ","), s.Rationale.EN)))
		}
	}
	if missing := without(s.Required, op.Choices); len(missing) > 0 {
		a.Conflicts = append(a.Conflicts, checks.T(
			fmt.Sprintf("スキャンで観測された選択肢 %s が回答にない: %s", strings.Join(missing, ","), s.Rationale.JA),
			fmt.Sprintf("the answer lacks %s, which the scan observed: %s", strings.Join(missing, ","), s.Rationale.EN)))
	}
}

// record remembers a block's effective answer for later conditions.
func (ev *evaluator) record(q *Question, b *Block, a Answer) {
	key := q.ID + "/" + b.ID
	if a.Source == NotApplicable {
		ev.inactive[key] = true
		return
	}
	choices := a.Choices
	if b.Type == Rating {
		choices = nil
		for k := range a.Ratings {
			choices = append(choices, k)
		}
	}
	if len(choices) > 0 {
		ev.effect[key], ev.decided[key] = choices, true
	}
}

// skipTarget returns the position of the first question a block's chosen skip_to reaches, or -1.
func (ev *evaluator) skipTarget(b *Block, a Answer) int {
	to := -1
	for _, k := range a.Choices {
		if c := b.Choice(k); c != nil && c.SkipTo != "" {
			pos := ev.in.Catalog.firstAt(c.SkipTo)
			if pos < 0 {
				pos = len(ev.in.Catalog.Questions())
			}
			to = max(to, pos)
		}
	}
	return to
}

// tri-state truth of a condition whose answers may be missing.
type truth int

const (
	unknown truth = iota
	truthy
	falsy
)

// condition evaluates a catalog condition on the effective answers so far. A term on a block
// that was not asked is false; on a block not yet answered, unknown (the question is asked).
func (ev *evaluator) condition(c *Condition) truth {
	term := func(t Term) truth {
		key := t.Question + "/" + t.Block
		if ev.inactive[key] {
			return falsy
		}
		if !ev.decided[key] {
			return unknown
		}
		got := ev.effect[key]
		hit := slices.ContainsFunc(got, func(k string) bool { return slices.Contains(t.AnyOf, k) || slices.Contains(t.NoneOf, k) })
		if hit == (len(t.AnyOf) > 0) {
			return truthy
		}
		return falsy
	}
	if len(c.All) > 0 {
		res := truthy
		for _, t := range c.All {
			switch term(t) {
			case falsy:
				return falsy
			case unknown:
				res = unknown
			}
		}
		return res
	}
	res := falsy
	for _, t := range c.Any {
		switch term(t) {
		case truthy:
			return truthy
		case unknown:
			res = unknown
		}
	}
	return res
}

func sameSet(a, b []string) bool {
	return len(without(a, b)) == 0 && len(without(b, a)) == 0
}

// without returns the items of a that are not in b.
func without(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}
