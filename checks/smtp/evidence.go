package smtp

import (
	"fmt"
	"strings"
	"time"

	"ecscan/checks"
)

// BuildEvidence returns one transcript per dialogue of the observation ("session",
// "relay", "enum", as the findings name them): a header naming the service and the scan's
// source address, then every line with its time. Server text is kept as it came (bounded,
// made valid UTF-8); the report writers escape it. The client sends no credentials, so
// none are stored.
func BuildEvidence(obs *Observation, now time.Time) []checks.Evidence {
	var out []checks.Evidence
	for _, d := range obs.Dialogues {
		at := now
		if len(d.Lines) > 0 {
			at = d.Lines[0].At
		}
		out = append(out, checks.Evidence{
			ID: d.ID, Kind: "transcript", Time: at,
			Title: fmt.Sprintf("SMTP %s: %s", d.Title, endpointLabel(obs)),
			Data:  evidenceHeader(obs, d) + d.Render(),
		})
	}
	return out
}

func endpointLabel(obs *Observation) string {
	ap := fmt.Sprintf("%s:%d", obs.Addr, obs.Port)
	if obs.Addr.Is6() && !obs.Addr.Is4In6() {
		ap = fmt.Sprintf("[%s]:%d", obs.Addr, obs.Port)
	}
	mode := "cleartext"
	if obs.ImplicitTLS {
		mode = "TLS"
	}
	if obs.Host == "" || obs.Host == obs.Addr.String() {
		return ap + ", " + mode
	}
	return obs.Host + " (" + ap + "), " + mode
}

func evidenceHeader(obs *Observation, d *Dialogue) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n# service: %s\n", d.Title, endpointLabel(obs))
	if o := obs.Origin; o != nil && o.Source.IsValid() {
		fmt.Fprintf(&b, "# source address: %s", o.Source)
		if o.MayBeTrusted {
			fmt.Fprintf(&b, " (%s: the server may trust it as local; a relay it accepted is possibly a false positive)", o.Reason)
		}
		b.WriteString("\n")
	}
	return b.String()
}
