package main

import (
	"encoding/json"
	"io"
	"os"
	"slices"
	"strconv"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"ecscan/mapping"
	"ecscan/report"
)

// questionnaireOptions are the flags of `ecscan questionnaire`.
type questionnaireOptions struct {
	format  string
	lang    string
	kind    string
	id      string
	chapter int
}

func (a *app) questionnaireCommand() *cobra.Command {
	var o questionnaireOptions
	cmd := &cobra.Command{
		Use:   "questionnaire",
		Short: "Show the ECOM questionnaire: chapters, questions, answer blocks, conditions and control points",
		Long: `Show the ECOM self-assessment questionnaire as ecscan knows it.

Without --id, a table of every question with its kind (technical, partial, management) and the
probes that bear on it. With --id, one question in full: its text, control points, answer blocks
with their choices, and the conditions under which it is asked.`,
		Example: `  ecscan questionnaire
  ecscan questionnaire --kind technical --lang en
  ecscan questionnaire --id 9-3-2
  ecscan questionnaire --format json > catalog.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runQuestionnaire(o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.format, "format", "table", "output format: table, json, yaml or markdown")
	f.StringVar(&o.lang, "lang", "ja", "language of table and markdown output: ja or en")
	f.StringVar(&o.kind, "kind", "", "only questions of this kind: technical, partial or management")
	f.StringVar(&o.id, "id", "", "one question, by ID (e.g. 9-3-2)")
	f.IntVar(&o.chapter, "chapter", 0, "only questions of this chapter (1-12)")
	return cmd
}

func (a *app) runQuestionnaire(o questionnaireOptions) error {
	if err := checkLang(o.lang); err != nil {
		return err
	}
	if !slices.Contains([]string{"table", "json", "yaml", "markdown"}, o.format) {
		return usagef("--format %q: use table, json, yaml or markdown", o.format)
	}
	if o.kind != "" && !slices.Contains(mapping.Kinds, mapping.Kind(o.kind)) {
		return usagef("--kind %q: use technical, partial or management", o.kind)
	}
	c, err := a.loadCatalog()
	if err != nil {
		return err
	}
	if o.id != "" {
		q := c.Question(o.id)
		if q == nil {
			return usagef("--id %q: no such question (IDs look like 9-3-2)", o.id)
		}
		rules, err := mapping.DefaultRules(c)
		if err != nil {
			return err
		}
		return writeQuestion(a.stdout, q, rules.Question(q.ID), o)
	}
	if o.chapter != 0 && !slices.ContainsFunc(c.Chapters, func(ch *mapping.Chapter) bool { return ch.Number == o.chapter }) {
		return usagef("--chapter %d: no such chapter", o.chapter)
	}
	qs := filterQuestions(c, o)
	switch o.format {
	case "json":
		return writeJSON(a.stdout, questionViews(qs))
	case "yaml":
		return writeYAML(a.stdout, questionViews(qs))
	case "markdown":
		return report.WriteQuestionnaireMarkdown(a.stdout, qs, o.lang)
	}
	return report.WriteQuestionTable(a.stdout, qs, o.lang, terminalColumns(a.stdout))
}

// filterQuestions returns the questions selected by --kind and --chapter.
func filterQuestions(c *mapping.Catalog, o questionnaireOptions) []*mapping.Question {
	var out []*mapping.Question
	for _, q := range c.Questions() {
		if o.kind != "" && string(q.Kind) != o.kind {
			continue
		}
		if o.chapter != 0 && q.Chapter.Number != o.chapter {
			continue
		}
		out = append(out, q)
	}
	return out
}

// questionView is a question with its chapter and section, as JSON and YAML show it.
type questionView struct {
	Chapter  headingView       `json:"chapter" yaml:"chapter"`
	Section  headingView       `json:"section" yaml:"section"`
	Question *mapping.Question `json:"question" yaml:"question"`
}

type headingView struct {
	Number int          `json:"number" yaml:"number"`
	Title  mapping.Text `json:"title" yaml:"title"`
}

func viewOf(q *mapping.Question) questionView {
	return questionView{
		Chapter:  headingView{Number: q.Chapter.Number, Title: q.Chapter.Title},
		Section:  headingView{Number: q.Section.Number, Title: q.Section.Title},
		Question: q,
	}
}

func questionViews(qs []*mapping.Question) []questionView {
	out := make([]questionView, 0, len(qs))
	for _, q := range qs {
		out = append(out, viewOf(q))
	}
	return out
}

func writeQuestion(w io.Writer, q *mapping.Question, rules *mapping.QuestionRule, o questionnaireOptions) error {
	switch o.format {
	case "json":
		return writeJSON(w, viewOf(q))
	case "yaml":
		return writeYAML(w, viewOf(q))
	case "markdown":
		return report.WriteQuestionnaireMarkdown(w, []*mapping.Question{q}, o.lang)
	}
	return report.WriteQuestionDetail(w, q, rules, o.lang)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func writeYAML(w io.Writer, v any) error {
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return err
	}
	return enc.Close()
}

// terminalColumns returns the width to fit table rows to when w is a terminal (from
// $COLUMNS, or 120), and 0 (no limit) otherwise.
func terminalColumns(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok {
		return 0
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return 0
	}
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 40 {
		return n
	}
	return 120
}
