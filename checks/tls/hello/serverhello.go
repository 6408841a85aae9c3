package hello

import (
	"bytes"
	"math/big"

	"ecscan/checks"
	"golang.org/x/crypto/cryptobyte"
)

// hrrRandom is the Random of a HelloRetryRequest (RFC 8446 §4.1.3): SHA-256 of
// "HelloRetryRequest".
var hrrRandom = []byte{
	0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
	0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
}

// serverHello is a parsed ServerHello (or HelloRetryRequest).
type serverHello struct {
	legacyVersion Version
	version       Version // supported_versions when present, else legacyVersion
	suite         uint16
	compression   uint8
	extensions    []uint16 // extension types, in order
	hrr           bool     // a HelloRetryRequest
	group         uint16   // TLS 1.3: the key_share group (selected_group of an HRR)
}

// parseServerHello parses a ServerHello body: version, random, session_id (at most 32
// bytes), cipher_suite, compression_method and, when any bytes remain, the extensions,
// which must account for all of them. Of the extensions it reads supported_versions (the
// version TLS 1.3 servers negotiate) and key_share.
func parseServerHello(body []byte) (*serverHello, error) {
	s := cryptobyte.String(body)
	var sh serverHello
	var ver uint16
	var random, session []byte
	if !s.ReadUint16(&ver) || !s.ReadBytes(&random, 32) || !s.ReadUint8LengthPrefixed((*cryptobyte.String)(&session)) ||
		!s.ReadUint16(&sh.suite) || !s.ReadUint8(&sh.compression) {
		return nil, checks.Protocolf("tls: truncated ServerHello")
	}
	if ver>>8 != 3 {
		return nil, checks.Protocolf("tls: ServerHello version 0x%04x", ver)
	}
	if len(session) > 32 {
		return nil, checks.Protocolf("tls: ServerHello session_id of %d bytes", len(session))
	}
	sh.legacyVersion, sh.version = Version(ver), Version(ver)
	sh.hrr = bytes.Equal(random, hrrRandom)
	if s.Empty() {
		return &sh, nil
	}
	var exts cryptobyte.String
	if !s.ReadUint16LengthPrefixed(&exts) || !s.Empty() {
		return nil, checks.Protocolf("tls: malformed ServerHello extensions")
	}
	for !exts.Empty() {
		var typ uint16
		var data cryptobyte.String
		if !exts.ReadUint16(&typ) || !exts.ReadUint16LengthPrefixed(&data) {
			return nil, checks.Protocolf("tls: malformed ServerHello extension")
		}
		if len(sh.extensions) < 64 {
			sh.extensions = append(sh.extensions, typ)
		}
		if err := sh.readExtension(typ, data); err != nil {
			return nil, err
		}
	}
	return &sh, nil
}

func (sh *serverHello) readExtension(typ uint16, data cryptobyte.String) error {
	switch typ {
	case extSupportedVersions:
		var v uint16
		if !data.ReadUint16(&v) || !data.Empty() {
			return checks.Protocolf("tls: malformed supported_versions in ServerHello")
		}
		sh.version = Version(v)
	case extKeyShare:
		if !data.ReadUint16(&sh.group) {
			return checks.Protocolf("tls: malformed key_share in ServerHello")
		}
		var key cryptobyte.String
		if !sh.hrr && (!data.ReadUint16LengthPrefixed(&key) || len(key) == 0) || !data.Empty() {
			return checks.Protocolf("tls: malformed key_share in ServerHello")
		}
	}
	return nil
}

// maxCertificates bounds the chain kept from a Certificate message.
const maxCertificates = 16

// parseCertificates parses a TLS ≤ 1.2 Certificate body: a list of DER certificates.
func parseCertificates(body []byte) ([][]byte, error) {
	s := cryptobyte.String(body)
	var list cryptobyte.String
	if !s.ReadUint24LengthPrefixed(&list) || !s.Empty() {
		return nil, checks.Protocolf("tls: malformed Certificate message")
	}
	var certs [][]byte
	for !list.Empty() {
		var c cryptobyte.String
		if !list.ReadUint24LengthPrefixed(&c) || len(c) == 0 {
			return nil, checks.Protocolf("tls: malformed certificate in Certificate message")
		}
		if len(certs) < maxCertificates {
			certs = append(certs, bytes.Clone(c))
		}
	}
	return certs, nil
}

// keyExchange is what a ServerKeyExchange shows: the ECDHE curve (named_curve), or the
// size of the DHE prime in bits.
type keyExchange struct {
	group  uint16
	dhBits int
}

// parseServerKeyExchange reads the parameters at the start of a ServerKeyExchange body for
// the key exchange of suite: a PSK identity hint first for the *_PSK exchanges; then for
// ECDHE the ECParameters (curve_type 3, named_curve: explicit curves are reported as no
// group), for DHE the prime dh_p. Other exchanges give nothing.
func parseServerKeyExchange(body []byte, suite Suite) (keyExchange, error) {
	s := cryptobyte.String(body)
	var kx keyExchange
	if suite.Kex == "DHE_PSK" || suite.Kex == "ECDHE_PSK" {
		var hint cryptobyte.String
		if !s.ReadUint16LengthPrefixed(&hint) {
			return kx, checks.Protocolf("tls: malformed ServerKeyExchange")
		}
	}
	switch suite.Kex {
	case "ECDHE", "ECDHE_PSK":
		var curveType uint8
		if !s.ReadUint8(&curveType) {
			return kx, checks.Protocolf("tls: malformed ServerKeyExchange")
		}
		if curveType == 3 && !s.ReadUint16(&kx.group) {
			return kx, checks.Protocolf("tls: malformed ServerKeyExchange")
		}
	case "DHE", "DHE_PSK":
		var p cryptobyte.String
		if !s.ReadUint16LengthPrefixed(&p) || len(p) == 0 {
			return kx, checks.Protocolf("tls: malformed ServerKeyExchange")
		}
		kx.dhBits = new(big.Int).SetBytes(p).BitLen()
	}
	return kx, nil
}
