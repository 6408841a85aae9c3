package mail

import (
	"regexp"
	"strconv"
	"strings"

	"ecscan/checks"
)

// pop3Reply is a POP3 response: its status line and, for a multi-line response, the lines
// up to the terminating ".", dot-stuffing removed.
type pop3Reply struct {
	OK    bool
	Text  string // the status line after +OK / -ERR
	Lines []string
}

// readPOP3 reads a POP3 response; multi says a successful one continues up to ".".
func readPOP3(lr *lineReader, multi bool) (pop3Reply, error) {
	first, err := lr.Line()
	if err != nil {
		return pop3Reply{}, err
	}
	var r pop3Reply
	switch {
	case first == "+OK" || strings.HasPrefix(first, "+OK "):
		r.OK, r.Text = true, strings.TrimSpace(first[3:])
	case first == "-ERR" || strings.HasPrefix(first, "-ERR "):
		r.Text = strings.TrimSpace(first[4:])
		return r, nil
	default:
		return r, checks.Protocolf("not a POP3 response: %q", clean(first))
	}
	for multi {
		l, err := lr.Line()
		if err != nil {
			return r, err
		}
		if l == "." {
			break
		}
		if len(r.Lines) >= maxLines {
			return r, checks.Protocolf("more than %d lines in one response", maxLines)
		}
		r.Lines = append(r.Lines, strings.TrimPrefix(l, "."))
	}
	return r, nil
}

// imapReply is the response to one IMAP command: the untagged lines ("* …", without the
// star) and the tagged status line's condition (OK, NO, BAD) and text.
type imapReply struct {
	Untagged []string
	Status   string
	Text     string
}

// readIMAP reads lines up to the one tagged tag; an untagged BYE ends it early (the server
// is closing). Literals are read and inlined as quoted strings.
func readIMAP(lr *lineReader, tag string) (imapReply, error) {
	var r imapReply
	for range maxLines {
		l, err := imapLine(lr)
		if err != nil {
			return r, err
		}
		if rest, ok := strings.CutPrefix(l, tag+" "); ok {
			r.Status, r.Text, _ = strings.Cut(rest, " ")
			r.Status = strings.ToUpper(r.Status)
			return r, nil
		}
		if rest, ok := strings.CutPrefix(l, "* "); ok {
			r.Untagged = append(r.Untagged, rest)
			if w, _, _ := strings.Cut(rest, " "); strings.EqualFold(w, "BYE") {
				r.Status, r.Text = "BYE", rest
				return r, nil
			}
		}
		// continuation requests ("+ …") and stray lines are kept in the transcript only
	}
	return r, checks.Protocolf("more than %d lines without the tagged response", maxLines)
}

var literalRe = regexp.MustCompile(`\{(\d{1,9})\+?\}$`)

// imapLine reads one logical IMAP line: a line ending in a literal announcement {n} goes on
// after the literal's n bytes, which are inlined as a quoted string.
func imapLine(lr *lineReader) (string, error) {
	var b strings.Builder
	for range maxLines {
		l, err := lr.Line()
		if err != nil {
			return "", err
		}
		m := literalRe.FindStringSubmatchIndex(l)
		if m == nil {
			b.WriteString(l)
			return b.String(), nil
		}
		n, err := strconv.Atoi(l[m[2]:m[3]])
		if err != nil {
			return "", checks.Protocolf("bad literal length in %q", clean(l))
		}
		lit, err := lr.ReadN(n, maxLiteral)
		if err != nil {
			return "", err
		}
		b.WriteString(l[:m[0]] + strconv.Quote(lit))
		if b.Len() > maxLiteral*2 {
			return "", checks.Protocolf("IMAP line with literals longer than %d bytes", maxLiteral*2)
		}
	}
	return "", checks.Protocolf("more than %d literals in one line", maxLines)
}

var capabilityRe = regexp.MustCompile(`(?i)\[CAPABILITY ([^\]]*)\]`)

// imapCapabilities reads a capability list from a greeting or status text ("[CAPABILITY
// …]") or from untagged lines ("CAPABILITY …"); ok is false when there is none.
func imapCapabilities(text string, untagged []string) (caps []string, ok bool) {
	for _, u := range untagged {
		if w, rest, _ := strings.Cut(u, " "); strings.EqualFold(w, "CAPABILITY") {
			return strings.Fields(rest), true
		}
	}
	if m := capabilityRe.FindStringSubmatch(text); m != nil {
		return strings.Fields(m[1]), true
	}
	return nil, false
}

// hasCap reports whether caps holds name, case-insensitively, as a whole capability or as
// the keyword of a line with arguments ("SASL PLAIN LOGIN" has "SASL").
func hasCap(caps []string, name string) bool {
	for _, c := range caps {
		if strings.EqualFold(c, name) || len(c) > len(name) && c[len(name)] == ' ' && strings.EqualFold(c[:len(name)], name) {
			return true
		}
	}
	return false
}

// capArgs returns the arguments of a POP3 capability line ("SASL PLAIN LOGIN" → PLAIN,
// LOGIN), upper-cased.
func capArgs(caps []string, name string) []string {
	for _, c := range caps {
		if w, rest, _ := strings.Cut(c, " "); strings.EqualFold(w, name) {
			return strings.Fields(strings.ToUpper(rest))
		}
	}
	return nil
}

// apopRe is RFC 1939's timestamp in a greeting: a msg-id, <process-ID.clock@hostname>.
var apopRe = regexp.MustCompile(`<[!-;=?-~]{1,200}@[!-;=?-~]{1,200}>`)

// apopTimestamp returns the APOP timestamp of a POP3 greeting, or "".
func apopTimestamp(greeting string) string { return apopRe.FindString(greeting) }

// parseID reads the pairs of an IMAP ID response (RFC 2971): ("name" "Dovecot" "version"
// "2.3.19"), or NIL. Keys are lower-cased; values NIL are left out.
func parseID(untagged []string) map[string]string {
	for _, u := range untagged {
		w, rest, _ := strings.Cut(u, " ")
		if !strings.EqualFold(w, "ID") {
			continue
		}
		toks := imapStrings(rest)
		out := map[string]string{}
		for i := 0; i+1 < len(toks); i += 2 {
			if toks[i+1] != "" && len(out) < 30 {
				out[strings.ToLower(toks[i])] = toks[i+1]
			}
		}
		return out
	}
	return nil
}

// imapStrings returns the quoted strings and atoms of a parenthesized list, NIL as "".
func imapStrings(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == '"':
			var b strings.Builder
			i++
			for i < len(s) && s[i] != '"' {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				b.WriteByte(s[i])
				i++
			}
			out = append(out, b.String())
			i++
		case c == ' ' || c == '(' || c == ')':
			i++
		default:
			j := i
			for j < len(s) && s[j] != ' ' && s[j] != ')' && s[j] != '(' {
				j++
			}
			if tok := s[i:j]; !strings.EqualFold(tok, "NIL") {
				out = append(out, tok)
			} else {
				out = append(out, "")
			}
			i = j
		}
	}
	return out
}
