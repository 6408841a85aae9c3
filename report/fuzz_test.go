package report

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"ecscan/checks"
)

// FuzzPackFileName checks that any evidence ID and kind give a safe file name.
func FuzzPackFileName(f *testing.F) {
	for _, p := range append(payloads, "../../etc/passwd", "..", "", "dns:ns1.ecshop.test:ecshop.test/AXFR", "C:\\Windows\\..\\x", "nul") {
		f.Add(p, "transcript")
	}
	f.Fuzz(func(t *testing.T, id, kind string) {
		name := packFileName(checks.Evidence{ID: id, Kind: kind}, map[string]bool{})
		if !validName.MatchString(name) || strings.Contains(name, "..") || len(name) > 120 {
			t.Errorf("packFileName(%q, %q) = %q", id, kind, name)
		}
	})
}

// FuzzCleanText checks the cleaning every human-readable format relies on: valid UTF-8, no
// control character but the line breaks (and tabs in <pre>) kept, no formula start in a cell.
func FuzzCleanText(f *testing.F) {
	for _, p := range payloads {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, s string) {
		bad := func(keep string) func(rune) bool {
			return func(r rune) bool {
				return !strings.ContainsRune(keep, r) && (unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029')
			}
		}
		for name, out := range map[string]string{"inline": inline(s), "block": block(s), "preBlock": preBlock(s), "cellText": cellText(s)} {
			keep := "\n"
			switch name {
			case "inline":
				keep = ""
			case "preBlock":
				keep = "\n\t"
			}
			if !utf8.ValidString(out) || strings.ContainsFunc(out, bad(keep)) {
				t.Errorf("%s(%q) = %q", name, s, out)
			}
		}
		if c := cellText(s); c != "" && strings.ContainsRune("=+-@＝＋－＠\t\r", []rune(c)[0]) {
			t.Errorf("cellText(%q) = %q starts a formula", s, c)
		}
	})
}
