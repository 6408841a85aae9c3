package report

import (
	"encoding/json"
	"fmt"
	"io"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"ecscan/checks"
)

// SARIFWriter writes report.sarif: the failed findings as a SARIF 2.1.0 log, for code-scanning
// dashboards and SARIF viewers. One run; the tool's rules are the IDs of the failed findings,
// each with the level of its highest severity (critical and high: error, medium: warning,
// low and info: note); each result names its host and port as a URI and a logical location,
// carries the finding's stable key as a partial fingerprint, and lists its evidence IDs.
// Strings from servers are JSON strings (data only, HTML-significant characters escaped).
type SARIFWriter struct{}

// Format returns "sarif".
func (SARIFWriter) Format() string { return "sarif" }

// File returns "report.sarif".
func (SARIFWriter) File() string { return "report.sarif" }

// SARIFSchema is the URI of the SARIF 2.1.0 schema that report.sarif names. It is never
// fetched.
const SARIFSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// FingerprintKey names the partial fingerprint that holds a finding's Key().
const FingerprintKey = "ecscanFindingKey/v1"

type sarifLog struct {
	Version string     `json:"version"`
	Schema  string     `json:"$schema"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	Language    string            `json:"language"`
	Results     []sarifResult     `json:"results"`
	Properties  map[string]any    `json:"properties,omitempty"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name    string      `json:"name"`
	Version string      `json:"version,omitempty"`
	Rules   []sarifRule `json:"rules"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID                   string             `json:"id"`
	ShortDescription     sarifMessage       `json:"shortDescription"`
	DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
	Properties           map[string]any     `json:"properties,omitempty"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

type sarifInvocation struct {
	ExecutionSuccessful bool   `json:"executionSuccessful"`
	StartTimeUTC        string `json:"startTimeUtc,omitempty"`
	EndTimeUTC          string `json:"endTimeUtc,omitempty"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifMessage      `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          map[string]any    `json:"properties"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifLogical struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

// sarifLevel maps a severity onto a SARIF level.
func sarifLevel(s checks.Severity) string {
	switch {
	case s >= checks.SevHigh:
		return "error"
	case s == checks.SevMedium:
		return "warning"
	}
	return "note"
}

// Write writes the log.
func (SARIFWriter) Write(w io.Writer, r *Report, o Options) error {
	run := sarifRun{
		Tool:        sarifTool{Driver: sarifDriver{Name: "ecscan", Version: r.Scanner.Version, Rules: []sarifRule{}}},
		Invocations: []sarifInvocation{{ExecutionSuccessful: !r.Interrupted, StartTimeUTC: sarifTime(r.Started), EndTimeUTC: sarifTime(r.Ended)}},
		Language:    tr(o.Lang, "ja-JP", "en-US"),
		Results:     []sarifResult{},
		Properties:  map[string]any{"targets": r.Targets, "interrupted": r.Interrupted, "sourceAddress": r.SourceAddress},
	}
	index := map[string]int{}
	for _, f := range r.Findings {
		if f.Outcome != checks.Fail {
			continue
		}
		i, ok := index[f.ID]
		if !ok {
			i = len(run.Tool.Driver.Rules)
			index[f.ID] = i
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{ID: f.ID,
				ShortDescription:     sarifMessage{f.Title.In(o.Lang)},
				DefaultConfiguration: sarifConfiguration{sarifLevel(f.Severity)},
				Properties:           map[string]any{"severity": f.Severity.String()}})
		}
		rule := &run.Tool.Driver.Rules[i]
		if sev, _ := checks.ParseSeverity(rule.Properties["severity"].(string)); f.Severity > sev {
			rule.DefaultConfiguration.Level, rule.Properties["severity"] = sarifLevel(f.Severity), f.Severity.String()
		}
		run.Results = append(run.Results, sarifResultOf(f, i, r, o.Lang))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Version: "2.1.0", Schema: SARIFSchema, Runs: []sarifRun{run}})
}

func sarifTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func sarifResultOf(f checks.Finding, rule int, r *Report, lang string) sarifResult {
	msg := f.Title.In(lang)
	if d := f.Detail.In(lang); d != "" {
		msg += "\n" + d
	}
	place := findingPlace(f)
	props := map[string]any{"severity": f.Severity.String(), "host": f.Host, "evidence": nonNil(f.Evidence)}
	if f.Addr != "" {
		props["addr"] = f.Addr
	}
	if f.Port > 0 {
		props["port"] = f.Port
	}
	if f.Subject != "" {
		props["subject"] = f.Subject
	}
	return sarifResult{
		RuleID: f.ID, RuleIndex: rule, Level: sarifLevel(f.Severity), Message: sarifMessage{msg},
		Locations: []sarifLocation{{
			PhysicalLocation: &sarifPhysical{ArtifactLocation: sarifArtifact{URI: findingURI(f, r.Services)}},
			LogicalLocations: []sarifLogical{{Name: cmpOr(f.Subject, f.Host), FullyQualifiedName: place, Kind: "resource"}},
		}},
		PartialFingerprints: map[string]string{FingerprintKey: f.Key()},
		Properties:          props,
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

var schemePattern = regexp.MustCompile(`^[a-z][a-z0-9+.-]*$`)

// findingURI names where a finding was made as a URI: "<protocol>://host:port" with the
// protocol of the service map (tcp when unknown), or "<check>://host" for a finding about a
// host or a domain. A host that is neither a DNS name nor an address (a hostile record) is
// not put in an authority: the URI is then opaque, "<scheme>:" and the percent-encoded
// host:port, which every URI parser accepts.
func findingURI(f checks.Finding, services []checks.Service) string {
	scheme, hostport := "tcp", f.Host
	if a, err := netip.ParseAddr(f.Host); err == nil && a.Is6() {
		hostport = "[" + a.String() + "]"
	}
	if f.Port > 0 {
		hostport += ":" + strconv.Itoa(f.Port)
		i := slices.IndexFunc(services, func(s checks.Service) bool { return s.Host == f.Host && s.Port == f.Port })
		if i >= 0 && schemePattern.MatchString(services[i].Protocol) && services[i].Protocol != "unknown" {
			scheme = services[i].Protocol
		}
	} else if schemePattern.MatchString(f.Check) {
		scheme = f.Check
	}
	if hostPattern.MatchString(f.Host) || strings.HasPrefix(hostport, "[") {
		return scheme + "://" + hostport
	}
	return scheme + ":" + percentEncode(hostport)
}

// hostPattern is a DNS name (letters, digits, hyphens, underscores, dots) or an IPv4 address.
var hostPattern = regexp.MustCompile(`^[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*\.?$`)

// percentEncode encodes every byte outside RFC 3986's unreserved set and ':'.
func percentEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~:", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
