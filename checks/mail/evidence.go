package mail

import (
	"fmt"
	"strings"
	"time"

	"ecscan/checks"
)

// BuildEvidence returns the evidence of an observation: its dialogue ("dialogue"), one
// "C: ", "S: " or "# " line per line, followed by a summary of what was learned. Server
// bytes are kept as they came, bounded, control bytes escaped; the report writers escape
// them further.
func BuildEvidence(o *Observation, now time.Time) []checks.Evidence {
	var b strings.Builder
	for _, l := range o.Transcript {
		prefix := l.Dir + ": "
		if l.Dir == "#" {
			prefix = "# "
		}
		b.WriteString(prefix + l.Data + "\n")
	}
	for _, s := range summary(o) {
		b.WriteString("# " + s + "\n")
	}
	return []checks.Evidence{{
		ID: evDialogue, Kind: "transcript", Time: now,
		Title: fmt.Sprintf("%s dialogue with %s (%s)", strings.ToUpper(o.Protocol), o.label(), o.Addr),
		Data:  b.String(),
	}}
}

// summary states what the dialogue showed, for the reader of the evidence.
func summary(o *Observation) []string {
	var out []string
	if o.CapsKnown {
		out = append(out, "capabilities before TLS: "+clean(strings.Join(o.Capabilities, " | ")))
	} else if o.Greeted {
		out = append(out, "capabilities: not announced")
	}
	if st := o.StartTLS; st != nil {
		switch {
		case st.Upgraded():
			out = append(out, "upgrade to TLS: "+st.Handshake.Version+", capabilities inside TLS: "+clean(strings.Join(st.Capabilities, " | ")))
		case st.Accepted:
			out = append(out, "upgrade to TLS: accepted, handshake failed")
		case st.Tried:
			out = append(out, "upgrade to TLS: refused ("+clean(st.Reply)+")")
		default:
			out = append(out, "upgrade to TLS: not offered")
		}
	}
	if allowed, known, ways := o.Plaintext(); known {
		if allowed {
			out = append(out, "password in clear before TLS: allowed ("+strings.Join(ways, ", ")+")")
		} else {
			out = append(out, "password in clear before TLS: not offered")
		}
	}
	if o.APOP != "" {
		out = append(out, "APOP timestamp: "+clean(o.APOP))
	}
	if o.Product != "" || o.Version != "" {
		out = append(out, fmt.Sprintf("product: %s, version: %s (from %s)", dash(o.Product), dash(o.Version), o.From))
	}
	r := "result: status " + string(o.Status)
	if o.Error != "" {
		r += " (" + clean(o.Error) + ")"
	}
	return append(out, r)
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
