package checks

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Printable bounds a line from a server for a transcript to max bytes (noting how long it
// was) and escapes control bytes and invalid UTF-8 as \xNN, so that evidence is always
// printable text; the report writers escape it further for their formats.
func Printable(s string, max int) string {
	cut := ""
	if len(s) > max {
		s, cut = s[:max], fmt.Sprintf(" …(%d bytes)", len(s))
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < 0x20 && r != '\t' || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String() + cut
}

// ValidText returns b as UTF-8 text with each byte that is not valid UTF-8 written as
// \xNN, so that a banner keeps every byte's value through JSON (which would turn such a
// byte into U+FFFD). Control characters stay as they are: the report writers escape
// them for each format.
func ValidText(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var s strings.Builder
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			fmt.Fprintf(&s, `\x%02x`, b[i])
		} else {
			s.Write(b[i : i+n])
		}
		i += n
	}
	return s.String()
}
