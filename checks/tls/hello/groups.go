package hello

import (
	"crypto/ecdh"
	"crypto/rand"
	"fmt"
)

// Named groups (the TLS Supported Groups registry) that the hellos use by number.
const (
	groupSecp256r1 uint16 = 23
	groupSecp384r1 uint16 = 24
	groupSecp521r1 uint16 = 25
	groupX25519    uint16 = 29
	groupX448      uint16 = 30
)

// groupNames are the IANA names of the Supported Groups registry.
var groupNames = map[uint16]string{
	1: "sect163k1", 2: "sect163r1", 3: "sect163r2", 4: "sect193r1", 5: "sect193r2",
	6: "sect233k1", 7: "sect233r1", 8: "sect239k1", 9: "sect283k1", 10: "sect283r1",
	11: "sect409k1", 12: "sect409r1", 13: "sect571k1", 14: "sect571r1", 15: "secp160k1",
	16: "secp160r1", 17: "secp160r2", 18: "secp192k1", 19: "secp192r1", 20: "secp224k1",
	21: "secp224r1", 22: "secp256k1", 23: "secp256r1", 24: "secp384r1", 25: "secp521r1",
	26: "brainpoolP256r1", 27: "brainpoolP384r1", 28: "brainpoolP512r1", 29: "x25519",
	30: "x448", 31: "brainpoolP256r1tls13", 32: "brainpoolP384r1tls13",
	33: "brainpoolP512r1tls13", 34: "GC256A", 35: "GC256B", 36: "GC256C", 37: "GC256D",
	38: "GC512A", 39: "GC512B", 40: "GC512C", 41: "curveSM2",
	256: "ffdhe2048", 257: "ffdhe3072", 258: "ffdhe4096", 259: "ffdhe6144", 260: "ffdhe8192",
	512: "MLKEM512", 513: "MLKEM768", 514: "MLKEM1024",
	4587: "SecP256r1MLKEM768", 4588: "X25519MLKEM768", 4589: "SecP384r1MLKEM1024",
	25497: "X25519Kyber768Draft00", 25498: "SecP256r1Kyber768Draft00",
}

// GroupName returns the IANA name of a named group ("x25519", "secp256r1", "ffdhe2048"),
// or "group(N)" for a value outside the registry.
func GroupName(id uint16) string {
	if n, ok := groupNames[id]; ok {
		return n
	}
	return fmt.Sprintf("group(%d)", id)
}

// ecGroupsTLS12 are the curves a TLS 1.2 (and 1.0, 1.1) server may pick for ECDHE: the
// RFC 4492 curves, brainpool (RFC 7027), x25519 and x448 (RFC 8422), common ones first.
// Every TLS ≤ 1.2 hello offers them all in supported_groups, and the group probes offer
// them one at a time. The finite-field groups are never offered below TLS 1.3: a server
// following RFC 7919 would then refuse its DHE suites unless it knew one of them.
func ecGroupsTLS12() []uint16 {
	out := []uint16{groupX25519, groupSecp256r1, groupSecp384r1, groupSecp521r1, groupX448}
	for g := uint16(1); g <= 28; g++ {
		if g < groupSecp256r1 || g > groupSecp521r1 {
			out = append(out, g)
		}
	}
	return out
}

// groupsTLS13 are the groups a TLS 1.3 server may pick: the curves and finite-field
// groups RFC 8446 allows, brainpool (RFC 8734), the GOST and SM2 curves (RFC 9367,
// RFC 8998), and the ML-KEM and hybrid post-quantum groups, common ones first.
func groupsTLS13() []uint16 {
	return []uint16{
		groupX25519, groupSecp256r1, groupSecp384r1, groupSecp521r1, groupX448,
		4588, 4587, 4589, 512, 513, 514, 25497, 25498,
		256, 257, 258, 259, 260,
		31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41,
	}
}

// keyShareCurves are the groups for which the hellos can send a real key share.
var keyShareCurves = map[uint16]ecdh.Curve{
	groupX25519:    ecdh.X25519(),
	groupSecp256r1: ecdh.P256(),
	groupSecp384r1: ecdh.P384(),
	groupSecp521r1: ecdh.P521(),
}

// keyShare is one KeyShareEntry of a TLS 1.3 ClientHello.
type keyShare struct {
	group uint16
	data  []byte
}

// newKeyShares returns fresh key shares for those of groups the hellos can make one for
// (x25519 and the NIST curves). The private keys are thrown away: no handshake goes past
// the ServerHello.
func newKeyShares(groups ...uint16) ([]keyShare, error) {
	var out []keyShare
	for _, g := range groups {
		c, ok := keyShareCurves[g]
		if !ok {
			continue
		}
		k, err := c.GenerateKey(rand.Reader)
		if err != nil {
			return nil, fmt.Errorf("key share %s: %w", GroupName(g), err)
		}
		out = append(out, keyShare{group: g, data: k.PublicKey().Bytes()})
	}
	return out, nil
}
