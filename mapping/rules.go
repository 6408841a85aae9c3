package mapping

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"ecscan/checks"
	"ecscan/configs"
)

// Rules are the answer rules: for technical and partial questions, which findings bear on
// which control points, and how the scan's observations turn into suggested and allowed
// choices of each block. They are data (configs/rules/*.yaml, described in docs/rules.md)
// so that a reviewer can read why an answer was given without reading Go.
type Rules struct {
	Questions []*QuestionRule `yaml:"questions"`

	byBlock map[string]*BlockRule // "9-3-2/evaluation"
}

// QuestionRule binds a question's control points to finding IDs and holds its block rules.
type QuestionRule struct {
	Question string `yaml:"question"`
	// Controls maps a control point of the catalog (or a check-specific control named here)
	// to the finding IDs that test it.
	Controls []ControlRule `yaml:"controls,omitempty"`
	Blocks   []*BlockRule  `yaml:"blocks"`

	file string
}

// ControlRule binds one control point to the findings that test it.
type ControlRule struct {
	ID       string   `yaml:"id"`
	Findings []string `yaml:"findings"`
	// Label names a control that is not one of the catalog's control points.
	Label *checks.Text `yaml:"label,omitempty"`
}

// BlockRule says how a block is answered from the scan: the first case whose condition holds
// gives the answer.
type BlockRule struct {
	Block string  `yaml:"block"`
	Cases []*Case `yaml:"cases"`

	question string
}

// Case is one way a block can be answered from the evidence.
type Case struct {
	When When `yaml:"when"`
	// Suggested are the choices ecscan proposes.
	Suggested []string `yaml:"suggested,omitempty"`
	// Allowed are the choices the evidence leaves possible; empty means every choice.
	Allowed []string `yaml:"allowed,omitempty"`
	// Required, for a multiple-choice block, are choices any answer must include.
	Required []string `yaml:"required,omitempty"`
	// Choices, for a multiple-choice block, selects each choice whose facts hold; they are
	// added to Suggested and Required.
	Choices map[string]When `yaml:"choices,omitempty"`
	// Otherwise is suggested when no choice of Choices holds (e.g. "no other service").
	Otherwise string      `yaml:"otherwise,omitempty"`
	Rationale checks.Text `yaml:"rationale"`
}

// When is a condition on the scan's findings, control statuses and facts. Every listed part
// must hold; an empty When always holds.
type When struct {
	// AnyFail holds when a finding with one of these IDs failed. In AnyFail, NoFail and
	// Tested, "*" (AnyFinding) stands for every finding of the run.
	AnyFail []string `yaml:"any_fail,omitempty"`
	// AnyFailAtLeast restricts AnyFail to failures of this severity or worse.
	AnyFailAtLeast *checks.Severity `yaml:"severity_at_least,omitempty"`
	// NoFail holds when no finding with these IDs failed.
	NoFail []string `yaml:"no_fail,omitempty"`
	// Tested holds when a finding with one of these IDs was made (any outcome).
	Tested []string `yaml:"tested,omitempty"`
	// Controls holds when every listed control has the given status (pass, fail,
	// not-tested), e.g. {relay-own-domain-only: pass}. The key "*" means every bound control.
	Controls map[string]string `yaml:"controls,omitempty"`
	// Facts holds when one of these facts was observed; NoFacts when none was.
	Facts   []string `yaml:"facts,omitempty"`
	NoFacts []string `yaml:"no_facts,omitempty"`
}

// Control statuses.
const (
	ControlPass      = "pass"
	ControlFail      = "fail"
	ControlNotTested = "not-tested"
)

// DefaultRules loads the rules embedded in the binary and validates them against c.
func DefaultRules(c *Catalog) (*Rules, error) {
	return LoadRulesFS(configs.FS, configs.RulesDir, c)
}

// LoadRulesFS loads and validates every rules file (*.yaml) in dir of fsys.
func LoadRulesFS(fsys fs.FS, dir string, c *Catalog) (*Rules, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("rules %s: %w", dir, err)
	}
	r := &Rules{}
	for _, e := range entries {
		if e.IsDir() || !isYAML(e.Name()) {
			continue
		}
		p := path.Join(dir, e.Name())
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("rules %s: %w", p, err)
		}
		var part Rules
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&part); err != nil {
			return nil, CatalogErrors{{File: p, Problem: yamlProblem(err)}}
		}
		for _, q := range part.Questions {
			q.file = p
		}
		r.Questions = append(r.Questions, part.Questions...)
	}
	if errs := r.validate(c); len(errs) > 0 {
		return nil, errs
	}
	r.merge()
	return r, nil
}

// merge joins the entries that several files give for one question (each check's rules file
// binds its own controls and blocks), keeping the questionnaire's order of first mention.
func (r *Rules) merge() {
	var out []*QuestionRule
	byQ := map[string]*QuestionRule{}
	for _, q := range r.Questions {
		if m, ok := byQ[q.Question]; ok {
			m.Controls = append(m.Controls, q.Controls...)
			m.Blocks = append(m.Blocks, q.Blocks...)
			continue
		}
		cp := *q
		byQ[q.Question] = &cp
		out = append(out, &cp)
	}
	r.Questions = out
}

