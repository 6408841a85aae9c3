package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/spf13/cobra"

	"ecscan/checks"
	"ecscan/mapping"
	"ecscan/report"
	"ecscan/report/diff"
	"ecscan/report/state"
)

// Exit codes of scheduled scans (docs/scheduling.md).
const (
	exitLocked     = 4 // another run holds the state directory's lock
	exitRegression = 5 // new failures at or above --fail-on-new since the previous run
)

// stateRun is a scan's use of the state directory: its lock, the earlier runs, and the diff
// against the last complete one.
type stateRun struct {
	dir      *state.Dir
	unlock   func() error
	baseline *report.Report
	history  *diff.History
	diff     *diff.Diff
}

// openState opens and locks the state directory before any probe is sent. A held lock is
// exit code 4.
func openState(cfg *scanConfig) (*stateRun, error) {
	if cfg.State == "" {
		return nil, nil
	}
	d, err := state.Open(cfg.State, cfg.Keep)
	if err != nil {
		return nil, usagef("--state: %w", err)
	}
	unlock, err := d.Lock()
	if errors.Is(err, state.ErrLocked) {
		return nil, scanOutcome{exitLocked, err.Error()}
	}
	if err != nil {
		return nil, scanOutcome{exitFailed, fmt.Sprintf("--state: %v", err)}
	}
	return &stateRun{dir: d, unlock: unlock}, nil
}

// loadHistory reads the earlier runs: the baseline to compare with and the history of
// failures across every kept run and the current one.
func (s *stateRun) loadHistory(current *report.Report) {
	entries, _ := s.dir.Runs()
	var runs []diff.Run
	for _, e := range entries {
		if rep, err := e.Report(); err == nil {
			runs = append(runs, diff.Run{ID: e.ID, Report: rep})
		}
	}
	if b, err := s.dir.Baseline(); err == nil && b != nil {
		s.baseline, _ = b.Report()
	}
	runs = append(runs, diff.Run{ID: "current", Report: current})
	s.history = diff.BuildHistoryRuns(runs)
}

// summary turns the history into what the answer rules read.
func (s *stateRun) summary() *mapping.HistorySummary {
	if s == nil || s.history == nil {
		return nil
	}
	h := s.history
	sum := &mapping.HistorySummary{Runs: len(h.Runs), MedianInterval: h.MedianInterval, Fixed: h.Fixed, Open: h.Open, Source: s.dir.Path()}
	if n := len(h.Runs); n > 1 {
		sum.Span = h.Runs[n-1].Sub(h.Runs[0])
	}
	med, _, n := h.TimeToFix(checks.SevHigh)
	if n == 0 {
		med, _, n = h.TimeToFix(checks.SevMedium)
	}
	sum.MedianTimeToFix, sum.FixesMeasured = med, n
	sum.OldestOpen, _ = h.OldestOpen(checks.SevMedium)
	return sum
}

// save stores the run's report, the other formats and the diff as a new state entry.
func (s *stateRun) save(rep *report.Report, cfg *scanConfig, o report.Options) error {
	files := map[string][]byte{}
	for _, f := range cfg.Formats {
		w, _ := reportWriter(f)
		if w.File() == state.ReportFile {
			continue
		}
		var b bytes.Buffer
		if err := w.Write(&b, rep, o); err != nil {
			return err
		}
		files[w.File()] = b.Bytes()
	}
	if s.diff != nil {
		var b bytes.Buffer
		if err := s.diff.WriteJSON(&b); err != nil {
			return err
		}
		files["diff.json"] = b.Bytes()
	}
	_, err := s.dir.Save(rep, files)
	return err
}

// writeDiff prints the diff in format (text, md, json); unless always, only when there is
// one.
func writeDiff(w io.Writer, d *diff.Diff, format, lang string, always bool) error {
	if d == nil || format == "" || d.Empty() && !always {
		return nil
	}
	switch format {
	case "json":
		return d.WriteJSON(w)
	case "md":
		return d.WriteMarkdown(w, lang)
	}
	return d.WriteText(w, lang)
}

func (a *app) diffCommand() *cobra.Command {
	var format, lang, failOnNew string
	cmd := &cobra.Command{
		Use:   "diff [flags] OLD NEW",
		Short: "Show what changed between two scans (report.json files or state entries)",
		Long: `Compare two reports: new and resolved findings (matched by check, host, port and
subject, so cosmetic changes are not reported), changed answers, new hosts and ports,
certificates nearing expiry. Exit code: 0 no change, 1 changes, 2 usage, 3 a report could
not be read, 5 a new failure at or above --fail-on-new.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkLang(lang); err != nil {
				return err
			}
			if !slices.Contains([]string{"text", "md", "json"}, format) {
				return usagef("--format %q: use text, md or json", format)
			}
			var min *checks.Severity
			if failOnNew != "" {
				s, err := checks.ParseSeverity(failOnNew)
				if err != nil {
					return usagef("--fail-on-new: %w", err)
				}
				min = &s
			}
			d, err := diff.CompareFiles(args[0], args[1])
			if err != nil {
				return scanOutcome{exitFailed, err.Error()}
			}
			if err := writeDiff(a.stdout, d, format, lang, true); err != nil {
				return err
			}
			switch {
			case min != nil && d.Worse(*min):
				return scanOutcome{exitRegression, fmt.Sprintf("new failures at or above %s", min)}
			case !d.Empty():
				return scanOutcome{exitFindings, ""}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, md or json")
	cmd.Flags().StringVar(&lang, "lang", "ja", "language: ja or en")
	cmd.Flags().StringVar(&failOnNew, "fail-on-new", "", "exit 5 when a new failure is at or above this severity")
	return cmd
}
