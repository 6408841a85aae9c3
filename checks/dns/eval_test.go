package dns

import (
	"errors"
	"strings"
	"testing"
	"time"

	miekg "github.com/miekg/dns"

	"ecscan/checks"
)

// verdict is a finding reduced to what the tables compare.
func verdict(f checks.Finding) string {
	return f.ID + " " + string(f.Outcome) + " " + f.Severity.String()
}

func verdictList(fs []checks.Finding) string {
	var out []string
	for _, f := range fs {
		out = append(out, verdict(f))
		if f.Title.JA == "" || f.Title.EN == "" || f.Detail.JA == "" || f.Detail.EN == "" {
			out = append(out, "(missing text)")
		}
	}
	return strings.Join(out, ", ")
}

func TestEvalSPF(t *testing.T) {
	tests := []struct {
		txts []string
		want string
	}{
		{nil, "dns.spf fail medium"},
		{[]string{"google-site-verification=x", "v=spf10 -all"}, "dns.spf fail medium"},
		{[]string{"v=spf1 -all", "v=spf1 mx -all"}, "dns.spf fail medium"},
		{[]string{"v=spf1 mx bogus:x -all"}, "dns.spf fail medium"},
		{[]string{"v=spf1 +all"}, "dns.spf pass info, dns.spf-permissive fail high"},
		{[]string{"v=spf1 mx all"}, "dns.spf pass info, dns.spf-permissive fail high"},
		{[]string{"v=spf1 ?all"}, "dns.spf pass info, dns.spf-permissive fail medium"},
		{[]string{"v=spf1 mx"}, "dns.spf pass info, dns.spf-permissive fail medium"},
		{[]string{"V=SPF1 ip4:192.0.2.0/24 ~ALL"}, "dns.spf pass info, dns.spf-permissive pass info"},
		{[]string{"other", "v=spf1 mx include:_spf.example.net -all"}, "dns.spf pass info, dns.spf-permissive pass info"},
		{[]string{"v=spf1 redirect=_spf.example.net"}, "dns.spf pass info, dns.spf-permissive info info"},
		{[]string{"v=spf1 -all redirect=_spf.example.net"}, "dns.spf pass info, dns.spf-permissive pass info"},
	}
	for _, tt := range tests {
		if got := verdictList(evalSPF("z.test", tt.txts, "e1")); got != tt.want {
			t.Errorf("evalSPF(%q): got %s, want %s", tt.txts, got, tt.want)
		}
	}
}

func TestEvalDMARC(t *testing.T) {
	tests := []struct {
		txts []string
		want string
	}{
		{nil, "dns.dmarc fail medium"},
		{[]string{"v=spf1 -all"}, "dns.dmarc fail medium"},
		{[]string{"v=DMARC1; p=reject", "v=DMARC1; p=none"}, "dns.dmarc fail medium"},
		{[]string{"v=DMARC1; rua=mailto:a@z.test"}, "dns.dmarc fail medium"},
		{[]string{"v=DMARC1; p=block"}, "dns.dmarc fail medium"},
		{[]string{"v=DMARC1; p=none; rua=mailto:a@z.test"}, "dns.dmarc pass info, dns.dmarc-policy fail low"},
		{[]string{"v=DMARC1;p=quarantine;pct=50"}, "dns.dmarc pass info, dns.dmarc-policy pass info"},
		{[]string{"v=DMARC1; p=Reject;"}, "dns.dmarc pass info, dns.dmarc-policy pass info"},
	}
	for _, tt := range tests {
		if got := verdictList(evalDMARC("z.test", tt.txts, "e1")); got != tt.want {
			t.Errorf("evalDMARC(%q): got %s, want %s", tt.txts, got, tt.want)
		}
	}
}

