package mapping

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// AnswersVersion is the version of the answers file format this ecscan reads and writes.
const AnswersVersion = 1

// Answers is an operator's answers file: for each question ID, the answers to its blocks.
type Answers struct {
	File     string
	Version  int
	Question map[string]map[string]*BlockAnswer
	// Line is where each question's key is in the file.
	Line map[string]int
}

// BlockAnswer is the operator's answer to one block. An empty answer (the block left as ~)
// means "not answered yet".
type BlockAnswer struct {
	// Choices holds the chosen keys of a single- or multiple-choice block.
	Choices []string
	// Ratings holds, for a rating block, the scale step given to each item.
	Ratings map[string]string
	// Text is the free text of a text block, or of the chosen choice that takes one.
	Text string
	// Justification explains an answer that overrides the scan's.
	Justification string
	// Expires is the date after which an overriding answer is stale; zero when none.
	Expires time.Time
	// Line is where the answer is in the file.
	Line int
}

// Empty reports whether the block was left unanswered.
func (a *BlockAnswer) Empty() bool {
	return a == nil || len(a.Choices) == 0 && len(a.Ratings) == 0 && a.Text == ""
}

// Get returns the answer to a block, or nil.
func (a *Answers) Get(question, block string) *BlockAnswer {
	if a == nil {
		return nil
	}
	return a.Question[question][block]
}

// AnswersError is one problem of an answers file, at a line.
type AnswersError struct {
	File    string
	Line    int
	Problem string
}

func (e *AnswersError) Error() string {
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Problem)
}

// AnswersErrors is every problem of an answers file; its message names the first and counts
// the others.
type AnswersErrors []*AnswersError

func (es AnswersErrors) Error() string {
	if len(es) == 1 {
		return "answers " + es[0].Error()
	}
	return fmt.Sprintf("answers %s (and %d more problems)", es[0].Error(), len(es)-1)
}

// LoadAnswers reads and validates an answers file against the catalog.
func LoadAnswers(path string, c *Catalog) (*Answers, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("answers file: %w", err)
	}
	return ParseAnswers(path, data, c)
}

// answersParser collects the problems of one answers file.
type answersParser struct {
	c    *Catalog
	file string
	errs AnswersErrors
}

func (p *answersParser) add(n *yaml.Node, format string, args ...any) {
	p.errs = append(p.errs, &AnswersError{File: p.file, Line: n.Line, Problem: fmt.Sprintf(format, args...)})
}

// ParseAnswers validates an answers file held in memory: unknown question or block IDs,
// choice keys a block does not have, two answers to a single-choice block, scale steps a
// rating block does not have, free text where no choice takes it, malformed dates.
func ParseAnswers(name string, data []byte, c *Catalog) (*Answers, error) {
	p := &answersParser{c: c, file: name}
	a := &Answers{File: name, Question: map[string]map[string]*BlockAnswer{}, Line: map[string]int{}}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, AnswersErrors{{File: name, Line: yamlLine(err), Problem: yamlProblem(err)}}
	}
	if len(doc.Content) == 0 {
		return nil, AnswersErrors{{File: name, Line: 1, Problem: "empty file"}}
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		p.add(root, "expected a mapping with version: and answers:")
		return nil, p.errs
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "version":
			if err := v.Decode(&a.Version); err != nil || a.Version != AnswersVersion {
				p.add(v, "version %q: this ecscan reads version %d", v.Value, AnswersVersion)
			}
		case "answers":
			p.questions(v, a)
		default:
			p.add(k, "unknown key %q (expected version or answers)", k.Value)
		}
	}
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	return a, nil
}

func (p *answersParser) questions(n *yaml.Node, a *Answers) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return
	}
	if n.Kind != yaml.MappingNode {
		p.add(n, "answers: expected a mapping of question IDs")
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		q := p.c.Question(k.Value)
		if q == nil {
			p.add(k, "unknown question %q", k.Value)
			continue
		}
		if _, dup := a.Question[q.ID]; dup {
			p.add(k, "question %s answered twice", q.ID)
			continue
		}
		blocks := map[string]*BlockAnswer{}
		a.Question[q.ID] = blocks
		a.Line[q.ID] = k.Line
		if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
			continue
		}
		if v.Kind != yaml.MappingNode {
			p.add(v, "question %s: expected a mapping of block IDs", q.ID)
			continue
		}
		for j := 0; j+1 < len(v.Content); j += 2 {
			bk, bv := v.Content[j], v.Content[j+1]
			b := q.Block(bk.Value)
			if b == nil {
				p.add(bk, "question %s has no block %q (it has %s)", q.ID, bk.Value, blockIDs(q))
				continue
			}
			if _, dup := blocks[b.ID]; dup {
				p.add(bk, "block %s/%s answered twice", q.ID, b.ID)
				continue
			}
			blocks[b.ID] = p.block(q, b, bv)
		}
	}
}

