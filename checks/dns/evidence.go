package dns

import (
	"fmt"
	"strings"
	"unicode/utf8"

	miekg "github.com/miekg/dns"

	"ecscan/checks"
)

// Bounds of the evidence kept from one reply.
const (
	keepRecords = 30  // records written per reply, all sections together
	keepLine    = 400 // bytes per record line
)

// evidence writes the question, the reply's header and its records as zone-file text.
func (a *answer) evidence() checks.Evidence {
	var b strings.Builder
	fmt.Fprintf(&b, ";; query: %s IN %s to %s over %s, flags:%s\n",
		a.name, typeName(a.qtype), a.server, a.transport(), queryFlags(a.rd, a.do))
	if a.err != nil {
		fmt.Fprintf(&b, ";; no reply: %v\n", a.err)
	} else {
		writeReply(&b, a.msg)
	}
	return checks.Evidence{
		ID:    a.id,
		Kind:  "dns",
		Time:  a.at,
		Title: fmt.Sprintf("%s %s @%s", a.name, typeName(a.qtype), a.server),
		Data:  b.String(),
	}
}

func (a *answer) transport() string {
	if a.tcp {
		return "udp, truncated, retried over tcp"
	}
	return "udp"
}

func queryFlags(rd, do bool) string {
	s := ""
	if rd {
		s += " rd"
	}
	if do {
		s += " do"
	}
	if s == "" {
		s = " (none)"
	}
	return s
}

// writeReply writes the reply's rcode, flags and sections, at most keepRecords records.
func writeReply(b *strings.Builder, m *miekg.Msg) {
	fmt.Fprintf(b, ";; reply: %s, flags:%s; answer %d, authority %d, additional %d\n",
		rcodeName(m.Rcode), replyFlags(m), len(m.Answer), len(m.Ns), len(extra(m)))
	left := keepRecords
	for _, s := range []struct {
		name string
		rrs  []miekg.RR
	}{{"ANSWER", m.Answer}, {"AUTHORITY", m.Ns}, {"ADDITIONAL", extra(m)}} {
		if len(s.rrs) == 0 {
			continue
		}
		fmt.Fprintf(b, ";; %s\n", s.name)
		writeRecords(b, s.rrs, len(s.rrs), left)
		left = max(0, left-len(s.rrs))
	}
}

// extra returns the additional section without the OPT pseudo-record.
func extra(m *miekg.Msg) []miekg.RR {
	var out []miekg.RR
	for _, rr := range m.Extra {
		if rr.Header().Rrtype != miekg.TypeOPT {
			out = append(out, rr)
		}
	}
	return out
}

// replyFlags lists the header bits that are set, as dig does, plus "do" from the OPT.
func replyFlags(m *miekg.Msg) string {
	var s string
	for _, f := range []struct {
		on   bool
		name string
	}{{m.Response, "qr"}, {m.Authoritative, "aa"}, {m.Truncated, "tc"}, {m.RecursionDesired, "rd"},
		{m.RecursionAvailable, "ra"}, {m.AuthenticatedData, "ad"}, {m.CheckingDisabled, "cd"}} {
		if f.on {
			s += " " + f.name
		}
	}
	if o := m.IsEdns0(); o != nil && o.Do() {
		s += " do"
	}
	if s == "" {
		s = " (none)"
	}
	return s
}

// writeRecords writes up to keep of rrs, one per line, and says how many of total were
// left out.
func writeRecords(b *strings.Builder, rrs []miekg.RR, total, keep int) {
	n := min(len(rrs), keep)
	for _, rr := range rrs[:n] {
		b.WriteString(clip(rr.String()))
		b.WriteByte('\n')
	}
	if total > n {
		fmt.Fprintf(b, ";; … %d more records not shown\n", total-n)
	}
}

// clip makes one record line safe to keep: printable, one line, at most keepLine bytes.
// miekg/dns already escapes TXT and names (\DDD); this guards the rest.
func clip(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\t' {
			return r
		}
		if r < ' ' || r == 0x7f || r == utf8.RuneError {
			return '?'
		}
		return r
	}, s)
	if len(s) > keepLine {
		cut := keepLine
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

func typeName(t uint16) string {
	if s, ok := miekg.TypeToString[t]; ok {
		return s
	}
	return fmt.Sprintf("TYPE%d", t)
}
