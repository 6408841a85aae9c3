package tls

import (
	"fmt"
	"strings"
	"time"

	"ecscan/checks"
)

// BuildEvidence returns the evidence items of an observation, as Evaluate's findings name
// them. Server bytes are kept as they came (bounded); the report writers escape them.
func BuildEvidence(obs *Observation, g *Grade, now time.Time) []checks.Evidence {
	target := obs.Host
	item := func(id, kind, title, data string) checks.Evidence {
		return checks.Evidence{ID: id, Kind: kind, Target: target, Time: now, Title: title, Data: data}
	}
	where := fmt.Sprintf("%s (%s) port %d", obs.Host, obs.Addr, obs.Port)
	out := []checks.Evidence{item(evService, "scan", "TLS check of "+where, serviceSummary(obs))}
	if obs.StartTLS != nil {
		out = append(out, item(evStartTLS, "transcript", strings.ToUpper(obs.StartTLS.Protocol)+" upgrade dialogue, "+where, renderDialogue(obs.StartTLS)))
	}
	if hasEvidence(obs, g, evEnumeration) {
		out = append(out, item(evEnumeration, "transcript", "Protocols and cipher suites, "+where, renderEnumeration(obs)))
	}
	if obs.Handshake != nil {
		out = append(out, item(evHandshake, "transcript", "TLS handshake (crypto/tls), "+where, renderHandshake(obs)))
	}
	if obs.Chain != nil {
		out = append(out, item(evChain, "certificate", "Certificate chain as served, "+where, renderChain(obs.Chain)))
	}
	if obs.HTTPS != nil {
		out = append(out, item(evHTTPS, "http", "GET "+obs.HTTPS.URL, renderHead(obs.HTTPS)))
	}
	if obs.Redirect != nil {
		out = append(out, item(evRedirect, "http", "GET "+obs.Redirect.URL, renderHead(obs.Redirect)))
	}
	if g != nil {
		out = append(out, item(evGrade, "scan", "Grade ("+GuideVersion+"), "+where, renderGrade(g)))
	}
	return out
}

func serviceSummary(obs *Observation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "service: %s on %s:%d (%s), mode %s", obs.Protocol, obs.Addr, obs.Port, obs.Host, obs.Mode)
	if obs.SNI != "" {
		fmt.Fprintf(&b, ", SNI %s", obs.SNI)
	}
	if obs.Advertised {
		b.WriteString(", upgrade listed in the capabilities")
	}
	fmt.Fprintf(&b, "\nstatus: %s", obs.Status)
	if obs.Error != "" {
		fmt.Fprintf(&b, " (%s)", obs.Error)
	}
	b.WriteString("\n")
	return b.String()
}

func renderDialogue(d *Dialogue) string {
	var b strings.Builder
	for _, l := range d.Lines {
		prefix := l.Dir + ": "
		if l.Dir == "#" {
			prefix = "# "
		}
		b.WriteString(prefix + l.Data + "\n")
	}
	switch {
	case d.Upgraded:
		b.WriteString("# upgrade agreed; TLS follows\n")
	case d.Refused:
		b.WriteString("# upgrade refused: plaintext only\n")
	}
	return b.String()
}

