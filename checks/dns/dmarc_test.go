package dns

import (
	"strings"
	"testing"
)

func TestIsDMARC(t *testing.T) {
	tests := []struct {
		txt  string
		want bool
	}{
		{"v=DMARC1; p=none", true},
		{"v=DMARC1", true},
		{"v = DMARC1 ;p=reject", true},
		{"v=dmarc1; p=none", false},
		{"p=none; v=DMARC1", false},
		{"v=DMARC10; p=none", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := isDMARC(tt.txt); got != tt.want {
			t.Errorf("isDMARC(%q): got %v, want %v", tt.txt, got, tt.want)
		}
	}
}

func TestParseDMARC(t *testing.T) {
	tests := []struct {
		txt                string
		policy, subPolicy  string
		pct                int
		errors             int
		firstErrorContains string
	}{
		{"v=DMARC1; p=reject; rua=mailto:d@z.test", "reject", "", 100, 0, ""},
		{"v=DMARC1;p=Quarantine;sp=none;pct=25;", "quarantine", "none", 25, 0, ""},
		{"v=DMARC1; p=none", "none", "", 100, 0, ""},
		{"v=DMARC1; rua=mailto:d@z.test", "", "", 100, 1, "no policy"},
		{"v=DMARC1; p=block", "", "", 100, 1, "is not none, quarantine or reject"},
		{"v=DMARC1; p=none; p=reject", "none", "", 100, 1, "appears twice"},
		{"v=DMARC1; p=none; pct=150", "none", "", 100, 1, "pct="},
		{"v=DMARC1; p=none; sp=maybe", "none", "", 100, 1, "subdomain policy"},
		{"v=DMARC1; p=none; junk", "none", "", 100, 1, "not a tag=value pair"},
		{"p=reject; v=DMARC1", "reject", "", 100, 1, "does not start"},
	}
	for _, tt := range tests {
		r := parseDMARC(tt.txt)
		if r.Policy != tt.policy || r.SubPolicy != tt.subPolicy || r.Pct != tt.pct || len(r.Errors) != tt.errors ||
			tt.errors > 0 && !strings.Contains(r.Errors[0], tt.firstErrorContains) {
			t.Errorf("parseDMARC(%q): got p=%q sp=%q pct=%d errors %q;\nwant p=%q sp=%q pct=%d, %d errors, the first containing %q",
				tt.txt, r.Policy, r.SubPolicy, r.Pct, r.Errors, tt.policy, tt.subPolicy, tt.pct, tt.errors, tt.firstErrorContains)
		}
	}
}

func TestParseDMARCBounded(t *testing.T) {
	r := parseDMARC("v=DMARC1; p=none" + strings.Repeat("; x=y", 10*maxDMARCTags))
	if len(r.Tags) > maxDMARCTags {
		t.Errorf("kept %d tags, want at most %d", len(r.Tags), maxDMARCTags)
	}
}

func FuzzParseDMARC(f *testing.F) {
	for _, s := range []string{"v=DMARC1; p=reject", "v=DMARC1;p=none;pct=0;sp=quarantine", "v=DMARC1; p=", "=;;=",
		"v=DMARC1; pct=-1", "v=DMARC1; p=none; p=none", "", "v=DMARC1; \x00=\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := parseDMARC(s)
		if r.Policy != "" && !dmarcPolicies[r.Policy] {
			t.Errorf("policy %q accepted", r.Policy)
		}
		if r.Pct < 0 || r.Pct > 100 {
			t.Errorf("pct %d out of range", r.Pct)
		}
		if len(r.Errors) == 0 && (r.Policy == "" || !isDMARC(s)) {
			t.Errorf("%q: well formed without a policy or a version", s)
		}
		if len(r.Tags) > maxDMARCTags {
			t.Errorf("%d tags kept", len(r.Tags))
		}
		evalDMARC("z.test", []string{s}, "e") // must not panic
	})
}
