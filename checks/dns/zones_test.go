package dns

import (
	"crypto"
	"net/netip"
	"testing"
	"time"

	miekg "github.com/miekg/dns"
)

// The tests' little Internet, modelled on the lab. Addresses outside 127/8 in these zones
// are data only: discovery reports them, nothing ever connects to them (the check reaches
// name servers only through Config.serverAddr, which the tests point at fakes).

// ecshopZone is the misconfigured shop: AXFR for anyone, SPF +all, no DMARC, no CAA,
// unsigned; its name server recurses.
const ecshopZone = `
$TTL 3600
@       SOA   ns1.ecshop.test. hostmaster.ecshop.test. 2024010101 3600 900 604800 300
@       NS    ns1.ecshop.test.
@       NS    ns.dns-host.test.
@       MX    10 mail.ecshop.test.
@       MX    20 mx.mail-provider.test.
@       A     93.184.215.80
@       TXT   "v=spf1 +all"
www     A     93.184.215.80
mail    A     93.184.215.25
ns1     A     127.0.53.1
shop    A     93.184.215.81
admin   CNAME www
db      A     10.0.30.33
`

// safeZone is the hardened twin: two name servers, AXFR refused, SPF -all, DMARC reject,
// CAA, signed (the DNSKEY, its RRSIG and the DS are added by signedSafeZone).
const safeZone = `
$TTL 3600
@       SOA   ns1.safe-shop.test. hostmaster.safe-shop.test. 2024020202 3600 900 604800 300
@       NS    ns1.safe-shop.test.
@       NS    ns2.safe-shop.test.
@       MX    10 mail.safe-shop.test.
@       A     93.184.215.180
@       TXT   "v=spf1 mx -all"
@       TXT   "google-site-verification=abc"
@       CAA   0 issue "letsencrypt.org"
_dmarc  TXT   "v=DMARC1; p=reject; rua=mailto:dmarc@safe-shop.test"
www     A     93.184.215.180
mail    A     93.184.215.125
ns1     A     127.0.54.1
ns2     A     127.0.54.2
`

const otherZones = `
mx.mail-provider.test.  3600 A 93.184.216.26
ns.dns-host.test.       3600 A 127.0.55.1
www.example.net.        3600 A 93.184.216.34
host.other.test.        3600 A 93.184.217.1
host.other.test.        3600 AAAA 2606:2800:220:1::1
priv.other.test.        3600 A 10.1.2.3
extra.other.test.       3600 A 93.184.217.2
`

// soaFor is a minimal SOA for the outside world's zones.
func soaFor(origin string) string {
	return origin + " 3600 SOA ns.dns-host.test. hostmaster.dns-host.test. 1 3600 900 604800 300\n"
}

// newWorld parses every zone; safe-shop.test is signed with a key generated here, valid
// around now.
func newWorld(t *testing.T, now time.Time) world {
	t.Helper()
	w := world{parseZone(t, "ecshop.test.", ecshopZone), signedSafeZone(t, now)}
	for _, o := range []string{"mail-provider.test.", "dns-host.test.", "example.net.", "other.test."} {
		z := parseZone(t, o, soaFor(o))
		for _, rr := range parseZone(t, o, soaFor(o)+otherZones).rrs {
			if within(rr.Header().Name, o) && rr.Header().Rrtype != miekg.TypeSOA {
				z.rrs = append(z.rrs, rr)
			}
		}
		w = append(w, z)
	}
	return w
}

// signedSafeZone parses safeZone and signs its DNSKEY set; the DS is served from the
// zone too (the fake resolver answers DS from there, standing in for the parent).
func signedSafeZone(t *testing.T, now time.Time) *zone {
	t.Helper()
	z := parseZone(t, "safe-shop.test.", safeZone)
	key, priv := newKey(t, "safe-shop.test.")
	sig := signKeys(t, key, priv, now.Add(-24*time.Hour), now.Add(30*24*time.Hour))
	z.rrs = append(z.rrs, key, key.ToDS(miekg.SHA256))
	z.sigs = append(z.sigs, sig)
	return z
}

// newKey generates an ECDSA P-256 key-signing key for zone.
func newKey(t *testing.T, zoneName string) (*miekg.DNSKEY, crypto.Signer) {
	t.Helper()
	key := &miekg.DNSKEY{
		Hdr:       miekg.RR_Header{Name: zoneName, Rrtype: miekg.TypeDNSKEY, Class: miekg.ClassINET, Ttl: 3600},
		Flags:     257,
		Protocol:  3,
		Algorithm: miekg.ECDSAP256SHA256,
	}
	priv, err := key.Generate(256)
	if err != nil {
		t.Fatal(err)
	}
	return key, priv.(crypto.Signer)
}

// signKeys returns an RRSIG over the DNSKEY set {key}, valid from inception to expiration.
func signKeys(t *testing.T, key *miekg.DNSKEY, priv crypto.Signer, inception, expiration time.Time) *miekg.RRSIG {
	t.Helper()
	sig := &miekg.RRSIG{
		Hdr:         miekg.RR_Header{Name: key.Hdr.Name, Rrtype: miekg.TypeRRSIG, Class: miekg.ClassINET, Ttl: 3600},
		TypeCovered: miekg.TypeDNSKEY,
		Algorithm:   key.Algorithm,
		Labels:      uint8(miekg.CountLabel(key.Hdr.Name)),
		OrigTtl:     3600,
		Inception:   uint32(inception.Unix()),
		Expiration:  uint32(expiration.Unix()),
		KeyTag:      key.KeyTag(),
		SignerName:  key.Hdr.Name,
	}
	if err := sig.Sign(priv, []miekg.RR{key}); err != nil {
		t.Fatal(err)
	}
	return sig
}

// fakeResolver starts a recursive resolver over the world.
func fakeResolver(t *testing.T, w world) (netip.AddrPort, *fakeNS) {
	t.Helper()
	f := &fakeNS{world: w, resolver: true}
	return startFake(t, f), f
}
