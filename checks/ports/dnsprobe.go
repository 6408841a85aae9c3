package ports

import (
	"encoding/binary"
	"regexp"
)

// dnsID is the ID of the DNS probe's query.
const dnsID = 0x6563 // "ec"

// dnsVersionQuery is a DNS query over TCP (two-byte length, then the message) for
// version.bind TXT in class CHAOS: every DNS server answers it, with its version or an
// error (REFUSED, NOTIMP) when it hides it.
var dnsVersionQuery = buildDNSVersionQuery()

func buildDNSVersionQuery() []byte {
	msg := binary.BigEndian.AppendUint16(nil, dnsID)
	msg = append(msg, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0) // flags 0, one question
	msg = append(msg, 7)
	msg = append(msg, "version"...)
	msg = append(msg, 4)
	msg = append(msg, "bind"...)
	msg = append(msg, 0, 0, 16, 0, 3) // TXT, CH
	return append(binary.BigEndian.AppendUint16(nil, uint16(len(msg))), msg...)
}

// dnsAnswer reads the reply to dnsVersionQuery: ok when it is a DNS response to our ID,
// with the first TXT string of its answer (the version) when there is one.
func dnsAnswer(b []byte) (txt string, ok bool) {
	if len(b) < 14 {
		return "", false
	}
	msg := b[2:]
	if n := int(binary.BigEndian.Uint16(b)); n < len(msg) {
		msg = msg[:n]
	}
	if len(msg) < 12 || binary.BigEndian.Uint16(msg) != dnsID || msg[2]&0x80 == 0 {
		return "", false
	}
	qd, an := binary.BigEndian.Uint16(msg[4:]), binary.BigEndian.Uint16(msg[6:])
	off := 12
	for range qd {
		if off = skipName(msg, off); off < 0 || off+4 > len(msg) {
			return "", true
		}
		off += 4
	}
	if an == 0 {
		return "", true
	}
	if off = skipName(msg, off); off < 0 || off+10 > len(msg) {
		return "", true
	}
	typ := binary.BigEndian.Uint16(msg[off:])
	rdlen := int(binary.BigEndian.Uint16(msg[off+8:]))
	rdata := msg[off+10:]
	if typ != 16 || rdlen > len(rdata) || rdlen == 0 {
		return "", true
	}
	n := int(rdata[0])
	if 1+n > rdlen {
		return "", true
	}
	return string(rdata[1 : 1+n]), true
}

// skipName returns the offset after the (possibly compressed) name at off, or -1.
func skipName(msg []byte, off int) int {
	for range 128 {
		if off >= len(msg) {
			return -1
		}
		l := int(msg[off])
		switch {
		case l == 0:
			return off + 1
		case l&0xc0 == 0xc0:
			if off+2 > len(msg) {
				return -1
			}
			return off + 2
		case l&0xc0 != 0:
			return -1
		}
		off += 1 + l
	}
	return -1
}

var dnsProducts = []struct {
	re      *regexp.Regexp
	product string
}{
	{regexp.MustCompile(`^NSD ` + version), "NSD"},
	{regexp.MustCompile(`(?i)^unbound ` + version), "Unbound"},
	{regexp.MustCompile(`^PowerDNS.*? ` + version), "PowerDNS"},
	{regexp.MustCompile(`^Knot DNS ` + version), "Knot DNS"},
	{regexp.MustCompile(`^dnsmasq-` + version), "dnsmasq"},
	{regexp.MustCompile(`^(\d+\.\d+\.\d+)`), "BIND"}, // BIND answers with the bare version
}

// dnsProduct reads a version.bind answer.
func dnsProduct(txt string) (product, ver string) {
	for _, p := range dnsProducts {
		if m := p.re.FindStringSubmatch(txt); m != nil {
			return p.product, m[1]
		}
	}
	return "", ""
}
