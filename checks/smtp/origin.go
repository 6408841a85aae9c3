package smtp

import (
	"fmt"
	"net/netip"

	"ecscan/checks"
)

// Origin is where the tests came from as the server saw it, and whether the server may
// count that address as its own network. MTAs relay for "local" clients (Postfix's default
// mynetworks, Sendmail's relay-domains, Exim's relay_from_hosts), so a relay accepted from
// such an address may not be open to the Internet: the finding says so.
type Origin struct {
	Source netip.Addr `json:"source"`
	Server netip.Addr `json:"server"`
	// MayBeTrusted is set when Source is the server's own address, a loopback, private,
	// link-local or shared (CGNAT) address, or in the server's /24 (IPv4) or /64 (IPv6).
	MayBeTrusted bool `json:"may_be_trusted"`
	// Reason names why: "same-address", "loopback", "private", "same-network".
	Reason string `json:"reason,omitempty"`
}

var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// assessOrigin judges a test's source address against the server's.
func assessOrigin(source, server netip.Addr) *Origin {
	source, server = source.Unmap(), server.Unmap()
	o := &Origin{Source: source, Server: server, MayBeTrusted: true}
	switch {
	case !source.IsValid():
		o.MayBeTrusted = false
	case source == server:
		o.Reason = "same-address"
	case source.IsLoopback():
		o.Reason = "loopback"
	case source.IsPrivate(), source.IsLinkLocalUnicast(), cgnat.Contains(source):
		o.Reason = "private"
	case sameNetwork(source, server):
		o.Reason = "same-network"
	default:
		o.MayBeTrusted = false
	}
	return o
}

func sameNetwork(a, b netip.Addr) bool {
	bits := 64
	if a.Is4() {
		bits = 24
	}
	if a.Is4() != b.Is4() {
		return false
	}
	p, err := a.Prefix(bits)
	return err == nil && p.Contains(b)
}

// Note explains the origin: for a source the server may trust, that a relay accepted from
// it is possibly a false positive.
func (o *Origin) Note() checks.Text {
	if o == nil || !o.Source.IsValid() {
		return checks.T("試験の送信元アドレスは不明です。", "The tests' source address is unknown.")
	}
	if !o.MayBeTrusted {
		return checks.T(fmt.Sprintf("試験は %s から行いました（サーバと同じネットワークではないアドレス）。", o.Source),
			fmt.Sprintf("The tests came from %s, an address outside the server's network.", o.Source))
	}
	why := map[string][2]string{
		"same-address": {"サーバ自身のアドレス", "the server's own address"},
		"loopback":     {"ループバックアドレス", "a loopback address"},
		"private":      {"プライベートアドレス", "a private address"},
		"same-network": {"サーバと同じネットワーク", "in the server's own network"},
	}[o.Reason]
	return checks.T(
		fmt.Sprintf("誤検知の可能性があります: 試験は %s（%s）から行ったため、サーバはこの送信元をローカルとして信頼している可能性があります。インターネット上のアドレスから再試験してください。", o.Source, why[0]),
		fmt.Sprintf("Possibly a false positive: the tests came from %s (%s), which the server may trust as local. Test again from an address on the Internet.", o.Source, why[1]))
}
