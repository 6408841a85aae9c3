// Package diff compares two reports of the same shop — usually the last run kept in the
// state directory and the run that just ended — and builds the history of failures over
// every kept run.
//
// Compare matches findings by their stable identity, Finding.Key() (ID, host, port,
// subject): a finding whose title, detail or evidence changed but whose identity did not is
// the same finding, not one resolved and one new. Only failures are compared: a failure
// that appeared is new, one that is no longer reported is resolved, and one whose outcome or
// severity changed (medium → high, fail → pass) is changed, worse or better. Beside the
// findings, Compare lists the questionnaire answers that changed, the hosts and open ports
// that appeared or went away, the services whose product or version changed, the TLS
// certificates that expire or crossed an expiry threshold since the old run, and the ones
// that were replaced (another serial, issuer, subject or validity on the same endpoint).
//
// BuildHistory follows each failure through all the runs: when it was first and last seen,
// when it was resolved, and from that how often the scans run and how long fixes take — the
// evidence for the questions on inspection frequency (3-3-1) and on time to fix (3-4-1,
// 10-4-6), and on whether diagnosis results are used (10-4-2).
//
// Every string in a Diff may come from a scanned server: the text and Markdown writers
// escape it with report.Terminal and report.Markdown.
package diff

import (
	"time"

	"ecscan/checks"
	"ecscan/mapping"
	"ecscan/report"
)

// Schema names diff.json; SchemaVersion changes when a field is removed or changes meaning.
const (
	Schema        = "ecscan.diff"
	SchemaVersion = 1
)

// Diff is what changed between two reports.
type Diff struct {
	Schema        string `json:"schema"`
	SchemaVersion int    `json:"schema_version"`
	Old           RunRef `json:"old"`
	New           RunRef `json:"new"`

	// NewFindings failed in New and had no finding of the same key in Old; ResolvedFindings
	// failed in Old and have no finding of the same key in New (the Old finding).
	NewFindings      []checks.Finding `json:"new_findings"`
	ResolvedFindings []checks.Finding `json:"resolved_findings"`
	// ChangedFindings have the same key in both, a failure on at least one side, and another
	// outcome or severity.
	ChangedFindings []Change        `json:"changed_findings"`
	ChangedAnswers  []AnswerChange  `json:"changed_answers"`
	NewHosts        []string        `json:"new_hosts"`
	GoneHosts       []string        `json:"gone_hosts"`
	ChangedHosts    []HostChange    `json:"changed_hosts"`
	NewPorts        []string        `json:"new_ports"`    // "host:port/tcp"
	ClosedPorts     []string        `json:"closed_ports"` // "host:port/tcp"
	ChangedServices []ServiceChange `json:"changed_services"`
	CertExpiring    []CertNote      `json:"cert_expiring"`
	ChangedCerts    []CertChange    `json:"changed_certs"`
}

// RunRef names one side of a diff. Compare fills in what the report holds; the caller adds
// the state entry's ID and path.
type RunRef struct {
	ID          string    `json:"id,omitempty"`
	Path        string    `json:"path,omitempty"`
	Started     time.Time `json:"started,omitzero"`
	Ended       time.Time `json:"ended,omitzero"`
	Interrupted bool      `json:"interrupted,omitempty"`
}

// Change is a finding whose outcome or severity changed.
type Change struct {
	Key   string         `json:"key"`
	Old   checks.Finding `json:"old"`
	New   checks.Finding `json:"new"`
	Worse bool           `json:"worse"` // false: better
}

// AnswerChange is a questionnaire block whose answer changed.
type AnswerChange struct {
	Question string      `json:"question"`
	Block    string      `json:"block"`
	Old      AnswerState `json:"old"`
	New      AnswerState `json:"new"`
}

// AnswerState is what a block's answer was in one report. Source is empty when the
// block was not in that report (the catalog changed).
type AnswerState struct {
	Source  mapping.Source    `json:"source,omitempty"`
	Choices []string          `json:"choices,omitempty"`
	Ratings map[string]string `json:"ratings,omitempty"`
	Text    string            `json:"text,omitempty"`
	Stale   bool              `json:"stale,omitempty"`
}

// HostChange is a host found in both reports whose addresses or scope changed.
type HostChange struct {
	Name       string   `json:"name"`
	OldAddrs   []string `json:"old_addrs"`
	NewAddrs   []string `json:"new_addrs"`
	OldInScope bool     `json:"old_in_scope"`
	NewInScope bool     `json:"new_in_scope"`
}

// ServiceChange is an open port in both reports whose service (protocol, product, version,
// TLS) changed.
type ServiceChange struct {
	Port string `json:"port"` // "host:port/tcp"
	Old  string `json:"old"`
	New  string `json:"new"`
}

// Options tune Compare.
type Options struct {
	// CertThresholds are the numbers of days left at which a certificate is noted when it
	// crosses one between the runs (default 30, 14, 7).
	CertThresholds []int
}

// DefaultCertThresholds are the expiry thresholds Compare uses.
var DefaultCertThresholds = []int{30, 14, 7}

// Compare compares old (nil: a first run, everything is new) with new.
func Compare(old, new *report.Report) *Diff {
	return CompareWith(old, new, Options{})
}

// CompareWith compares old with new under o.
func CompareWith(old, new *report.Report, o Options) *Diff {
	if old == nil {
		old = &report.Report{}
	}
	if new == nil {
		new = &report.Report{}
	}
	if o.CertThresholds == nil {
		o.CertThresholds = DefaultCertThresholds
	}
	d := &Diff{Schema: Schema, SchemaVersion: SchemaVersion, Old: refOf(old), New: refOf(new)}
	d.compareFindings(old.Findings, new.Findings)
	d.ChangedAnswers = compareAnswers(old.Answers, new.Answers)
	d.compareHosts(old.Hosts, new.Hosts)
	d.compareServices(old.Services, new.Services)
	ol, nl := leaves(old), leaves(new)
	d.CertExpiring = certNotes(old, new, ol, nl, o.CertThresholds)
	d.ChangedCerts = certChanges(ol, nl)
	return d
}

func refOf(r *report.Report) RunRef {
	return RunRef{Started: r.Started, Ended: r.Ended, Interrupted: r.Interrupted}
}

// Empty reports whether nothing changed.
func (d *Diff) Empty() bool {
	return len(d.NewFindings)+len(d.ResolvedFindings)+len(d.ChangedFindings)+len(d.ChangedAnswers)+
		len(d.NewHosts)+len(d.GoneHosts)+len(d.ChangedHosts)+len(d.NewPorts)+len(d.ClosedPorts)+
		len(d.ChangedServices)+len(d.CertExpiring)+len(d.ChangedCerts) == 0
}

// Worse reports whether a failure at or above min is new, or a finding got worse and now
// fails at or above min: what --fail-on-new acts on.
func (d *Diff) Worse(min checks.Severity) bool {
	for _, f := range d.NewFindings {
		if f.Severity >= min {
			return true
		}
	}
	for _, c := range d.ChangedFindings {
		if c.Worse && c.New.Outcome == checks.Fail && c.New.Severity >= min {
			return true
		}
	}
	return false
}
