package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"time"

	"ecscan/checks"
	"ecscan/mapping"
)

// SchemaVersion is the version of report.json's schema (docs/report.md and docs/report.schema.json). It changes
// when a field is removed or changes meaning; added fields keep it.
const SchemaVersion = 1

// Report is everything one scan established: report.json is this structure.
type Report struct {
	Schema        string                   `json:"schema"`
	SchemaVersion int                      `json:"schema_version"`
	Scanner       Scanner                  `json:"scanner"`
	Started       time.Time                `json:"started"`
	Ended         time.Time                `json:"ended"`
	Interrupted   bool                     `json:"interrupted"`
	SourceAddress []string                 `json:"source_address"`
	Config        map[string]any           `json:"config"`
	Targets       []string                 `json:"targets"`
	Domains       []string                 `json:"domains"`
	Hosts         []checks.Host            `json:"hosts"`
	Services      []checks.Service         `json:"services"`
	Results       []checks.Result          `json:"results"`
	Findings      []checks.Finding         `json:"findings"`
	Answers       []mapping.QuestionAnswer `json:"answers"`
	CheckErrors   map[string]string        `json:"check_errors,omitempty"`
	// Diff is what changed since the previous run of a scheduled scan (a *diff.Diff).
	Diff    any     `json:"diff,omitempty"`
	Summary Summary `json:"summary"`
}

// Scanner names the program that wrote the report.
type Scanner struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Summary counts what the report holds.
type Summary struct {
	HostsInScope    int            `json:"hosts_in_scope"`
	HostsOutOfScope int            `json:"hosts_out_of_scope"`
	OpenPorts       int            `json:"open_ports"`
	Failures        map[string]int `json:"failures"` // by severity name
	Passes          int            `json:"passes"`
	Questions       int            `json:"questions"`
	Answered        map[string]int `json:"answered"` // questions by source of their first block's answer
}

// Build assembles a report from a run and the answers. Findings are flattened from the
// results and sorted: failures by severity, then passes and facts.
func Build(r *checks.Run, answers []mapping.QuestionAnswer) *Report {
	rep := &Report{
		Schema:        "ecscan.report",
		SchemaVersion: SchemaVersion,
		Started:       r.Started,
		Ended:         r.Ended,
		Interrupted:   r.Interrupted,
		Services:      r.Services,
		Results:       r.Results,
		Answers:       answers,
		CheckErrors:   r.Errors,
	}
	for _, res := range r.Results {
		rep.Findings = append(rep.Findings, res.Findings...)
	}
	SortFindings(rep.Findings)
	return rep
}

// SortFindings orders findings: failures first by descending severity, then facts, then
// passes; within each, by host, port and ID.
func SortFindings(fs []checks.Finding) {
	rank := map[checks.Outcome]int{checks.Fail: 0, checks.Info: 1, checks.Pass: 2}
	slices.SortStableFunc(fs, func(a, b checks.Finding) int {
		return cmp.Or(
			cmp.Compare(rank[a.Outcome], rank[b.Outcome]),
			cmp.Compare(b.Severity, a.Severity),
			cmp.Compare(a.Host, b.Host),
			cmp.Compare(a.Port, b.Port),
			cmp.Compare(a.ID, b.ID),
			cmp.Compare(a.Subject, b.Subject),
		)
	})
}

// Summarize fills in the summary from the report's contents.
func (r *Report) Summarize() {
	s := Summary{Failures: map[string]int{}, Answered: map[string]int{}}
	for _, h := range r.Hosts {
		if h.InScope {
			s.HostsInScope++
		} else {
			s.HostsOutOfScope++
		}
	}
	s.OpenPorts = len(r.Services)
	for _, f := range r.Findings {
		switch f.Outcome {
		case checks.Fail:
			s.Failures[f.Severity.String()]++
		case checks.Pass:
			s.Passes++
		}
	}
	for _, qa := range r.Answers {
		s.Questions++
		s.Answered[string(QuestionSource(qa))]++
	}
	r.Summary = s
}

// QuestionSource sums up where a question's answers came from: not applicable, the scan,
// the operator (overriding the scan or not), or still open when any asked block is open.
func QuestionSource(qa mapping.QuestionAnswer) mapping.Source {
	if qa.Reason != nil {
		return mapping.NotApplicable
	}
	src := mapping.NotApplicable
	for _, b := range qa.Blocks {
		switch b.Source {
		case mapping.Open:
			return mapping.Open
		case mapping.OperatorOverride:
			src = mapping.OperatorOverride
		case mapping.FromOperator:
			if src != mapping.OperatorOverride {
				src = mapping.FromOperator
			}
		case mapping.FromScan:
			if src == mapping.NotApplicable {
				src = mapping.FromScan
			}
		}
	}
	return src
}

// MaxFailure returns the highest severity among failed findings, and whether there is one.
func (r *Report) MaxFailure() (checks.Severity, bool) {
	var max checks.Severity
	found := false
	for _, f := range r.Findings {
		if f.Outcome == checks.Fail && (!found || f.Severity > max) {
			max, found = f.Severity, true
		}
	}
	return max, found
}

// Options are what the writers need besides the report.
type Options struct {
	Lang    string // "ja" or "en"
	Catalog *mapping.Catalog
}

// Writer writes a report in one format.
type Writer interface {
	// Format is the name given to --format, e.g. "json".
	Format() string
	// File is the file name the writer writes under the output directory.
	File() string
	Write(w io.Writer, r *Report, o Options) error
}

// Writers returns every writer, in --format order.
func Writers() []Writer {
	return []Writer{JSONWriter{}, MarkdownWriter{}, HTMLWriter{}, XLSXWriter{}, SARIFWriter{}}
}

// WriterFor returns the writer of a format.
func WriterFor(format string) (Writer, error) {
	for _, w := range Writers() {
		if w.Format() == format {
			return w, nil
		}
	}
	var names []string
	for _, w := range Writers() {
		names = append(names, w.Format())
	}
	return nil, fmt.Errorf("format %q: use one of %v", format, names)
}
