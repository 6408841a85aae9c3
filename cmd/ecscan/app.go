package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"ecscan/mapping"
	"ecscan/report"
)

// Exit codes, documented in the README.
const (
	exitOK       = 0 // the command did its job
	exitFindings = 1 // findings at or above --fail-on
	exitUsage    = 2 // bad input from the user: flags, config, catalog, answers file
	exitFailed   = 3 // the command could not run
)

// usageError marks an error caused by the user's input; it exits with code 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// app is the state shared by ecscan's commands: one viper instance (flags > env > config
// file), the output streams, and the catalog once loaded.
type app struct {
	v       *viper.Viper
	stdout  io.Writer
	stderr  io.Writer
	catalog *mapping.Catalog
}

// run builds the command tree, runs the command named by args and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	a := &app{v: viper.New(), stdout: stdout, stderr: stderr}
	a.v.SetEnvPrefix("ECSCAN")
	a.v.SetEnvKeyReplacer(strings.NewReplacer("-", "_"))
	a.v.AutomaticEnv()
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	if err.Error() != "" {
		fmt.Fprintf(stderr, "ecscan: %s\n", report.Terminal(err.Error()))
	}
	if code, ok := isScanOutcome(err); ok {
		return code
	}
	var ue usageError
	var ce mapping.CatalogErrors
	switch {
	case errors.As(err, &ue), errors.As(err, &ce), isCobraUsage(err):
		return exitUsage
	}
	return exitFailed
}

// isCobraUsage reports whether err is one of cobra's own flag or argument errors.
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "invalid argument", "flag needs an argument", "accepts ", "requires at least", "requires at most", "bad flag syntax"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "ecscan",
		Short:         "Scan an online shop's public surface and fill in the ECOM security self-assessment",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().String("catalog", "", "questionnaire catalog to use instead of the built-in one (a chapter file or a directory of them)")
	_ = a.v.BindPFlag("catalog", root.PersistentFlags().Lookup("catalog"))
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(a.scanCommand(), a.diffCommand(), a.evidenceCommand(), a.questionnaireCommand(), a.answersCommand(), a.demoCommand(), a.versionCommand())
	return root
}

// loadCatalog loads the catalog named by --catalog, or the built-in one.
func (a *app) loadCatalog() (*mapping.Catalog, error) {
	if a.catalog != nil {
		return a.catalog, nil
	}
	var err error
	if p := a.v.GetString("catalog"); p != "" {
		a.catalog, err = mapping.LoadPath(p)
		if err != nil {
			var ce mapping.CatalogErrors
			if !errors.As(err, &ce) {
				err = usageError{err}
			}
		}
	} else {
		a.catalog, err = mapping.DefaultCatalog()
	}
	return a.catalog, err
}

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print ecscan's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(a.stdout, "ecscan", version)
			return err
		},
	}
}

// checkLang validates a --lang value.
func checkLang(lang string) error {
	if lang != "ja" && lang != "en" {
		return usagef("--lang %q: use ja or en", lang)
	}
	return nil
}

func (a *app) evidenceCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "evidence", Short: "Work with evidence packs"}
	cmd.AddCommand(&cobra.Command{
		Use:   "verify DIR|ZIP",
		Short: "Check an evidence pack against its manifest: names every changed, missing or extra file",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			problems, err := report.VerifyEvidencePack(args[0])
			if err != nil {
				return usagef("%s: %w", args[0], err)
			}
			for _, p := range problems {
				fmt.Fprintln(a.stdout, report.Terminal(p))
			}
			if len(problems) > 0 {
				return scanOutcome{exitFindings, fmt.Sprintf("%s: %d problems: the pack does not match its manifest", args[0], len(problems))}
			}
			_, err = fmt.Fprintf(a.stdout, "%s: every file matches the manifest\n", args[0])
			return err
		},
	})
	return cmd
}