// Block returns the rule for a block, or nil.
func (r *Rules) Block(question, block string) *BlockRule {
	if r == nil {
		return nil
	}
	return r.byBlock[question+"/"+block]
}

// Question returns the rules of a question, or nil.
func (r *Rules) Question(id string) *QuestionRule {
	if r == nil {
		return nil
	}
	for _, q := range r.Questions {
		if q.Question == id {
			return q
		}
	}
	return nil
}

// validate checks every reference against the catalog and the known findings and facts.
func (r *Rules) validate(c *Catalog) CatalogErrors {
	var errs CatalogErrors
	add := func(q *QuestionRule, format string, args ...any) {
		errs = append(errs, &CatalogError{File: q.file, Question: q.Question, Problem: fmt.Sprintf(format, args...)})
	}
	r.byBlock = map[string]*BlockRule{}
	for _, qr := range r.Questions {
		q := c.Question(qr.Question)
		if q == nil {
			add(qr, "rules for a question that is not in the catalog")
			continue
		}
		if q.Kind == Management {
			add(qr, "rules for a management question (classify it technical or partial first)")
		}
		controls := map[string]bool{}
		for _, cr := range qr.Controls {
			controls[cr.ID] = true
			if cr.Label == nil && !slices.ContainsFunc(q.ControlPoints, func(cp ControlPoint) bool { return cp.ID == cr.ID }) {
				add(qr, "control %q is not a control point of the question (give it a label if it is the rules' own)", cr.ID)
			}
			for _, f := range cr.Findings {
				if !KnownFinding(f) {
					add(qr, "control %q: unknown finding ID %q", cr.ID, f)
				}
			}
		}
		for _, br := range qr.Blocks {
			br.question = q.ID
			b := q.Block(br.Block)
			if b == nil {
				add(qr, "rule for block %q, which the question does not have", br.Block)
				continue
			}
			if _, dup := r.byBlock[q.ID+"/"+b.ID]; dup {
				add(qr, "two rules for block %q", b.ID)
			}
			r.byBlock[q.ID+"/"+b.ID] = br
			if len(br.Cases) == 0 {
				add(qr, "block %q: a rule needs at least one case", b.ID)
			}
			for i, cs := range br.Cases {
				for _, p := range cs.problems(b, controls) {
					add(qr, "block %q case %d: %s", b.ID, i+1, p)
				}
			}
		}
	}
	return errs
}

// problems lists what is wrong with a case: unknown choices, findings, facts or controls.
func (cs *Case) problems(b *Block, controls map[string]bool) []string {
	var out []string
	for _, k := range slices.Concat(cs.Suggested, cs.Allowed, cs.Required) {
		if b.Choice(k) == nil {
			out = append(out, fmt.Sprintf("choice %q does not exist", k))
		}
	}
	if cs.Otherwise != "" && b.Choice(cs.Otherwise) == nil {
		out = append(out, fmt.Sprintf("otherwise: choice %q does not exist", cs.Otherwise))
	}
	if (len(cs.Choices) > 0 || len(cs.Required) > 0) && b.Type != Multiple {
		out = append(out, "choices and required are for multiple-choice blocks")
	}
	if b.Type == Single && len(cs.Suggested) > 1 {
		out = append(out, "a single-choice block gets at most one suggestion")
	}
	for k, w := range cs.Choices {
		if b.Choice(k) == nil {
			out = append(out, fmt.Sprintf("choices: choice %q does not exist", k))
		}
		out = append(out, w.problems(controls)...)
	}
	out = append(out, cs.When.problems(controls)...)
	if strings.TrimSpace(cs.Rationale.JA) == "" || strings.TrimSpace(cs.Rationale.EN) == "" {
		out = append(out, "rationale needs Japanese and English")
	}
	return out
}

func (w When) problems(controls map[string]bool) []string {
	var out []string
	for _, f := range slices.Concat(w.AnyFail, w.NoFail, w.Tested) {
		if f != AnyFinding && !KnownFinding(f) {
			out = append(out, fmt.Sprintf("unknown finding ID %q", f))
		}
	}
	for _, f := range slices.Concat(w.Facts, w.NoFacts) {
		if !KnownFact(f) {
			out = append(out, fmt.Sprintf("unknown fact %q", f))
		}
	}
	for id, st := range w.Controls {
		if id != "*" && !controls[id] {
			out = append(out, fmt.Sprintf("control %q is not bound in controls:", id))
		}
		if st != ControlPass && st != ControlFail && st != ControlNotTested {
			out = append(out, fmt.Sprintf("control %q: status %q is not pass, fail or not-tested", id, st))
		}
	}
	return out
}
