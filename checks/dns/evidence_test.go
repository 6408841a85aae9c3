package dns

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"unicode/utf8"

	miekg "github.com/miekg/dns"
)

func TestEvidenceBounded(t *testing.T) {
	m := new(miekg.Msg)
	m.SetQuestion("z.test.", miekg.TypeTXT)
	m.Response = true
	for i := range 50 {
		rr := &miekg.TXT{Hdr: miekg.RR_Header{Name: "z.test.", Rrtype: miekg.TypeTXT, Class: miekg.ClassINET, Ttl: 60},
			Txt: []string{fmt.Sprintf("%d\n\x1b[31m%s", i, strings.Repeat("x", 1000))}}
		m.Answer = append(m.Answer, rr)
	}
	a := &answer{id: "z.test/TXT", name: "z.test.", qtype: miekg.TypeTXT, server: netip.MustParseAddrPort("127.0.0.1:53"), rd: true, msg: m}
	data := a.evidence().Data
	lines := strings.Split(strings.TrimSuffix(data, "\n"), "\n")
	if got, want := len(lines), 2+1+keepRecords+1; got != want {
		t.Errorf("got %d lines, want %d (query, reply, section, %d records, the count left out)", got, want, keepRecords)
	}
	if !strings.Contains(data, "… 20 more records not shown") {
		t.Errorf("evidence does not say how many records were left out:\n%s", lines[len(lines)-1])
	}
	for _, l := range lines {
		if len(l) > keepLine+len("…") || strings.ContainsAny(l, "\x1b\r") || !utf8.ValidString(l) {
			t.Errorf("unsafe or long line (%d bytes): %q", len(l), l[:min(len(l), 80)])
		}
	}
}

func TestEvidenceOfFailure(t *testing.T) {
	a := &answer{name: "z.test.", qtype: miekg.TypeSOA, server: netip.MustParseAddrPort("127.0.0.1:5353"), err: errors.New("i/o timeout")}
	data := a.evidence().Data
	for _, want := range []string{";; query: z.test. IN SOA to 127.0.0.1:5353 over udp, flags: (none)", ";; no reply: i/o timeout"} {
		if !strings.Contains(data, want) {
			t.Errorf("evidence lacks %q:\n%s", want, data)
		}
	}
}

func TestClip(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain\ttext", "plain\ttext"},
		{"a\nb\rc\x00", "a?b?c?"},
		{"日本語", "日本語"},
		{strings.Repeat("é", keepLine), strings.Repeat("é", keepLine/2) + "…"},
	}
	for _, tt := range tests {
		if got := clip(tt.in); got != tt.want {
			t.Errorf("clip(%q): got %q, want %q", tt.in[:min(len(tt.in), 20)], got[:min(len(got), 20)], tt.want[:min(len(tt.want), 20)])
		}
	}
}

func TestRecordsFollowChain(t *testing.T) {
	m := new(miekg.Msg)
	for _, s := range []string{
		"www.z.test. 60 IN CNAME edge.cdn.test.",
		"edge.cdn.test. 60 IN CNAME www.z.test.", // a loop: must end
		"edge.cdn.test. 60 IN A 192.0.2.10",
		"other.test. 60 IN A 192.0.2.66", // not on the chain: ignored
	} {
		rr, err := miekg.NewRR(s)
		if err != nil {
			t.Fatal(err)
		}
		m.Answer = append(m.Answer, rr)
	}
	got := addresses(&answer{name: "WWW.z.test.", msg: m})
	if len(got) != 1 || got[0].String() != "192.0.2.10" {
		t.Errorf("got %v, want [192.0.2.10]", got)
	}
}

// FuzzReply feeds arbitrary bytes to the reply parser and everything that reads a reply:
// the records, the evidence and the recursion evaluation. None may panic.
func FuzzReply(f *testing.F) {
	m := new(miekg.Msg)
	m.SetQuestion("z.test.", miekg.TypeTXT)
	m.Response, m.RecursionAvailable = true, true
	txt, _ := miekg.NewRR(`z.test. 60 IN TXT "v=spf1 -all"`)
	cname, _ := miekg.NewRR("z.test. 60 IN CNAME a.z.test.")
	m.Answer = []miekg.RR{txt, cname}
	good, _ := m.Pack()
	f.Add(good)
	f.Add(good[:len(good)-5])
	f.Add([]byte{0, 1, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 3, 'w', 'w', 'w', 0xc0, 0xff})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := unpack(b)
		if err != nil {
			return
		}
		a := &answer{id: "e", name: "z.test.", qtype: miekg.TypeTXT, msg: r}
		if len(r.Question) > 0 {
			a.name = r.Question[0].Name
		}
		ev := a.evidence()
		if strings.Count(ev.Data, "\n") > keepRecords+8 {
			t.Errorf("evidence of %d lines", strings.Count(ev.Data, "\n"))
		}
		txtStrings(a)
		addresses(a)
		nsNames(records[*miekg.NS](a))
		evalRecursion("ns", a)
		evalSPF("z.test", txtStrings(a), "e")
	})
}
