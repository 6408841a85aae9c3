package ports

import (
	"fmt"
	"strings"
	"time"

	"ecscan/checks"
)

// BuildEvidence returns the evidence of an observation: the scan summary ("scan") and one
// dialogue per open port ("tcp-PORT"), as the findings of Evaluate name them. Server bytes
// are kept as they came (bounded); the report writers escape them.
func BuildEvidence(obs *Observation, now time.Time) []checks.Evidence {
	target := obs.Host
	out := []checks.Evidence{{
		ID: evScan, Kind: "scan", Target: target, Time: now,
		Title: fmt.Sprintf("TCP connect scan of %s (%s)", obs.Host, obs.Addr),
		Data:  scanSummary(obs),
	}}
	for _, po := range obs.Ports {
		out = append(out, checks.Evidence{
			ID: evPort(po.Port), Kind: "transcript", Target: target, Time: now,
			Title: "Service identification, " + label(po),
			Data:  renderTranscript(po),
		})
	}
	return out
}

func scanSummary(obs *Observation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "ports requested: %d (%s)\n", obs.Requested, obs.PortSpec)
	fmt.Fprintf(&b, "open: %d, closed (refused): %d, filtered (no answer or unreachable): %d\n", obs.Open, obs.Closed, obs.Filtered)
	if obs.FilteredPorts != "" {
		fmt.Fprintf(&b, "filtered ports: %s\n", obs.FilteredPorts)
	}
	if obs.Errors > 0 {
		fmt.Fprintf(&b, "not scanned, local resources exhausted: %d\n", obs.Errors)
	}
	if obs.Interrupted {
		fmt.Fprintf(&b, "interrupted: %d ports not scanned\n", obs.Unscanned)
	}
	for _, po := range obs.Ports {
		fmt.Fprintf(&b, "open %s\n", label(po))
	}
	return b.String()
}

// renderTranscript writes a port's dialogue, one "C: ", "S: " or "# " line per line of
// data, and the outcome.
func renderTranscript(po PortObservation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# probes: %s\n", strings.Join(po.Probes, ", "))
	for _, l := range po.Transcript {
		data := strings.TrimRight(strings.ReplaceAll(l.Data, "\r\n", "\n"), "\n")
		prefix := l.Dir + ": "
		if l.Dir == "#" {
			prefix = "# "
		}
		for line := range strings.SplitSeq(data, "\n") {
			b.WriteString(prefix + line + "\n")
		}
	}
	fmt.Fprintf(&b, "# result: %s, status %s", label(po), po.Status)
	if po.Error != "" {
		fmt.Fprintf(&b, " (%s)", po.Error)
	}
	b.WriteString("\n")
	return b.String()
}
