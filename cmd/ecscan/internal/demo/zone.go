package demo

import (
	"fmt"
	"net"
	"net/netip"
	"strings"

	"github.com/miekg/dns"
)

// DNSVersion is what the name server answers to version.bind CH TXT (BIND's way of naming
// itself).
const DNSVersion = "9.11.5-P4-5.1+deb10u9-Debian"

// zone is the practice zone: its SOA and every other record, answered with authority.
type zone struct {
	origin string // "demo-shop.test."
	soa    dns.RR
	rrs    []dns.RR
}

// newZone builds the zone from the addresses of the site's hosts (relative names, "@" for
// the apex).
func newZone(name string, hosts map[string]netip.Addr) (*zone, error) {
	origin := dns.Fqdn(name)
	lines := []string{
		"@ 300 IN SOA ns1 hostmaster 2025040101 3600 600 604800 300",
		"@ 300 IN NS ns1",
		"@ 300 IN MX 10 mail",
		`@ 300 IN TXT "v=spf1 +all"`,
		`@ 300 IN TXT "demo-shop-verification=practice-only"`,
		`_note 300 IN TXT "practice zone of ecscan demo: anyone may transfer it"`,
		"shop-admin 300 IN CNAME www",
	}
	for _, h := range []string{"@", "www", "mail", "ns1", "ftp"} {
		a, ok := hosts[h]
		if !ok {
			return nil, fmt.Errorf("demo: zone: no address for %q", h)
		}
		lines = append(lines, fmt.Sprintf("%s 300 IN A %s", h, a))
	}
	z := &zone{origin: origin}
	for _, l := range lines {
		rr, err := dns.NewRR("$ORIGIN " + origin + "\n" + l)
		if err != nil {
			return nil, fmt.Errorf("demo: zone record %q: %w", l, err)
		}
		if rr.Header().Rrtype == dns.TypeSOA {
			z.soa = rr
		} else {
			z.rrs = append(z.rrs, rr)
		}
	}
	return z, nil
}

// inZone reports whether name is the apex or below it.
func (z *zone) inZone(name string) bool {
	return dns.IsSubDomain(z.origin, name)
}

// answer builds the reply to one query: authoritative answers for the zone, AXFR over TCP
// to anyone, version.bind in class CH, REFUSED for everything else (no recursion).
func (z *zone) answer(req *dns.Msg, tcp bool) *dns.Msg {
	m := new(dns.Msg)
	if len(req.Question) != 1 || req.Opcode != dns.OpcodeQuery || req.Response {
		m.SetRcode(req, dns.RcodeNotImplemented)
		m.Question = nil
		return m
	}
	m.SetReply(req)
	q := req.Question[0]
	name := strings.ToLower(q.Name)
	switch {
	case q.Qclass == dns.ClassCHAOS:
		return z.chaos(m, name, q.Qtype)
	case q.Qclass != dns.ClassINET && q.Qclass != dns.ClassANY || !z.inZone(name):
		m.Rcode = dns.RcodeRefused
		return m
	case q.Qtype == dns.TypeAXFR:
		if !tcp {
			m.Rcode = dns.RcodeFormatError
			return m
		}
		m.Authoritative = true
		m.Answer = append(append([]dns.RR{z.soa}, z.rrs...), z.soa)
		return m
	case q.Qtype == dns.TypeIXFR:
		m.Rcode = dns.RcodeNotImplemented
		return m
	}
	m.Authoritative = true
	z.lookup(m, name, q.Qtype)
	return m
}

// lookup fills in the answer for a name of the zone: the records of the type (a CNAME's
// target in the zone too), NODATA with the SOA, or NXDOMAIN with the SOA.
func (z *zone) lookup(m *dns.Msg, name string, qtype uint16) {
	exists := name == z.origin
	for _, rr := range z.all() {
		h := rr.Header()
		if !strings.EqualFold(h.Name, name) {
			continue
		}
		exists = true
		switch {
		case h.Rrtype == qtype || qtype == dns.TypeANY:
			m.Answer = append(m.Answer, rr)
		case h.Rrtype == dns.TypeCNAME:
			m.Answer = append(m.Answer, rr)
			z.lookup(m, strings.ToLower(rr.(*dns.CNAME).Target), qtype)
		}
	}
	switch {
	case !exists:
		m.Rcode = dns.RcodeNameError
		m.Ns = []dns.RR{z.soa}
	case len(m.Answer) == 0:
		m.Ns = []dns.RR{z.soa}
	}
}

func (z *zone) all() []dns.RR { return append([]dns.RR{z.soa}, z.rrs...) }

// chaos answers version.bind and hostname.bind TXT in class CH.
func (z *zone) chaos(m *dns.Msg, name string, qtype uint16) *dns.Msg {
	txt := map[string]string{"version.bind.": DNSVersion, "hostname.bind.": "ns1." + z.origin}[name]
	if txt == "" || qtype != dns.TypeTXT && qtype != dns.TypeANY {
		m.Rcode = dns.RcodeRefused
		return m
	}
	m.Answer = []dns.RR{&dns.TXT{
		Hdr: dns.RR_Header{Name: name, Rrtype: dns.TypeTXT, Class: dns.ClassCHAOS},
		Txt: []string{txt},
	}}
	return m
}

// ServeDNS makes the zone a miekg/dns handler: UDP replies are truncated to what the
// client can take.
func (z *zone) ServeDNS(w dns.ResponseWriter, req *dns.Msg) {
	_, tcp := w.RemoteAddr().(*net.TCPAddr)
	m := z.answer(req, tcp)
	if req.IsEdns0() != nil && m.Rcode <= 0xF {
		m.SetEdns0(1232, false)
	}
	if !tcp {
		size := dns.MinMsgSize
		if o := req.IsEdns0(); o != nil {
			size = int(max(o.UDPSize(), dns.MinMsgSize))
		}
		m.Truncate(size)
	}
	_ = w.WriteMsg(m)
}
