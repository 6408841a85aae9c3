package dns

import "net/netip"

// specialBlock is one entry of the IANA IPv4 and IPv6 Special-Purpose Address Registries
// (RFC 6890 and its updates) that is not globally reachable, plus documentation ranges.
type specialBlock struct {
	prefix netip.Prefix
	kind   string
}

// specialBlocks are checked after net/netip's own properties (loopback, private,
// link-local, multicast, unspecified), which cover 127/8, 10/8, 172.16/12, 192.168/16,
// 169.254/16, 224/4, ::1, fc00::/7, fe80::/10, ff00::/8 and the unspecified addresses.
var specialBlocks = []specialBlock{
	{netip.MustParsePrefix("0.0.0.0/8"), "\"this network\" (RFC 791)"},
	{netip.MustParsePrefix("100.64.0.0/10"), "shared address space (RFC 6598)"},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol assignments (RFC 6890)"},
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation (RFC 5737)"},
	{netip.MustParsePrefix("192.88.99.0/24"), "6to4 relay anycast, deprecated (RFC 7526)"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking (RFC 2544)"},
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation (RFC 5737)"},
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation (RFC 5737)"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved (RFC 1112)"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "local-use IPv4/IPv6 translation (RFC 8215)"},
	{netip.MustParsePrefix("100::/64"), "discard-only (RFC 6666)"},
	{netip.MustParsePrefix("2001::/23"), "IETF protocol assignments (RFC 2928)"},
	{netip.MustParsePrefix("2001:db8::/32"), "documentation (RFC 3849)"},
	{netip.MustParsePrefix("3fff::/20"), "documentation (RFC 9637)"},
	{netip.MustParsePrefix("5f00::/16"), "segment routing SIDs (RFC 9602)"},
	{netip.MustParsePrefix("fec0::/10"), "site-local, deprecated (RFC 3879)"},
}

// globalIn2001 are the blocks of 2001::/23 the registry marks globally reachable.
var globalIn2001 = []netip.Prefix{
	netip.MustParsePrefix("2001:1::1/128"), // PCP anycast (RFC 7723)
	netip.MustParsePrefix("2001:1::2/128"), // TURN anycast (RFC 8155)
	netip.MustParsePrefix("2001:1::3/128"), // DNS-SD SRP anycast (RFC 9665)
	netip.MustParsePrefix("2001:3::/32"),   // AMT (RFC 7450)
	netip.MustParsePrefix("2001:4:112::/48"),
	netip.MustParsePrefix("2001:20::/28"), // ORCHIDv2 (RFC 7343)
	netip.MustParsePrefix("2001:30::/28"), // drone remote ID (RFC 9374)
}

// specialPurpose says whether a is an address a public scan must not touch — private,
// loopback, link-local, multicast, unspecified, reserved or documentation — and which kind.
// IPv4-mapped IPv6 addresses are judged as IPv4.
func specialPurpose(a netip.Addr) (kind string, special bool) {
	a = a.Unmap()
	switch {
	case !a.IsValid():
		return "invalid", true
	case a.IsUnspecified():
		return "unspecified", true
	case a.IsLoopback():
		return "loopback", true
	case a.IsPrivate():
		if a.Is4() {
			return "private (RFC 1918)", true
		}
		return "unique local (RFC 4193)", true
	case a.IsLinkLocalUnicast():
		return "link-local", true
	case a.IsMulticast():
		return "multicast", true
	case a == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return "limited broadcast (RFC 919)", true
	}
	for _, b := range specialBlocks {
		if !b.prefix.Contains(a) {
			continue
		}
		if b.prefix.Bits() == 23 && a.Is6() && inAny(globalIn2001, a) {
			return "", false
		}
		return b.kind, true
	}
	return "", false
}

func inAny(ps []netip.Prefix, a netip.Addr) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
