package demo

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
)

func testZone(t testing.TB) *zone {
	t.Helper()
	addrs := map[string]netip.Addr{}
	for _, h := range siteHosts {
		addrs[h.name] = placement{layout: LayoutStandard, block: 77}.addr(h.role)
	}
	z, err := newZone(Zone, addrs)
	if err != nil {
		t.Fatal(err)
	}
	return z
}

func query(name string, qtype, class uint16) *dns.Msg {
	m := new(dns.Msg)
	m.SetQuestion(name, qtype)
	m.Question[0].Qclass = class
	return m
}

func TestZoneAnswers(t *testing.T) {
	z := testZone(t)
	for _, tc := range []struct {
		name   string
		qtype  uint16
		class  uint16
		tcp    bool
		rcode  int
		answer []string // the answers' text, in order, without TTL columns
		auth   bool
	}{
		{"www.demo-shop.test.", dns.TypeA, dns.ClassINET, false, dns.RcodeSuccess, []string{"www.demo-shop.test. A 127.0.77.80"}, true},
		{"demo-shop.test.", dns.TypeA, dns.ClassINET, false, dns.RcodeSuccess, []string{"demo-shop.test. A 127.0.77.80"}, true},
		{"FTP.Demo-Shop.Test.", dns.TypeA, dns.ClassINET, false, dns.RcodeSuccess, []string{"ftp.demo-shop.test. A 127.0.77.21"}, true},
		{"demo-shop.test.", dns.TypeMX, dns.ClassINET, false, dns.RcodeSuccess, []string{"demo-shop.test. MX 10 mail.demo-shop.test."}, true},
		{"demo-shop.test.", dns.TypeNS, dns.ClassINET, false, dns.RcodeSuccess, []string{"demo-shop.test. NS ns1.demo-shop.test."}, true},
		{"demo-shop.test.", dns.TypeSOA, dns.ClassINET, false, dns.RcodeSuccess, []string{"demo-shop.test. SOA ns1.demo-shop.test. hostmaster.demo-shop.test. 2025040101 3600 600 604800 300"}, true},
		{"demo-shop.test.", dns.TypeTXT, dns.ClassINET, false, dns.RcodeSuccess, []string{`demo-shop.test. TXT "v=spf1 +all"`, `demo-shop.test. TXT "demo-shop-verification=practice-only"`}, true},
		{"shop-admin.demo-shop.test.", dns.TypeA, dns.ClassINET, false, dns.RcodeSuccess, []string{"shop-admin.demo-shop.test. CNAME www.demo-shop.test.", "www.demo-shop.test. A 127.0.77.80"}, true},
		{"www.demo-shop.test.", dns.TypeAAAA, dns.ClassINET, false, dns.RcodeSuccess, nil, true},
		{"demo-shop.test.", dns.TypeCAA, dns.ClassINET, false, dns.RcodeSuccess, nil, true},
		{"_dmarc.demo-shop.test.", dns.TypeTXT, dns.ClassINET, false, dns.RcodeNameError, nil, true},
		{"www.example.net.", dns.TypeA, dns.ClassINET, false, dns.RcodeRefused, nil, false},
		{"demo-shop.test.", dns.TypeAXFR, dns.ClassINET, false, dns.RcodeFormatError, nil, false},
		{"version.bind.", dns.TypeTXT, dns.ClassCHAOS, false, dns.RcodeSuccess, []string{`version.bind. TXT "` + DNSVersion + `"`}, false},
		{"version.server.", dns.TypeTXT, dns.ClassCHAOS, false, dns.RcodeRefused, nil, false},
	} {
		m := z.answer(query(tc.name, tc.qtype, tc.class), tc.tcp)
		if m.Rcode != tc.rcode || m.Authoritative != tc.auth {
			t.Errorf("%s %s: rcode %s aa %v, want %s aa %v", tc.name, dns.TypeToString[tc.qtype], dns.RcodeToString[m.Rcode], m.Authoritative, dns.RcodeToString[tc.rcode], tc.auth)
		}
		if got := rrTexts(m.Answer); !slices.Equal(got, tc.answer) {
			t.Errorf("%s %s: answer %q, want %q", tc.name, dns.TypeToString[tc.qtype], got, tc.answer)
		}
		if m.RecursionAvailable {
			t.Errorf("%s: RA set; the server does not recurse", tc.name)
		}
		if len(m.Answer) == 0 && m.Rcode != dns.RcodeRefused && m.Rcode != dns.RcodeFormatError && (len(m.Ns) != 1 || m.Ns[0].Header().Rrtype != dns.TypeSOA) {
			t.Errorf("%s %s: no answer and authority %v, want the SOA", tc.name, dns.TypeToString[tc.qtype], m.Ns)
		}
	}
}

