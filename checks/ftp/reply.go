package ftp

import (
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"ecscan/checks"
)

// Reply is an FTP reply (RFC 959 4.2): a three-digit code and its lines of text, the code
// and its separator removed from the first and the last.
type Reply struct {
	Code  int      `json:"code"`
	Lines []string `json:"lines,omitempty"`
}

// Text is the reply's first line of text.
func (r Reply) Text() string {
	if len(r.Lines) == 0 {
		return ""
	}
	return r.Lines[0]
}

// String is the reply as the server began it: "230 Login successful." (and "(+N lines)").
func (r Reply) String() string {
	if r.Code == 0 {
		return "(no reply)"
	}
	s := strconv.Itoa(r.Code) + " " + r.Text()
	if len(r.Lines) > 1 {
		s += fmt.Sprintf(" (+%d lines)", len(r.Lines)-1)
	}
	return clean(strings.TrimSpace(s))
}

// Positive reports a 2xx reply.
func (r Reply) Positive() bool { return r.Code >= 200 && r.Code < 300 }

// Preliminary reports a 1xx reply (a data transfer is starting).
func (r Reply) Preliminary() bool { return r.Code >= 100 && r.Code < 200 }

// readReply reads one reply: "ddd text", or "ddd-text" … up to a line that starts with the
// same code and a space.
func readReply(lr *lineReader) (Reply, error) {
	first, err := lr.Line()
	if err != nil {
		return Reply{}, err
	}
	code, sep, ok := replyCode(first)
	if !ok {
		return Reply{}, checks.Protocolf("not an FTP reply: %q", clean(first))
	}
	r := Reply{Code: code, Lines: []string{strings.TrimSpace(first[min(4, len(first)):])}}
	if sep != '-' {
		return r, nil
	}
	for {
		l, err := lr.Line()
		if err != nil {
			return r, err
		}
		if len(r.Lines) >= maxLines {
			return r, checks.Protocolf("more than %d lines in one reply", maxLines)
		}
		if c, s, ok := replyCode(l); ok && c == code && s != '-' {
			r.Lines = append(r.Lines, strings.TrimSpace(l[min(4, len(l)):]))
			return r, nil
		}
		r.Lines = append(r.Lines, l)
	}
}

// replyCode reads the code of a reply line and the byte after it (' ', '-', or 0 at the
// end of the line).
func replyCode(l string) (code int, sep byte, ok bool) {
	if len(l) < 3 || l[0] < '1' || l[0] > '5' || !isDigit(l[1]) || !isDigit(l[2]) {
		return 0, 0, false
	}
	if len(l) > 3 {
		sep = l[3]
		if sep != ' ' && sep != '-' {
			return 0, 0, false
		}
	}
	code, _ = strconv.Atoi(l[:3])
	return code, sep, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

var pasvRe = regexp.MustCompile(`(\d{1,3}),\s*(\d{1,3}),\s*(\d{1,3}),\s*(\d{1,3}),\s*(\d{1,3}),\s*(\d{1,3})`)

// parsePASV reads the address and port of a 227 reply: h1,h2,h3,h4,p1,p2, with or without
// the parentheses.
func parsePASV(text string) (netip.AddrPort, bool) {
	m := pasvRe.FindStringSubmatch(text)
	if m == nil {
		return netip.AddrPort{}, false
	}
	var n [6]int
	for i := range n {
		v, err := strconv.Atoi(m[i+1])
		if err != nil || v > 255 {
			return netip.AddrPort{}, false
		}
		n[i] = v
	}
	addr := netip.AddrFrom4([4]byte{byte(n[0]), byte(n[1]), byte(n[2]), byte(n[3])})
	return netip.AddrPortFrom(addr, uint16(n[4]<<8|n[5])), true
}

// parseEPSV reads the port of a 229 reply: "(|||port|)", where | may be any printable
// delimiter (RFC 2428).
func parseEPSV(text string) (int, bool) {
	i := strings.IndexByte(text, '(')
	if i < 0 || i+5 > len(text) {
		return 0, false
	}
	s := text[i+1:]
	d := s[0]
	if d < 33 || d > 126 || s[1] != d || s[2] != d {
		return 0, false
	}
	end := strings.IndexByte(s[3:], d)
	if end < 1 || end > 5 || 3+end+1 >= len(s) || s[3+end+1] != ')' {
		return 0, false
	}
	port, err := strconv.Atoi(s[3 : 3+end])
	if err != nil || port < 1 || port > 65535 {
		return 0, false
	}
	return port, true
}

// formatPORT writes the argument of a PORT command for an IPv4 address and port.
func formatPORT(ap netip.AddrPort) string {
	a := ap.Addr().As4()
	return fmt.Sprintf("%d,%d,%d,%d,%d,%d", a[0], a[1], a[2], a[3], ap.Port()>>8, ap.Port()&0xff)
}

// features reads a 211 FEAT reply: the lines between the first and the last, trimmed.
func features(r Reply) []string {
	if r.Code != 211 || len(r.Lines) < 2 {
		return nil
	}
	var out []string
	for _, l := range r.Lines[1 : len(r.Lines)-1] {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// hasFeature reports whether feats holds name as a whole feature or as the keyword of one
// with arguments ("MLST type*;perm*;" has "MLST"; "AUTH TLS" is matched whole).
func hasFeature(feats []string, name string) bool {
	for _, f := range feats {
		if strings.EqualFold(f, name) || len(f) > len(name) && f[len(name)] == ' ' && strings.EqualFold(f[:len(name)], name) {
			return true
		}
	}
	return false
}