func renderEnumeration(obs *Observation) string {
	var b strings.Builder
	if obs.EngineError != "" {
		fmt.Fprintf(&b, "# %s\n", obs.EngineError)
	}
	en := obs.Enumeration
	if en == nil {
		return b.String()
	}
	for _, p := range en.Protocols {
		fmt.Fprintf(&b, "%s: %s\n", p.Version, protocolState(p))
		if p.Offered {
			order := "client's order"
			if p.ServerOrder {
				order = "server's order"
			}
			if p.Preferred != nil {
				fmt.Fprintf(&b, "  preferred: %s (%s)\n", p.Preferred.Name, order)
			}
			for _, s := range p.Suites {
				fmt.Fprintf(&b, "  %s\n", suiteLine(s))
			}
		}
		if len(p.Groups) > 0 {
			var gs []string
			for _, g := range p.Groups {
				gs = append(gs, g.Name)
			}
			fmt.Fprintf(&b, "  groups: %s\n", strings.Join(gs, ", "))
		}
		if p.DHBits > 0 {
			fmt.Fprintf(&b, "  DHE parameters: %d bits\n", p.DHBits)
		}
	}
	if len(en.Transcript) > 0 {
		b.WriteString("# engine transcript\n")
		for _, l := range en.Transcript {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

func protocolState(p ProtocolSupport) string {
	switch {
	case p.Offered:
		return "offered"
	case p.NoUsableSuite:
		return "enabled, no usable cipher suite"
	case p.AnsweredWith != 0:
		return "not offered (answered with " + p.AnsweredWith.String() + ")"
	}
	return "not offered"
}

func suiteLine(s Suite) string {
	var tags []string
	for _, t := range []struct {
		on   bool
		name string
	}{{s.ForwardSecrecy, "FS"}, {s.AEAD, "AEAD"}, {s.CBC, "CBC"}, {s.RC4, "RC4"}, {s.Block64, "64-bit block"},
		{s.Export, "EXPORT"}, {s.Null, "NULL"}, {s.Anon, "ANON"}, {!s.Known, "unknown"}} {
		if t.on {
			tags = append(tags, t.name)
		}
	}
	id := fmt.Sprintf("0x%04x", s.ID)
	if s.Spec != 0 {
		id = fmt.Sprintf("0x%06x", s.Spec)
	}
	return fmt.Sprintf("%s %s %d bits [%s]", id, s.Name, s.Bits, strings.Join(tags, " "))
}

func renderHandshake(obs *Observation) string {
	var b strings.Builder
	h := obs.Handshake
	fmt.Fprintf(&b, "ClientHello (crypto/tls): TLS 1.0-1.3, every suite Go implements, SNI %q, status_request\n", obs.SNI)
	if h.Error != "" {
		fmt.Fprintf(&b, "handshake failed: %s\n", h.Error)
	} else {
		fmt.Fprintf(&b, "negotiated: %s, %s\n", h.Version, h.Suite)
	}
	if st := obs.OCSP; st != nil {
		if !st.Present {
			b.WriteString("stapled OCSP response: none\n")
		} else {
			fmt.Fprintf(&b, "stapled OCSP response: %s, for the leaf: %v, signed by the issuer: %v, produced %s, next update %s %s\n",
				st.Status, st.ForLeaf, st.Verified, st.ProducedAt.Format(time.RFC3339), st.NextUpdate.Format(time.RFC3339), st.Error)
		}
	}
	return b.String()
}

func renderChain(ch *Chain) string {
	var b strings.Builder
	fmt.Fprintf(&b, "source: %s\n", ch.Source)
	for i, c := range ch.Certs {
		fmt.Fprintf(&b, "[%d] subject: %s\n    issuer: %s\n    serial: %s\n    valid: %s to %s\n    key: %s %d bits, signature: %s",
			i, c.Subject, c.Issuer, c.Serial, c.NotBefore.UTC().Format(time.RFC3339), c.NotAfter.UTC().Format(time.RFC3339), c.KeyType, c.KeyBits, c.SigAlg)
		if c.SelfSigned {
			b.WriteString(", self-signed")
		}
		if names := append(append([]string{}, c.DNSNames...), c.IPs...); len(names) > 0 {
			fmt.Fprintf(&b, "\n    names: %s", strings.Join(names, ", "))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "trusted: %v %s\nname match: %v %s\n", ch.Trusted, ch.TrustError, ch.NameMatch, ch.NameError)
	if ch.ChainExpired != "" {
		fmt.Fprintf(&b, "outside its validity: %s\n", ch.ChainExpired)
	}
	if ch.ParseError != "" {
		fmt.Fprintf(&b, "parse error: %s\n", ch.ParseError)
	}
	b.WriteString(ch.PEM)
	return b.String()
}

func renderHead(h *HTTPHead) string {
	s := h.Raw
	if h.Error != "" {
		s += "\n# " + h.Error + "\n"
	}
	return s
}

func renderGrade(g *Grade) string {
	var b strings.Builder
	fmt.Fprintf(&b, "guide: %s, %s\n", g.Guide, GuideURL)
	fmt.Fprintf(&b, "protocol support %d x 30%% + key exchange %d x 30%% + cipher strength %d x 40%% = %d -> %s\n",
		g.Protocol, g.KeyExchange, g.Cipher, g.Score, g.FromScore)
	for _, a := range g.Applied {
		fmt.Fprintf(&b, "rule %s (%s): %s [%s]\n", a.ID, a.Source, a.Reason, a.Effect)
	}
	fmt.Fprintf(&b, "grade: %s", g.Letter)
	if g.IfTrusted != "" {
		fmt.Fprintf(&b, " (%s if the certificate were trusted)", g.IfTrusted)
	}
	b.WriteString("\n")
	return b.String()
}