func blockIDs(q *Question) string {
	var ids []string
	for _, b := range q.Blocks {
		ids = append(ids, b.ID)
	}
	return strings.Join(ids, ", ")
}

// block reads one block's answer: the short form (a key, a list of keys, a map of ratings or
// a text), or the long form {answer, text, justification, expires}.
func (p *answersParser) block(q *Question, b *Block, n *yaml.Node) *BlockAnswer {
	ans := &BlockAnswer{Line: n.Line}
	value := n
	if n.Kind == yaml.MappingNode && hasKey(n, "answer") {
		value = nil
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			switch k.Value {
			case "answer":
				value = v
			case "text":
				ans.Text = v.Value
			case "justification":
				ans.Justification = strings.TrimSpace(v.Value)
			case "expires":
				t, err := time.Parse(time.DateOnly, v.Value)
				if err != nil {
					p.add(v, "%s/%s: expires %q is not a date like 2027-03-31", q.ID, b.ID, v.Value)
				}
				ans.Expires = t
			default:
				p.add(k, "%s/%s: unknown key %q (expected answer, text, justification, expires)", q.ID, b.ID, k.Value)
			}
		}
	}
	if value == nil || value.Kind == yaml.ScalarNode && value.Tag == "!!null" {
		return ans
	}
	where := q.ID + "/" + b.ID
	switch b.Type {
	case FreeText:
		if value.Kind != yaml.ScalarNode {
			p.add(value, "%s is a free-text block: give a text", where)
		}
		ans.Text = value.Value
	case Rating:
		p.ratings(where, b, value, ans)
	default:
		p.choices(where, b, value, ans)
	}
	return ans
}

func (p *answersParser) choices(where string, b *Block, n *yaml.Node, ans *BlockAnswer) {
	var keys []*yaml.Node
	switch n.Kind {
	case yaml.ScalarNode:
		keys = []*yaml.Node{n}
	case yaml.SequenceNode:
		keys = n.Content
	default:
		p.add(n, "%s: give a choice key or a list of keys", where)
		return
	}
	for _, k := range keys {
		key := strings.ToUpper(strings.TrimSpace(k.Value))
		switch {
		case b.Choice(key) == nil:
			p.add(k, "%s has no choice %q (choices %s–%s)", where, k.Value, b.Choices[0].Key, b.Choices[len(b.Choices)-1].Key)
		case slices.Contains(ans.Choices, key):
			p.add(k, "%s: choice %s given twice", where, key)
		default:
			ans.Choices = append(ans.Choices, key)
		}
	}
	if b.Type == Single && len(ans.Choices) > 1 {
		p.add(n, "%s is a single-choice block but has %d answers (%s)", where, len(ans.Choices), strings.Join(ans.Choices, ", "))
	}
	if ans.Text != "" && !slices.ContainsFunc(ans.Choices, func(k string) bool { return b.Choice(k).FreeText }) {
		p.add(n, "%s: text given, but no chosen choice takes free text", where)
	}
}

func (p *answersParser) ratings(where string, b *Block, n *yaml.Node, ans *BlockAnswer) {
	if n.Kind != yaml.MappingNode {
		p.add(n, "%s is a rating block: give a mapping of item keys to steps (%s)", where, stepKeys(b))
		return
	}
	ans.Ratings = map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := strings.ToUpper(strings.TrimSpace(k.Value))
		switch {
		case b.Choice(key) == nil:
			p.add(k, "%s has no item %q", where, k.Value)
		case b.Step(v.Value) == nil:
			p.add(v, "%s item %s: %q is not a step of the scale (%s)", where, key, v.Value, stepKeys(b))
		default:
			ans.Ratings[key] = v.Value
		}
	}
}

func stepKeys(b *Block) string {
	var ks []string
	for _, s := range b.Scale {
		ks = append(ks, s.Key)
	}
	return strings.Join(ks, ", ")
}

func hasKey(n *yaml.Node, key string) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return true
		}
	}
	return false
}

// yamlLine digs the line number out of a YAML syntax error, or returns 1.
func yamlLine(err error) int {
	var line int
	msg := err.Error()
	if i := strings.Index(msg, "line "); i >= 0 {
		fmt.Sscanf(msg[i:], "line %d", &line)
	}
	return max(line, 1)
}
