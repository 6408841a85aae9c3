package dns

import (
	"fmt"
	"slices"
	"strings"
	"time"

	miekg "github.com/miekg/dns"

	"ecscan/checks"
)

// evalZone returns the domain's findings from what the resolver and the name servers
// said. A question that got no usable answer yields no finding (its failure is the
// Result's status); now is when signatures must be valid.
func evalZone(z *zoneObs, now time.Time) []checks.Finding {
	var out []checks.Finding
	if z.txt.ok() {
		out = append(out, evalSPF(z.zone, txtStrings(z.txt), z.txt.id)...)
	}
	if z.dmarc.ok() {
		out = append(out, evalDMARC(z.zone, txtStrings(z.dmarc), z.dmarc.id)...)
	}
	if z.caa.ok() {
		out = append(out, evalCAA(z.zone, caaStrings(records[*miekg.CAA](z.caa)), z.caa.id))
	}
	if z.dnskey.ok() {
		keys := records[*miekg.DNSKEY](z.dnskey)
		out = append(out,
			evalDNSSEC(z.zone, keys, signatures(z.dnskey, miekg.TypeDNSKEY), now, z.dnskey.id),
			evalDS(z.zone, keys, records[*miekg.DS](z.ds), z.ds.ok(), z.ds.id, z.dnskey.id))
	}
	views := serverViews(z.servers)
	if z.ns.ok() && len(z.servers) > 0 {
		out = append(out, evalNSConsistency(z.zone, nsNames(records[*miekg.NS](z.ns)), views, z.ns.id))
	}
	if len(z.servers) > 0 {
		out = append(out, evalSOAConsistency(z.zone, views))
	}
	for i := range out {
		out[i].Host = z.zone
	}
	return out
}

// caaStrings writes CAA records as "flag tag value".
func caaStrings(rrs []*miekg.CAA) []string {
	var out []string
	for _, c := range rrs {
		out = append(out, clip(fmt.Sprintf("%d %s %q", c.Flag, c.Tag, c.Value)))
	}
	return out
}

// serverView is what one name server address said about the zone's SOA and NS.
type serverView struct {
	label       string // "ns1.ecshop.test (127.0.30.53)"
	soaEv, nsEv string
	soaOK, nsOK bool // a reply came
	soaAA, nsAA bool // the reply was authoritative, NOERROR
	soaRcode    string
	nsRcode     string
	serial      uint32
	hasSerial   bool
	ns          []string
}

func serverViews(servers []*serverObs) []serverView {
	var out []serverView
	for _, s := range servers {
		v := serverView{label: fmt.Sprintf("%s (%s)", s.name, s.addr), soaEv: s.soa.id}
		if v.soaOK = s.soa.err == nil; v.soaOK {
			v.soaRcode = s.soa.rcode()
			v.soaAA = s.soa.msg.Authoritative && s.soa.msg.Rcode == miekg.RcodeSuccess
			for _, soa := range records[*miekg.SOA](s.soa) {
				v.serial, v.hasSerial = soa.Serial, true
			}
		}
		if s.ns != nil {
			v.nsEv = s.ns.id
			if v.nsOK = s.ns.err == nil; v.nsOK {
				v.nsRcode = s.ns.rcode()
				v.nsAA = s.ns.msg.Authoritative && s.ns.msg.Rcode == miekg.RcodeSuccess
				v.ns = nsNames(records[*miekg.NS](s.ns))
			}
		}
		out = append(out, v)
	}
	return out
}

// evalNSConsistency compares the NS set the resolver gives with the one each in-scope
// server gives with authority: any difference or lame answer fails (low).
func evalNSConsistency(zone string, want []string, views []serverView, resolverEv string) checks.Finding {
	const id = "dns.ns-consistency"
	ev := []string{resolverEv}
	var lines, bad []string
	for _, v := range views {
		if !v.nsOK {
			continue
		}
		ev = append(ev, v.nsEv)
		switch {
		case !v.nsAA || len(v.ns) == 0:
			bad = append(bad, fmt.Sprintf("%s: no authoritative NS answer (%s)", v.label, v.nsRcode))
		case !slices.Equal(v.ns, want):
			bad = append(bad, v.label+": "+strings.Join(v.ns, " "))
		default:
			lines = append(lines, v.label)
		}
	}
	wantText := strings.Join(want, " ")
	switch {
	case len(ev) == 1:
		return newFinding(id, checks.Info, 0,
			checks.T("NS レコードの一致を確認できませんでした", "NS consistency could not be checked"),
			checks.T("応答したスコープ内のネームサーバがありません。", "No in-scope name server answered."), ev...)
	case len(bad) > 0:
		b := strings.Join(bad, "; ")
		return newFinding(id, checks.Fail, checks.SevLow,
			checks.T("NS レコードが一致しません", "NS records disagree"),
			checks.T(fmt.Sprintf("リゾルバの NS は %s ですが、%s。", wantText, b),
				fmt.Sprintf("The resolver gives %s, but %s.", wantText, b)), ev...)
	}
	return newFinding(id, checks.Pass, 0,
		checks.T("NS レコードが一致しています", "NS records agree"),
		checks.T(fmt.Sprintf("リゾルバと %s が同じ NS(%s)を返しました。", strings.Join(lines, "、"), wantText),
			fmt.Sprintf("The resolver and %s give the same NS set: %s.", strings.Join(lines, ", "), wantText)), ev...)
}

// evalSOAConsistency compares the SOA serial of every in-scope server: different serials
// or a server without authority fail (low); a single server is a fact.
func evalSOAConsistency(zone string, views []serverView) checks.Finding {
	const id = "dns.soa-consistency"
	var ev, bad, lines []string
	serials := map[uint32]bool{}
	for _, v := range views {
		ev = append(ev, v.soaEv)
		switch {
		case !v.soaOK:
			continue
		case !v.soaAA || !v.hasSerial:
			bad = append(bad, fmt.Sprintf("%s: not authoritative for %s (%s, lame)", v.label, zone, v.soaRcode))
		default:
			serials[v.serial] = true
			lines = append(lines, fmt.Sprintf("%s: %d", v.label, v.serial))
		}
	}
	all := strings.Join(append(lines, bad...), "; ")
	switch {
	case len(lines)+len(bad) == 0:
		return newFinding(id, checks.Info, 0,
			checks.T("SOA シリアルを確認できませんでした", "SOA serials could not be checked"),
			checks.T("応答したスコープ内のネームサーバがありません。", "No in-scope name server answered."), ev...)
	case len(bad) > 0 || len(serials) > 1:
		return newFinding(id, checks.Fail, checks.SevLow,
			checks.T("SOA シリアルが一致しない、または権威を持たないネームサーバがあります", "SOA serials disagree, or a name server is not authoritative"),
			checks.T(all+"。ゾーンの内容がネームサーバによって異なる可能性があります。", all+". Name servers may serve different versions of the zone."), ev...)
	case len(lines) == 1:
		return newFinding(id, checks.Info, 0,
			checks.T("SOA シリアルを比較できるネームサーバが1台だけです", "Only one name server to compare SOA serials"),
			checks.T(all+"(スコープ外のネームサーバには問い合わせていません)", all+" (name servers outside the scope are not asked)"), ev...)
	}
	return newFinding(id, checks.Pass, 0,
		checks.T("SOA シリアルが一致しています", "SOA serials agree"),
		checks.T(all, all), ev...)
}
