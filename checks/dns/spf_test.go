package dns

import (
	"fmt"
	"strings"
	"testing"
)

func TestIsSPF(t *testing.T) {
	tests := []struct {
		txt  string
		want bool
	}{
		{"v=spf1", true},
		{"v=spf1 -all", true},
		{"V=SPF1 -all", true},
		{"v=spf10 -all", false},
		{"v=spf1-all", false},
		{" v=spf1 -all", false},
		{"spf1", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := isSPF(tt.txt); got != tt.want {
			t.Errorf("isSPF(%q): got %v, want %v", tt.txt, got, tt.want)
		}
	}
}

// spfSummary writes a parsed record compactly: terms, catch-all, redirect, errors.
func spfSummary(r spfRecord) string {
	var terms []string
	for _, t := range r.Terms {
		if t.Modifier {
			terms = append(terms, t.Name+"="+t.Value)
		} else {
			terms = append(terms, string(t.Qualifier)+t.Name+"("+t.Value+")")
		}
	}
	all := "-"
	if r.All != nil {
		all = string(r.All.Qualifier)
	}
	return fmt.Sprintf("%s all:%s redirect:%s errors:%d", strings.Join(terms, " "), all, r.Redirect, len(r.Errors))
}

func TestParseSPF(t *testing.T) {
	tests := []struct {
		txt    string
		want   string
		policy spfPolicy
	}{
		{"v=spf1 -all", "-all() all:- redirect: errors:0", spfFail},
		{"v=spf1 mx ip4:192.0.2.0/24 ~all", "+mx() +ip4(192.0.2.0/24) ~all() all:~ redirect: errors:0", spfSoftFail},
		{"v=spf1 a/24 mx:mail.z.test/28 ?all", "+a(/24) +mx(mail.z.test/28) ?all() all:? redirect: errors:0", spfNeutral},
		{"v=spf1  include:_spf.z.test   +all ", "+include(_spf.z.test) +all() all:+ redirect: errors:0", spfPass},
		{"v=spf1 redirect=_spf.z.test", "redirect=_spf.z.test all:- redirect:_spf.z.test errors:0", spfRedirect},
		{"v=spf1 mx -all redirect=x.test", "+mx() -all() redirect=x.test all:- redirect:x.test errors:0", spfFail},
		{"v=spf1 mx exp=explain.z.test", "+mx() exp=explain.z.test all:- redirect: errors:0", spfNone},
		{"v=spf1 mx bogus -all:x", "+mx() all:- redirect: errors:2", spfNone},
		{"v=spf1 ~ -", " all:- redirect: errors:2", spfNone},
		{"v=spf1", " all:- redirect: errors:0", spfNone},
	}
	for _, tt := range tests {
		r := parseSPF(tt.txt)
		if got := spfSummary(r); got != tt.want || r.policy() != tt.policy {
			t.Errorf("parseSPF(%q):\n got %s, policy %d\nwant %s, policy %d", tt.txt, got, r.policy(), tt.want, tt.policy)
		}
	}
}

func TestParseSPFBounded(t *testing.T) {
	r := parseSPF("v=spf1" + strings.Repeat(" mx", 10*maxSPFTerms))
	if len(r.Terms) != maxSPFTerms || len(r.Errors) != 1 {
		t.Errorf("got %d terms and %d errors, want %d and 1", len(r.Terms), len(r.Errors), maxSPFTerms)
	}
}

func FuzzParseSPF(f *testing.F) {
	for _, s := range []string{"v=spf1 -all", "v=spf1 mx ip4:192.0.2.0/24 ~all", "v=spf1 redirect=x.test", "v=spf1 +all",
		"v=spf1 a/24 ?all", "v=spf1 ~ - + ?", "v=spf1 =x", "v=spf1 all:x", "", "v=spf1 \x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := parseSPF(s)
		if len(r.Terms)+len(r.Errors) > len(strings.Fields(s))+1 {
			t.Errorf("%d terms and %d errors from %d fields", len(r.Terms), len(r.Errors), len(strings.Fields(s)))
		}
		for _, term := range r.Terms {
			if !term.Modifier && !strings.ContainsRune("+-~?", rune(term.Qualifier)) {
				t.Errorf("mechanism %q with qualifier %q", term.Name, term.Qualifier)
			}
			if !term.Modifier && !spfMechanisms[term.Name] {
				t.Errorf("unknown mechanism %q accepted", term.Name)
			}
		}
		if r.All != nil && (r.All.Name != "all" || r.All.Modifier) {
			t.Errorf("All points at %+v", *r.All)
		}
		if p := r.policy(); p < spfPass || p > spfFail {
			t.Errorf("policy %d out of range", p)
		}
		evalSPF("z.test", []string{s}, "e") // must not panic
	})
}
