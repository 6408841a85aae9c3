package demo

import (
	"net/netip"
	"strconv"
	"strings"
)

// Zone is the practice site's domain, under .test (RFC 2606: never delegated).
const Zone = "demo-shop.test"

// role is one of the site's machines, each on its own address.
type role int

const (
	roleDNS  role = iota // ns1: the name server
	roleWeb              // the apex and www: HTTP and HTTPS
	roleMail             // mail: SMTP, POP3, IMAP
	roleFTP              // ftp
)

// hostOctet is each role's last address octet in a block: the port it is known for.
var hostOctet = map[role]byte{roleDNS: 53, roleWeb: 80, roleMail: 25, roleFTP: 21}

// siteHosts are the zone's host names (relative, "@" for the apex) and their machines.
var siteHosts = []struct {
	name string
	role role
}{
	{"@", roleWeb}, {"www", roleWeb}, {"mail", roleMail}, {"ns1", roleDNS}, {"ftp", roleFTP},
}

// service is one server of the site: its name, machine and port in each layout.
type service struct {
	name     string // "dns", "http", "https", "smtp", "pop3", "imap", "ftp"
	role     role
	standard int
}

// services are the site's TCP servers (the DNS server answers on UDP as well).
var services = []service{
	{"ftp", roleFTP, 21},
	{"smtp", roleMail, 25},
	{"dns", roleDNS, 53},
	{"http", roleWeb, 80},
	{"pop3", roleMail, 110},
	{"imap", roleMail, 143},
	{"https", roleWeb, 443},
}

// highOffset moves every port of the high layout above 1024: 10021, 10025, 10053, 10080,
// 10110, 10143, 10443 — none of them a port the ports check counts as an admin console.
const highOffset = 10000

// Layouts, tried in this order.
const (
	// LayoutStandard puts every server on its usual port, each machine on its own address
	// of 127.0.B.0/24. Binding ports below 1024 needs root or CAP_NET_BIND_SERVICE.
	LayoutStandard = "standard"
	// LayoutHigh keeps the addresses and adds 10000 to every port, so that anyone can bind
	// them. The DNS check asks name servers on port 53 only, and the HTTP-to-HTTPS redirect
	// is looked for on port 80 only: those findings cannot be shown.
	LayoutHigh = "high"
	// LayoutShared is the last resort, where 127.0.B.x cannot be bound (127.0.0.1 is the
	// only loopback address): the high ports, every machine on 127.0.0.1.
	LayoutShared = "shared"
)

// firstBlock and blocks are the address blocks tried: 127.0.77.0/24 to 127.0.86.0/24, the
// next when an address of one is taken.
const (
	firstBlock = 77
	blocks     = 10
)

// unshown are the findings a layout without port 53 and port 80 cannot produce.
var unshown = []string{"dns.axfr", "dns.open-recursion", "dns.ns-consistency", "dns.soa-consistency", "tls.http-redirect"}

// placement is one candidate: a layout in one block.
type placement struct {
	layout string
	block  byte
}

// addr returns a machine's address.
func (p placement) addr(r role) netip.Addr {
	if p.layout == LayoutShared {
		return netip.AddrFrom4([4]byte{127, 0, 0, 1})
	}
	return netip.AddrFrom4([4]byte{127, 0, p.block, hostOctet[r]})
}

// port returns a service's port.
func (p placement) port(s service) int {
	if p.layout == LayoutStandard {
		return s.standard
	}
	return s.standard + highOffset
}

// endpoint returns where a service listens.
func (p placement) endpoint(s service) netip.AddrPort {
	return netip.AddrPortFrom(p.addr(s.role), uint16(p.port(s)))
}

// placements lists the candidates in the order they are tried.
func placements() []placement {
	var out []placement
	for _, l := range []string{LayoutStandard, LayoutHigh} {
		for b := range blocks {
			out = append(out, placement{layout: l, block: byte(firstBlock + b)})
		}
	}
	return append(out, placement{layout: LayoutShared})
}

// hostName returns the full name of a relative host name of the zone.
func hostName(rel string) string {
	if rel == "@" {
		return Zone
	}
	return rel + "." + Zone
}

// portList writes ports as a --ports value: "21,25,53".
func portList(ports []int) string {
	s := make([]string, len(ports))
	for i, p := range ports {
		s[i] = strconv.Itoa(p)
	}
	return strings.Join(s, ",")
}
