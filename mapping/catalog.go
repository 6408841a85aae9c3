// Package mapping holds the ECOM questionnaire catalog, its validation, and the join of scan
// results and operator answers onto it.
//
// The catalog is data (configs/catalog/chNN.yaml, described in docs/catalog.md); this file
// declares its types. Every question has a stable ID "<chapter>-<section>-<question>", every
// answer block an ID unique within its question ("evaluation" for 【評価】), and every choice a
// key A, B, C … in the seed's order.
package mapping

import "ecscan/checks"

// Text is a string in Japanese and English.
type Text = checks.Text

// Kind says how far an external scan can answer a question.
type Kind string

// The question kinds.
const (
	// Technical questions can be answered by an external scan of the site's public hosts.
	Technical Kind = "technical"
	// Partial questions get evidence from a scan toward some blocks, or some choices ruled out.
	Partial Kind = "partial"
	// Management questions only the operator can answer.
	Management Kind = "management"
)

// Kinds lists the valid kinds in order.
var Kinds = []Kind{Technical, Partial, Management}

// Probes is the vocabulary of probe kinds a technical or partial question may name.
var Probes = []string{"dns", "ports", "ssh", "tls", "web", "smtp", "mail", "ftp", "history"}

// BlockType says how a block is answered.
type BlockType string

// The block types.
const (
	// Single takes one choice.
	Single BlockType = "single"
	// Multiple takes any number of choices (複数回答).
	Multiple BlockType = "multiple"
	// Rating takes one step of the block's scale for every choice (item).
	Rating BlockType = "rating"
	// FreeText takes free text only.
	FreeText BlockType = "text"
)

// Catalog is the whole questionnaire, chapter by chapter, with an index by question ID.
type Catalog struct {
	Chapters []*Chapter `yaml:"chapters" json:"chapters"`

	byID  map[string]*Question
	order []*Question
}

// Chapter is one of the questionnaire's twelve chapters.
type Chapter struct {
	Number   int        `yaml:"chapter" json:"chapter"`
	Title    Text       `yaml:"title" json:"title"`
	Sections []*Section `yaml:"sections" json:"sections"`

	// File is where the chapter was read from, for messages.
	File string `yaml:"-" json:"-"`

	data []byte // the file, kept until validation passes, to locate problems
}

// Section is a numbered section （１）, （２）, … of a chapter.
type Section struct {
	Number    int         `yaml:"number" json:"number"`
	Title     Text        `yaml:"title" json:"title"`
	Questions []*Question `yaml:"questions" json:"questions"`
}

// Question is one 〔設問〕 with its answer blocks.
type Question struct {
	ID            string         `yaml:"id" json:"id"`
	Number        int            `yaml:"number" json:"number"`
	Kind          Kind           `yaml:"kind" json:"kind"`
	Probes        []string       `yaml:"probes,omitempty" json:"probes,omitempty"`
	Heading       Text           `yaml:"heading" json:"heading"`
	Text          Text           `yaml:"text,omitempty" json:"text,omitzero"`
	Condition     *Condition     `yaml:"condition,omitempty" json:"condition,omitempty"`
	ControlPoints []ControlPoint `yaml:"control_points,omitempty" json:"control_points,omitempty"`
	Blocks        []*Block       `yaml:"blocks" json:"blocks"`
	Notes         []string       `yaml:"notes,omitempty" json:"notes,omitempty"`

	// Chapter and Section locate the question; the loader fills them in.
	Chapter *Chapter `yaml:"-" json:"-"`
	Section *Section `yaml:"-" json:"-"`
	// Line is the question's line in its chapter file, for messages.
	Line int `yaml:"-" json:"-"`
}

// ControlPoint is one item of the seed's checklist for a question: an "l …" bullet or an item
// of a （参考） list.
type ControlPoint struct {
	ID        string `yaml:"id" json:"id"`
	JA        string `yaml:"ja" json:"ja"`
	EN        string `yaml:"en" json:"en"`
	Reference bool   `yaml:"reference,omitempty" json:"reference,omitempty"`
}

// Text returns the control point's text in lang.
func (c ControlPoint) Text() Text { return Text{JA: c.JA, EN: c.EN} }

// Block is one answer block 【…】 of a question.
type Block struct {
	ID        string     `yaml:"id" json:"id"`
	Label     Text       `yaml:"label" json:"label"`
	Type      BlockType  `yaml:"type" json:"type"`
	Condition *Condition `yaml:"condition,omitempty" json:"condition,omitempty"`
	Scale     []Step     `yaml:"scale,omitempty" json:"scale,omitempty"`
	Choices   []Choice   `yaml:"choices,omitempty" json:"choices,omitempty"`
}

// Step is one step of a rating block's scale, such as 大 (high).
type Step struct {
	Key string `yaml:"key" json:"key"`
	JA  string `yaml:"ja" json:"ja"`
	EN  string `yaml:"en" json:"en"`
}

// Choice is one choice (or, in a rating block, one item) of a block.
type Choice struct {
	Key      string `yaml:"key" json:"key"`
	JA       string `yaml:"ja" json:"ja"`
	EN       string `yaml:"en" json:"en"`
	FreeText bool   `yaml:"free_text,omitempty" json:"free_text,omitempty"`
	// SkipTo, when the choice is chosen, skips every question after this one and before the
	// target: a chapter "8", a section "8-4" or a question "8-4-1".
	SkipTo string `yaml:"skip_to,omitempty" json:"skip_to,omitempty"`
}

// Text returns the choice's text.
func (c Choice) Text() Text { return Text{JA: c.JA, EN: c.EN} }

// Condition says when a question or block is asked: every term of All holds, or some term of
// Any holds.
type Condition struct {
	Text Text   `yaml:"text" json:"text"`
	All  []Term `yaml:"all,omitempty" json:"all,omitempty"`
	Any  []Term `yaml:"any,omitempty" json:"any,omitempty"`
}

// Term is one test on an earlier answer: one of AnyOf is chosen, or none of NoneOf is.
type Term struct {
	Question string   `yaml:"question" json:"question"`
	Block    string   `yaml:"block" json:"block"`
	AnyOf    []string `yaml:"any_of,omitempty" json:"any_of,omitempty"`
	NoneOf   []string `yaml:"none_of,omitempty" json:"none_of,omitempty"`
}

// Question returns the question with the given ID, or nil.
func (c *Catalog) Question(id string) *Question { return c.byID[id] }

// Questions returns every question in questionnaire order.
func (c *Catalog) Questions() []*Question { return c.order }

// Block returns the question's block with the given ID, or nil.
func (q *Question) Block(id string) *Block {
	for _, b := range q.Blocks {
		if b.ID == id {
			return b
		}
	}
	return nil
}

// Choice returns the block's choice with the given key, or nil.
func (b *Block) Choice(key string) *Choice {
	for i := range b.Choices {
		if b.Choices[i].Key == key {
			return &b.Choices[i]
		}
	}
	return nil
}

// Step returns the rating block's scale step with the given key, or nil.
func (b *Block) Step(key string) *Step {
	for i := range b.Scale {
		if b.Scale[i].Key == key {
			return &b.Scale[i]
		}
	}
	return nil
}
