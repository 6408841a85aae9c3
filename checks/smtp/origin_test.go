package smtp

import (
	"net/netip"
	"strings"
	"testing"
)

func TestAssessOrigin(t *testing.T) {
	tests := []struct {
		source, server string
		trusted        bool
		reason         string
	}{
		{"127.0.30.25", "127.0.30.25", true, "same-address"},
		{"127.0.99.1", "127.0.30.25", true, "loopback"},
		{"10.1.2.3", "198.51.100.25", true, "private"},
		{"192.168.1.9", "203.0.113.25", true, "private"},
		{"100.64.3.4", "203.0.113.25", true, "private"},
		{"203.0.113.7", "203.0.113.25", true, "same-network"},
		{"2001:db8:1:2::7", "2001:db8:1:2::25", true, "same-network"},
		{"198.51.100.7", "203.0.113.25", false, ""},
		{"2001:db8:9::7", "2001:db8:1:2::25", false, ""},
		{"::ffff:203.0.113.7", "203.0.113.25", true, "same-network"},
	}
	for _, tc := range tests {
		o := assessOrigin(netip.MustParseAddr(tc.source), netip.MustParseAddr(tc.server))
		if o.MayBeTrusted != tc.trusted || o.Reason != tc.reason {
			t.Errorf("%s → %s: %v %q, want %v %q", tc.source, tc.server, o.MayBeTrusted, o.Reason, tc.trusted, tc.reason)
		}
		note := o.Note()
		if got := strings.Contains(note.EN, "false positive"); got != tc.trusted || !strings.Contains(note.JA, o.Source.String()) {
			t.Errorf("%s: note %q / %q", tc.source, note.EN, note.JA)
		}
	}
}
