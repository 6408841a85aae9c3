package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"ecscan/mapping"
	"ecscan/report"
)

func (a *app) answersCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "answers",
		Short: "Work with the operator's answers file",
	}
	cmd.AddCommand(a.answersInitCommand(), a.answersCheckCommand())
	return cmd
}

func (a *app) answersInitCommand() *cobra.Command {
	var lang, out string
	var force bool
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write an answers file to fill in: every question, its blocks and choices as comments",
		Example: `  ecscan answers init -o answers.yaml
  ecscan answers init --lang en -o answers.en.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkLang(lang); err != nil {
				return err
			}
			c, err := a.loadCatalog()
			if err != nil {
				return err
			}
			if out == "" || out == "-" {
				return mapping.WriteAnswersTemplate(a.stdout, c, lang)
			}
			return writeFileAtomic(out, force, func(w io.Writer) error {
				return mapping.WriteAnswersTemplate(w, c, lang)
			})
		},
	}
	cmd.Flags().StringVar(&lang, "lang", "ja", "language of the comments: ja or en")
	cmd.Flags().StringVarP(&out, "output", "o", "", "file to write (default: standard output)")
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing file")
	return cmd
}

func (a *app) answersCheckCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "check FILE",
		Short: "Validate an answers file against the questionnaire",
		Long: `Validate an answers file against the questionnaire catalog.

Errors, one line each as FILE:LINE: problem, exit with code 2:
  - a question or block ID the catalog does not have, a choice key or scale step the block
    does not have, two answers to a single-choice block, free text where no chosen choice
    takes it, a malformed date;
  - a management question answered in part: a block that applies is left empty (~) or
    missing, at the question's line.

Whether a question or block applies follows the questionnaire, from the file's own answers:
a chosen choice that skips ahead (e.g. 8-1-1 B) passes over the questions in between, a
condition that does not hold leaves a question or block out, and a condition on a block the
file leaves unanswered counts as holding.

Warning, exit code 0 when there is no error: the applicable management questions of which no
block is answered are still open; one line counts them. Technical and partial questions may
be left to the scan and are never required.`,
		Example: `  ecscan answers check answers.yaml`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.loadCatalog()
			if err != nil {
				return err
			}
			ans, err := mapping.LoadAnswers(args[0], c)
			if errs, ok := err.(mapping.AnswersErrors); ok {
				a.printAnswersErrors(errs)
				return usagef("%s: %d problems", args[0], len(errs))
			}
			if err != nil {
				return usageError{err}
			}
			comp := mapping.CheckCompleteness(ans, c)
			a.printAnswersErrors(comp.Incomplete)
			if n := len(comp.Open); n > 0 {
				fmt.Fprintf(a.stderr, "%s: warning: %d management questions still open (no block answered): %s\n", args[0], n, firstIDs(comp.Open, 5))
			}
			if len(comp.Incomplete) > 0 {
				return usagef("%s: %d problems", args[0], len(comp.Incomplete))
			}
			n := 0
			for _, blocks := range ans.Question {
				for _, b := range blocks {
					if !b.Empty() {
						n++
					}
				}
			}
			_, err = fmt.Fprintf(a.stdout, "%s: valid, %d blocks answered\n", args[0], n)
			return err
		},
	}
}

func (a *app) printAnswersErrors(errs mapping.AnswersErrors) {
	for _, e := range errs {
		fmt.Fprintln(a.stderr, report.Terminal(e.Error()))
	}
}

// firstIDs joins the first n IDs, with an ellipsis when there are more.
func firstIDs(ids []string, n int) string {
	if len(ids) <= n {
		return strings.Join(ids, ", ")
	}
	return strings.Join(ids[:n], ", ") + ", …"
}

// writeFileAtomic writes a file through a temporary file in the same directory and a rename,
// so that a reader never sees it half-written. It refuses to replace a file unless force.
func writeFileAtomic(path string, force bool, write func(io.Writer) error) error {
	if _, err := os.Stat(path); err == nil && !force {
		return usagef("%s exists (use --force to overwrite)", path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return usageError{err}
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