func TestEvalCAA(t *testing.T) {
	if got, want := verdict(evalCAA("z.test", nil, "e")), "dns.caa fail low"; got != want {
		t.Errorf("no CAA: got %s, want %s", got, want)
	}
	f := evalCAA("z.test", []string{`0 issue "letsencrypt.org"`}, "e")
	if got, want := verdict(f), "dns.caa pass info"; got != want || !strings.Contains(f.Detail.EN, "letsencrypt.org") {
		t.Errorf("CAA: got %s %q, want %s naming the CA", got, f.Detail.EN, want)
	}
}

func TestEvalDNSSEC(t *testing.T) {
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	key, priv := newKey(t, "z.test.")
	other, otherPriv := newKey(t, "z.test.")
	good := signKeys(t, key, priv, now.Add(-time.Hour), now.Add(time.Hour))
	expired := signKeys(t, key, priv, now.Add(-48*time.Hour), now.Add(-24*time.Hour))
	foreign := signKeys(t, other, otherPriv, now.Add(-time.Hour), now.Add(time.Hour))
	foreign.KeyTag = key.KeyTag() // claims our key, signed by another
	tests := []struct {
		name string
		keys []*miekg.DNSKEY
		sigs []*miekg.RRSIG
		want string
		text string
	}{
		{"unsigned", nil, nil, "dns.dnssec fail low", "no DNSKEY"},
		{"no signature", []*miekg.DNSKEY{key}, nil, "dns.dnssec fail low", "without RRSIG"},
		{"expired", []*miekg.DNSKEY{key}, []*miekg.RRSIG{expired}, "dns.dnssec fail low", "is valid from"},
		{"does not verify", []*miekg.DNSKEY{key}, []*miekg.RRSIG{foreign}, "dns.dnssec fail low", "does not verify"},
		{"valid", []*miekg.DNSKEY{key}, []*miekg.RRSIG{expired, good}, "dns.dnssec pass info", "verifies"},
	}
	for _, tt := range tests {
		f := evalDNSSEC("z.test", tt.keys, tt.sigs, now, "e")
		if got := verdict(f); got != tt.want || !strings.Contains(f.Detail.EN, tt.text) {
			t.Errorf("%s: got %s %q, want %s containing %q", tt.name, got, f.Detail.EN, tt.want, tt.text)
		}
	}
}

func TestEvalDS(t *testing.T) {
	key, _ := newKey(t, "z.test.")
	other, _ := newKey(t, "z.test.")
	match := key.ToDS(miekg.SHA256)
	wrong := other.ToDS(miekg.SHA256)
	wrong.KeyTag = key.KeyTag() // same tag, another digest
	keys := []*miekg.DNSKEY{key}
	tests := []struct {
		name  string
		keys  []*miekg.DNSKEY
		ds    []*miekg.DS
		asked bool
		want  string
	}{
		{"parent not asked", keys, nil, false, "dns.dnssec-ds info info"},
		{"unsigned, no DS", nil, nil, true, "dns.dnssec-ds info info"},
		{"unsigned with DS", nil, []*miekg.DS{match}, true, "dns.dnssec-ds fail medium"},
		{"signed, no DS", keys, nil, true, "dns.dnssec-ds fail low"},
		{"DS does not match", keys, []*miekg.DS{wrong}, true, "dns.dnssec-ds fail medium"},
		{"DS matches", keys, []*miekg.DS{wrong, match}, true, "dns.dnssec-ds pass info"},
	}
	for _, tt := range tests {
		if got := verdict(evalDS("z.test", tt.keys, tt.ds, tt.asked, "e")); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
		}
	}
}

// recursionAnswer builds the reply to the recursion probe.
func recursionAnswer(rcode int, ra, aa bool, answers int) *answer {
	m := new(miekg.Msg)
	m.SetQuestion("www.example.net.", miekg.TypeA)
	m.Response, m.Rcode, m.RecursionAvailable, m.Authoritative = true, rcode, ra, aa
	for range answers {
		m.Answer = append(m.Answer, aRecord("www.example.net.", "192.0.2.1"))
	}
	return &answer{id: "e", name: "www.example.net.", qtype: miekg.TypeA, rd: true, msg: m}
}

