package dns

import (
	"fmt"
	"strings"
)

// spfTerm is one term of an SPF record (RFC 7208 4.6.1): a mechanism with its qualifier,
// or a modifier ("redirect=…").
type spfTerm struct {
	Qualifier byte   // '+', '-', '~' or '?' for a mechanism; 0 for a modifier
	Name      string // lowercase: "all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists", or a modifier's name
	Value     string // what follows ':' or '/' (a mechanism) or '=' (a modifier)
	Modifier  bool
}

// spfRecord is a parsed SPF record.
type spfRecord struct {
	Terms    []spfTerm
	All      *spfTerm // the first "all" mechanism; nil when there is none
	Redirect string   // the redirect= modifier's domain, "" when none
	Errors   []string // terms that do not parse
}

// spfMechanisms are the mechanisms of RFC 7208 5.
var spfMechanisms = map[string]bool{
	"all": true, "include": true, "a": true, "mx": true, "ptr": true, "ip4": true, "ip6": true, "exists": true,
}

// maxSPFTerms bounds the terms parsed from one record (a TXT record can hold 64 KiB).
const maxSPFTerms = 256

// isSPF reports whether a TXT string is an SPF record: "v=spf1" (any case) alone or
// followed by a space (RFC 7208 4.5).
func isSPF(txt string) bool {
	const v = "v=spf1"
	return len(txt) >= len(v) && strings.EqualFold(txt[:len(v)], v) && (len(txt) == len(v) || txt[len(v)] == ' ')
}

// parseSPF parses an SPF record's terms after the version. It never fails: what does not
// parse is listed in Errors.
func parseSPF(txt string) spfRecord {
	var r spfRecord
	fields := strings.Fields(txt)
	if len(fields) > 0 && isSPF(fields[0]) {
		fields = fields[1:]
	}
	for i, f := range fields {
		if i == maxSPFTerms {
			r.Errors = append(r.Errors, fmt.Sprintf("more than %d terms; the rest was not read", maxSPFTerms))
			break
		}
		t, err := parseSPFTerm(f)
		if err != "" {
			r.Errors = append(r.Errors, err)
			continue
		}
		r.Terms = append(r.Terms, t)
		if t.Name == "redirect" && t.Modifier && r.Redirect == "" {
			r.Redirect = t.Value
		}
	}
	for i := range r.Terms {
		if r.Terms[i].Name == "all" && !r.Terms[i].Modifier {
			r.All = &r.Terms[i]
			break
		}
	}
	return r
}

// parseSPFTerm parses one term; the string is the error, "" when it parsed.
func parseSPFTerm(f string) (spfTerm, string) {
	if name, value, ok := strings.Cut(f, "="); ok && validModifierName(name) {
		return spfTerm{Name: strings.ToLower(name), Value: value, Modifier: true}, ""
	}
	t := spfTerm{Qualifier: '+'}
	if strings.ContainsRune("+-~?", rune(f[0])) {
		t.Qualifier, f = f[0], f[1:]
	}
	end := strings.IndexAny(f, ":/")
	if end < 0 {
		end = len(f)
	}
	t.Name = strings.ToLower(f[:end])
	if end < len(f) {
		t.Value = f[end+1:]
		if f[end] == '/' {
			t.Value = f[end:]
		}
	}
	switch {
	case !spfMechanisms[t.Name]:
		return spfTerm{}, fmt.Sprintf("unknown mechanism %q", clipTerm(f))
	case t.Name == "all" && end < len(f):
		return spfTerm{}, fmt.Sprintf("\"all\" takes no argument: %q", clipTerm(f))
	}
	return t, ""
}

// validModifierName reports whether s is an SPF modifier name: ALPHA *( ALPHA / DIGIT /
// "-" / "_" / "." ).
func validModifierName(s string) bool {
	if s == "" || !isAlpha(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !isAlpha(c) && (c < '0' || c > '9') && c != '-' && c != '_' && c != '.' {
			return false
		}
	}
	return true
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// clipTerm shortens a term quoted in an error.
func clipTerm(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

// spfPolicy is what an SPF record does with mail from senders it does not list.
type spfPolicy int

// The policies, from the most permissive.
const (
	spfPass     spfPolicy = iota // +all: every sender passes
	spfNeutral                   // ?all: no statement
	spfNone                      // neither all nor redirect: the default result is neutral
	spfRedirect                  // redirect=: another domain's record decides
	spfSoftFail                  // ~all
	spfFail                      // -all
)

// policy returns the record's catch-all policy. An "all" mechanism wins over redirect=
// (RFC 7208 6.1).
func (r spfRecord) policy() spfPolicy {
	if r.All != nil {
		switch r.All.Qualifier {
		case '-':
			return spfFail
		case '~':
			return spfSoftFail
		case '?':
			return spfNeutral
		}
		return spfPass
	}
	if r.Redirect != "" {
		return spfRedirect
	}
	return spfNone
}
