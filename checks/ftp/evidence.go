package ftp

import (
	"fmt"
	"strings"
	"time"

	"ecscan/checks"
)

// BuildEvidence returns the evidence of an observation: the main dialogue with a summary
// ("control"), the listing's first entries ("listing", after an anonymous login) and the
// AUTH TLS connections ("auth-tls"). Server bytes are kept as they came, bounded, control
// bytes escaped; the report writers escape them further.
func BuildEvidence(o *Observation, now time.Time) []checks.Evidence {
	out := []checks.Evidence{{
		ID: evControl, Kind: "transcript", Time: now,
		Title: fmt.Sprintf("FTP dialogue with %s (%s)", o.label(), o.Addr),
		Data:  render(o.Transcript) + summary(o),
	}}
	if l := o.Listing; l != nil && l.Read {
		out = append(out, checks.Evidence{
			ID: evListing, Kind: "listing", Time: now,
			Title: fmt.Sprintf("Anonymous listing (%s) of the top directory of %s", l.Command, o.label()),
			Data:  renderListing(l),
		})
	}
	if len(o.TLSTranscript) > 0 {
		out = append(out, checks.Evidence{
			ID: evTLS, Kind: "transcript", Time: now,
			Title: fmt.Sprintf("AUTH TLS on %s (%s)", o.label(), o.Addr),
			Data:  render(o.TLSTranscript),
		})
	}
	return out
}

func render(lines []Line) string {
	var b strings.Builder
	for _, l := range lines {
		prefix := l.Dir + ": "
		if l.Dir == "#" {
			prefix = "# "
		}
		b.WriteString(prefix + l.Data + "\n")
	}
	return b.String()
}

func renderListing(l *Listing) string {
	var b strings.Builder
	for _, e := range l.Entries {
		b.WriteString(e.Raw)
		if e.Writable {
			b.WriteString("    [writable: " + e.Why + "]")
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "# %d entries", l.Total)
	if l.Total > len(l.Entries) {
		fmt.Fprintf(&b, ", the first %d shown", len(l.Entries))
	}
	if l.Truncated {
		fmt.Fprintf(&b, "; cut off after %d bytes", maxData)
	}
	b.WriteString("\n")
	for _, e := range l.Writable {
		fmt.Fprintf(&b, "# writable: %s (%s)\n", clean(e.Name), e.Why)
	}
	return b.String()
}

// summary states what the dialogue showed, for the reader of the evidence.
func summary(o *Observation) string {
	var out []string
	if o.FeatKnown {
		out = append(out, "features: "+clean(strings.Join(o.Features, " | ")))
	}
	if l := o.Anonymous; l != nil && l.Decided {
		out = append(out, fmt.Sprintf("anonymous login: %v (%s)", l.LoggedIn, l.Final().Reply))
	}
	var ports []string
	for _, ps := range o.Passive {
		s := fmt.Sprintf("%s %d", ps.Command, ps.Port)
		if ps.Addr.IsValid() {
			s = fmt.Sprintf("%s %s:%d", ps.Command, ps.Addr, ps.Port)
		}
		ports = append(ports, s)
	}
	if len(ports) > 0 {
		out = append(out, "passive replies: "+strings.Join(ports, ", "))
	}
	if wt := o.WriteTest; wt != nil {
		out = append(out, fmt.Sprintf("write test: written %v, left behind: %s", wt.Written(), dash(strings.Join(wt.LeftBehind(), ", "))))
	}
	if b := o.Bounce; b != nil {
		out = append(out, fmt.Sprintf("bounce test: PORT %s → %s; connected %v %s", b.Target, dash(b.PortReply), b.Connected, b.Note))
	}
	if o.Product != "" {
		out = append(out, fmt.Sprintf("product: %s, version: %s (from %s)", o.Product, dash(o.Version), o.From))
	}
	r := "result: status " + string(o.Status)
	if o.Error != "" {
		r += " (" + clean(o.Error) + ")"
	}
	out = append(out, r)
	return "# " + strings.Join(out, "\n# ") + "\n"
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