// rrTexts writes records as "owner TYPE rdata".
func rrTexts(rrs []dns.RR) []string {
	var out []string
	for _, rr := range rrs {
		f := strings.Split(rr.String(), "\t")
		out = append(out, f[0]+" "+f[3]+" "+strings.Join(f[4:], " "))
	}
	return out
}

func TestZoneTransferOverTCP(t *testing.T) {
	z := testZone(t)
	m := z.answer(query(Zone+".", dns.TypeAXFR, dns.ClassINET), true)
	if n := len(m.Answer); n < 3 || m.Answer[0].Header().Rrtype != dns.TypeSOA || m.Answer[n-1].Header().Rrtype != dns.TypeSOA {
		t.Fatalf("AXFR: %d records, want SOA … SOA", n)
	}
	if got := z.answer(query("other.test.", dns.TypeAXFR, dns.ClassINET), true).Rcode; got != dns.RcodeRefused {
		t.Errorf("AXFR of another zone: %s, want REFUSED", dns.RcodeToString[got])
	}
}

func TestZoneOddQueries(t *testing.T) {
	z := testZone(t)
	none := new(dns.Msg)
	if got := z.answer(none, false).Rcode; got != dns.RcodeNotImplemented {
		t.Errorf("no question: %s, want NOTIMP", dns.RcodeToString[got])
	}
	upd := query(Zone+".", dns.TypeSOA, dns.ClassINET)
	upd.Opcode = dns.OpcodeUpdate
	if got := z.answer(upd, false).Rcode; got != dns.RcodeNotImplemented {
		t.Errorf("UPDATE: %s, want NOTIMP", dns.RcodeToString[got])
	}
}

// The live name server answers over UDP and hands the zone out over TCP to anyone.
func TestNameServer(t *testing.T) {
	s := startSite(t)
	c := &dns.Client{Net: "udp", Timeout: 5 * time.Second}
	r, _, err := c.Exchange(query("www."+Zone+".", dns.TypeA, dns.ClassINET), s.Resolver)
	if err != nil {
		t.Fatalf("A over UDP: %v", err)
	}
	if len(r.Answer) != 1 || r.Answer[0].(*dns.A).A.String() != s.Hosts["www."+Zone] {
		t.Errorf("A www: %v, want %s", r.Answer, s.Hosts["www."+Zone])
	}
	tr := &dns.Transfer{DialTimeout: 5 * time.Second, ReadTimeout: 5 * time.Second}
	env, err := tr.In(query(Zone+".", dns.TypeAXFR, dns.ClassINET), s.Resolver)
	if err != nil {
		t.Fatalf("AXFR: %v", err)
	}
	var names []string
	for e := range env {
		if e.Error != nil {
			t.Fatalf("AXFR: %v", e.Error)
		}
		for _, rr := range e.RR {
			names = append(names, rr.Header().Name)
		}
	}
	for _, want := range []string{"ftp." + Zone + ".", "_note." + Zone + "."} {
		if !slices.Contains(names, want) {
			t.Errorf("AXFR lacks %s: %v", want, names)
		}
	}
}
