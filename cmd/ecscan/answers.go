package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"ecscan/mapping"
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
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.loadCatalog()
			if err != nil {
				return err
			}
			ans, err := mapping.LoadAnswers(args[0], c)
			if errs, ok := err.(mapping.AnswersErrors); ok {
				for _, e := range errs {
					fmt.Fprintln(a.stderr, e.Error())
				}
				return usagef("%s: %d problems", args[0], len(errs))
			}
			if err != nil {
				return usageError{err}
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
