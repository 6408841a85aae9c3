// Package checks holds the domain types every check shares — hosts, services, results,
// statuses, findings and evidence — and the runner that drives the checks under bounded
// concurrency and rate. Each protocol's check lives in its own package below this one
// (checks/dns, checks/ports, …) and splits network observation from a pure evaluation.
package checks

import (
	"net/netip"
	"strconv"
	"time"
)

// Text is a string in Japanese and English.
type Text struct {
	JA string `yaml:"ja" json:"ja"`
	EN string `yaml:"en" json:"en"`
}

// In returns the text in lang ("ja" or "en"), falling back to the other language when the
// requested one is empty.
func (t Text) In(lang string) string {
	if lang == "en" && t.EN != "" || t.JA == "" {
		return t.EN
	}
	return t.JA
}

// T builds a Text.
func T(ja, en string) Text { return Text{JA: ja, EN: en} }

// Host is a host name (or bare address) found from the targets, with its addresses and the
// scope decision.
type Host struct {
	Name    string       `json:"name"`
	Addrs   []netip.Addr `json:"addrs"`
	Sources []string     `json:"sources"` // how it was found: "argument", "apex", "www", "mx", "ns", "config"
	InScope bool         `json:"in_scope"`
	Reason  string       `json:"reason"` // why it is in or out of scope
}

// Target is one address of an in-scope host: what a check connects to.
type Target struct {
	Host string     `json:"host"` // the name used for SNI, Host headers and reports
	Addr netip.Addr `json:"addr"`
}

// String returns "host (addr)" or just the address when the host is the address.
func (t Target) String() string {
	if t.Host == "" || t.Host == t.Addr.String() {
		return t.Addr.String()
	}
	return t.Host + " (" + t.Addr.String() + ")"
}

// Service is one entry of the service map: what speaks on a host's TCP port.
type Service struct {
	Host     string     `json:"host"`
	Addr     netip.Addr `json:"addr"`
	Port     int        `json:"port"`
	Protocol string     `json:"protocol"`           // "http", "smtp", "ssh", …, or "unknown"
	TLS      bool       `json:"tls"`                // TLS from the first byte (https, smtps, imaps, …)
	StartTLS bool       `json:"starttls,omitempty"` // the protocol offers an upgrade to TLS
	Product  string     `json:"product,omitempty"`
	Version  string     `json:"version,omitempty"`
	Banner   string     `json:"banner,omitempty"` // the first line(s) the server sent, bounded
}

// AddrPort returns the service's address and port.
func (s Service) AddrPort() netip.AddrPort { return netip.AddrPortFrom(s.Addr, uint16(s.Port)) }

// Outcome is what a finding says about its control: it failed, it held, or it is a fact.
type Outcome string

// The outcomes.
const (
	Fail Outcome = "fail" // the control does not hold: something to fix
	Pass Outcome = "pass" // the control was tested and holds: evidence for a good answer
	Info Outcome = "info" // an observation that is neither (a service found, a version)
)

// Finding is one thing a check established about a target. Its identity, stable across
// runs, is (ID, Host, Port, Subject).
type Finding struct {
	ID       string   `json:"id"`    // stable, e.g. "ports.telnet", "dns.axfr"
	Check    string   `json:"check"` // the check that made it
	Host     string   `json:"host,omitempty"`
	Addr     string   `json:"addr,omitempty"`
	Port     int      `json:"port,omitempty"`
	Subject  string   `json:"subject,omitempty"` // what inside the target: a record, a path, a user
	Outcome  Outcome  `json:"outcome"`
	Severity Severity `json:"severity"`
	Title    Text     `json:"title"`
	Detail   Text     `json:"detail,omitzero"`
	// Evidence lists the IDs of the evidence items that show it.
	Evidence []string `json:"evidence,omitempty"`
}

// Key returns the finding's stable identity.
func (f Finding) Key() string {
	return f.ID + "|" + f.Host + "|" + strconv.Itoa(f.Port) + "|" + f.Subject
}

// Evidence is one recorded exchange or artefact: a transcript, a DNS answer, a banner, a
// certificate chain. Its data comes from the target and is untrusted.
type Evidence struct {
	ID     string    `json:"id"`
	Kind   string    `json:"kind"` // "transcript", "dns", "banner", "certificate", "http", "scan"
	Target string    `json:"target"`
	Time   time.Time `json:"time"`
	Title  string    `json:"title"`
	Data   string    `json:"data"`
}

// Result is the outcome of one check on one target (or, for a check of the whole domain, on
// the domain). A network failure is recorded in Status, never returned as an error.
type Result struct {
	Check    string     `json:"check"`
	Target   string     `json:"target"` // host, host:port or domain
	Addr     string     `json:"addr,omitempty"`
	Port     int        `json:"port,omitempty"`
	Status   Status     `json:"status"`
	Error    string     `json:"error,omitempty"`
	Started  time.Time  `json:"started"`
	Ended    time.Time  `json:"ended"`
	Findings []Finding  `json:"findings,omitempty"`
	Evidence []Evidence `json:"evidence,omitempty"`
	// Services are the entries this result adds to the service map.
	Services []Service `json:"services,omitempty"`
	// Data is the check's typed observation, for the JSON report.
	Data any `json:"data,omitempty"`
}
