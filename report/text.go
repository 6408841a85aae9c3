// Package report writes ecscan's results in every output format, and holds the escaping that
// keeps text from scanned servers (or from user-supplied data files) from reaching a terminal
// or a report raw.
package report

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// Terminal returns s safe to print on a terminal: invalid UTF-8 becomes U+FFFD, tabs become a
// space, and every other control or format character (escape sequences, carriage returns,
// bidirectional overrides, newlines) is shown as a visible \xNN or \uNNNN escape.
func Terminal(s string) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	for i, w := 0, 0; i < len(s); i += w {
		r, size := utf8.DecodeRuneInString(s[i:])
		w = size
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case r == '\t':
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\x`)
			b.WriteByte("0123456789abcdef"[r>>4])
			b.WriteByte("0123456789abcdef"[r&15])
		case unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029':
			b.WriteString(`\u`)
			for shift := 12; shift >= 0; shift -= 4 {
				b.WriteByte("0123456789abcdef"[(r>>uint(shift))&15])
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// Width returns the number of terminal columns s takes: East Asian wide and full-width
// characters take two.
func Width(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// Truncate cuts s to at most max terminal columns, ending with "…" when it cut.
func Truncate(s string, max int) string {
	if Width(s) <= max {
		return s
	}
	var b strings.Builder
	n := 0
	for _, r := range s {
		w := Width(string(r))
		if n+w > max-1 {
			break
		}
		b.WriteRune(r)
		n += w
	}
	b.WriteString("…")
	return b.String()
}

// Pad returns s followed by spaces up to cols terminal columns.
func Pad(s string, cols int) string {
	if w := Width(s); w < cols {
		return s + strings.Repeat(" ", cols-w)
	}
	return s
}
