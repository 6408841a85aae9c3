package dns

import (
	miekg "github.com/miekg/dns"
)

// DomainData is the typed observation of a domain's Result, for the JSON report.
type DomainData struct {
	Domain      string   `json:"domain"`
	Resolver    string   `json:"resolver"`
	NS          []string `json:"ns,omitempty"`            // the NS set as the resolver gives it
	SOASerial   uint32   `json:"soa_serial,omitempty"`    // the SOA serial as the resolver gives it
	SPF         []string `json:"spf,omitempty"`           // TXT records at the apex starting with v=spf1
	DMARC       []string `json:"dmarc,omitempty"`         // TXT records at _dmarc starting with v=DMARC1
	CAA         []string `json:"caa,omitempty"`           // CAA records, zone-file text
	DNSKEYs     int      `json:"dnskeys"`                 // DNSKEY records at the apex
	Signatures  int      `json:"dnskey_signatures"`       // RRSIGs over the DNSKEY set
	DS          int      `json:"ds"`                      // DS records at the parent
	NotProbedNS []string `json:"not_probed_ns,omitempty"` // name servers outside the scope
}

// ServerData is the typed observation of a name server's Result.
type ServerData struct {
	Zone      string   `json:"zone"`
	Name      string   `json:"name"`
	Addr      string   `json:"addr,omitempty"`
	SOASerial uint32   `json:"soa_serial,omitempty"`
	NS        []string `json:"ns,omitempty"`
	AXFR      string   `json:"axfr,omitempty"`         // the transfer's outcome, e.g. "NOERROR, 14 records, complete"
	AXFRCount int      `json:"axfr_records,omitempty"` // records received
	Recursion string   `json:"recursion,omitempty"`    // the recursion probe's rcode and flags
	Skipped   string   `json:"skipped,omitempty"`      // why the server was not probed
}

func zoneData(z *zoneObs) DomainData {
	d := DomainData{Domain: z.zone, Resolver: z.resolver.String(), NS: nsNames(records[*miekg.NS](z.ns))}
	if soas := records[*miekg.SOA](z.soa); len(soas) > 0 {
		d.SOASerial = soas[0].Serial
	}
	for _, t := range txtStrings(z.txt) {
		if isSPF(t) {
			d.SPF = append(d.SPF, clip(t))
		}
	}
	for _, t := range txtStrings(z.dmarc) {
		if isDMARC(t) {
			d.DMARC = append(d.DMARC, clip(t))
		}
	}
	d.CAA = caaStrings(records[*miekg.CAA](z.caa))
	d.DNSKEYs = len(records[*miekg.DNSKEY](z.dnskey))
	d.Signatures = len(signatures(z.dnskey, miekg.TypeDNSKEY))
	d.DS = len(records[*miekg.DS](z.ds))
	for _, s := range z.skipped {
		d.NotProbedNS = append(d.NotProbedNS, s.name)
	}
	return d
}

func serverData(s *serverObs) ServerData {
	d := ServerData{Zone: s.zone, Name: s.name, Addr: s.addr.String()}
	if soas := records[*miekg.SOA](s.soa); len(soas) > 0 {
		d.SOASerial = soas[0].Serial
	}
	d.NS = nsNames(records[*miekg.NS](s.ns))
	if s.axfr != nil {
		d.AXFRCount = s.axfr.count
		d.AXFR = s.axfr.outcome()
	}
	if s.recursion != nil && s.recursion.msg != nil {
		d.Recursion = s.recursion.rcode() + ", flags:" + replyFlags(s.recursion.msg)
	}
	return d
}