func TestEvalRecursion(t *testing.T) {
	tests := []struct {
		name string
		a    *answer
		want string
	}{
		{"REFUSED", recursionAnswer(miekg.RcodeRefused, false, false, 0), "dns.open-recursion pass info"},
		{"REFUSED with RA", recursionAnswer(miekg.RcodeRefused, true, false, 0), "dns.open-recursion pass info"},
		{"referral without RA", recursionAnswer(miekg.RcodeSuccess, false, false, 0), "dns.open-recursion pass info"},
		{"answers with RA", recursionAnswer(miekg.RcodeSuccess, true, false, 1), "dns.open-recursion fail medium"},
		{"NOERROR with RA", recursionAnswer(miekg.RcodeSuccess, true, false, 0), "dns.open-recursion fail medium"},
		{"NXDOMAIN with RA", recursionAnswer(miekg.RcodeNameError, true, false, 0), "dns.open-recursion fail medium"},
		{"authoritative for it, RA", recursionAnswer(miekg.RcodeSuccess, true, true, 1), "dns.open-recursion info info"},
		{"authoritative for it, no RA", recursionAnswer(miekg.RcodeSuccess, false, true, 1), "dns.open-recursion pass info"},
		{"RA, NOTIMP", recursionAnswer(miekg.RcodeNotImplemented, true, false, 0), "dns.open-recursion pass info"},
		{"RA, SERVFAIL", recursionAnswer(miekg.RcodeServerFailure, true, false, 0), "dns.open-recursion info info"},
		{"no reply", &answer{id: "e", name: "www.example.net.", err: errors.New("boom")}, "dns.open-recursion info info"},
	}
	for _, tt := range tests {
		if got := verdict(evalRecursion("ns.z.test (127.0.0.1)", tt.a)); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestEvalConsistency(t *testing.T) {
	ns := []string{"ns1.z.test", "ns2.z.test"}
	ok1 := serverView{label: "ns1", soaOK: true, soaAA: true, serial: 5, hasSerial: true, nsOK: true, nsAA: true, ns: ns}
	ok2 := ok1
	ok2.label = "ns2"
	newer := ok2
	newer.serial = 6
	otherNS := ok2
	otherNS.ns = []string{"ns1.z.test"}
	lame := serverView{label: "ns2", soaOK: true, soaRcode: "REFUSED", nsOK: true, nsRcode: "REFUSED"}
	silent := serverView{label: "ns2"}
	tests := []struct {
		name      string
		views     []serverView
		wantNS    string
		wantSOA   string
		wantEvLen int // evidence items of the NS finding
	}{
		{"agree", []serverView{ok1, ok2}, "dns.ns-consistency pass info", "dns.soa-consistency pass info", 3},
		{"serials differ", []serverView{ok1, newer}, "dns.ns-consistency pass info", "dns.soa-consistency fail low", 3},
		{"NS sets differ", []serverView{ok1, otherNS}, "dns.ns-consistency fail low", "dns.soa-consistency pass info", 3},
		{"lame", []serverView{ok1, lame}, "dns.ns-consistency fail low", "dns.soa-consistency fail low", 3},
		{"one answers", []serverView{ok1, silent}, "dns.ns-consistency pass info", "dns.soa-consistency info info", 2},
		{"none answers", []serverView{silent}, "dns.ns-consistency info info", "dns.soa-consistency info info", 1},
	}
	for _, tt := range tests {
		nf := evalNSConsistency("z.test", ns, tt.views, "e")
		sf := evalSOAConsistency("z.test", tt.views)
		if verdict(nf) != tt.wantNS || verdict(sf) != tt.wantSOA || len(nf.Evidence) != tt.wantEvLen {
			t.Errorf("%s: got %s (%d evidence), %s; want %s (%d), %s",
				tt.name, verdict(nf), len(nf.Evidence), verdict(sf), tt.wantNS, tt.wantEvLen, tt.wantSOA)
		}
	}
}
