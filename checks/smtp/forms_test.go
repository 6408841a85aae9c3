package smtp

import (
	"strings"
	"testing"
)

// TestRelayForms: sixteen forms with an own domain (fifteen without), distinct, every
// recipient aiming at the outside world and every address from the reserved or the site's
// own names.
func TestRelayForms(t *testing.T) {
	for _, tc := range []struct {
		own  string
		want int
	}{{"shop.test", 16}, {"", 15}} {
		forms := RelayForms(tc.own, "mail.shop.test", "[127.0.0.1]")
		if len(forms) != tc.want {
			t.Errorf("own %q: %d forms, want %d", tc.own, len(forms), tc.want)
		}
		seen := map[string]bool{}
		for _, f := range forms {
			key := f.From + " " + f.To
			if seen[f.ID] || seen[key] {
				t.Errorf("form %s repeats", f.ID)
			}
			seen[f.ID], seen[key] = true, true
			if !strings.Contains(f.To, outsideDomain) && !strings.Contains(f.To, outsideLiteral) {
				t.Errorf("form %s: recipient %q does not aim outside", f.ID, f.To)
			}
			for _, part := range strings.FieldsFunc(f.From+" "+f.To, func(r rune) bool { return strings.ContainsRune(` @%!:"<>`, r) }) {
				if strings.Contains(part, ".") && !strings.HasPrefix(part, "[") && !strings.Contains(part, "ecscan") {
					switch part {
					case "example.net", "example.org", "mail.shop.test", tc.own:
					default:
						t.Errorf("form %s names %q", f.ID, part)
					}
				}
			}
		}
		if (tc.own != "") != seen[FormOwnDomain] {
			t.Errorf("own %q: own-domain form present = %v", tc.own, seen[FormOwnDomain])
		}
	}
}
