package hello

import (
	"crypto/rand"
	"net/netip"

	"golang.org/x/crypto/cryptobyte"
)

// TLS record content types and handshake message types.
const (
	recordChangeCipherSpec = 20
	recordAlert            = 21
	recordHandshake        = 22
	recordApplicationData  = 23

	msgClientHello       = 1
	msgServerHello       = 2
	msgCertificate       = 11
	msgServerKeyExchange = 12
	msgCertificateReq    = 13
	msgServerHelloDone   = 14
	msgCertificateStatus = 22
)

// Extension types.
const (
	extServerName          = 0
	extSupportedGroups     = 10
	extECPointFormats      = 11
	extSignatureAlgorithms = 13
	extPadding             = 21
	extExtendedMaster      = 23
	extSupportedVersions   = 43
	extPSKModes            = 45
	extKeyShare            = 51
	extRenegotiationInfo   = 0xff01
)

// scsvRenegotiation is TLS_EMPTY_RENEGOTIATION_INFO_SCSV, offered by SSLv3 hellos in place
// of the renegotiation_info extension.
const scsvRenegotiation = 0x00FF

// sigAlgsTLS13 are the signature schemes a TLS 1.3 hello offers: every ECDSA, EdDSA and
// RSA scheme of RFC 8446 with SHA-256, SHA-384 and SHA-512 (servers whose certificate
// needs ecdsa_secp384r1_sha384 or rsa_pss_rsae_sha384 refuse hellos without them), the
// brainpool ones, and SHA-1 last.
var sigAlgsTLS13 = []uint16{
	0x0403, 0x0503, 0x0603, // ecdsa_secp256r1_sha256, secp384r1_sha384, secp521r1_sha512
	0x0807, 0x0808, // ed25519, ed448
	0x0804, 0x0805, 0x0806, // rsa_pss_rsae_sha256, sha384, sha512
	0x0809, 0x080a, 0x080b, // rsa_pss_pss_sha256, sha384, sha512
	0x0401, 0x0501, 0x0601, // rsa_pkcs1_sha256, sha384, sha512
	0x081a, 0x081b, 0x081c, // ecdsa_brainpoolP256r1tls13_sha256, P384 sha384, P512 sha512
	0x0201, 0x0203, // rsa_pkcs1_sha1, ecdsa_sha1
}

// sigAlgsTLS12 adds the DSA and SHA-224 schemes of RFC 5246, so that no certificate is
// refused for its signature scheme.
var sigAlgsTLS12 = append(append([]uint16(nil), sigAlgsTLS13...),
	0x0202, 0x0402, 0x0502, 0x0602, // dsa_sha1, dsa_sha256, dsa_sha384, dsa_sha512
	0x0301, 0x0302, 0x0303, // rsa_sha224, dsa_sha224, ecdsa_sha224
)

// helloSpec is what one ClientHello offers.
type helloSpec struct {
	version    Version  // the version probed (SSL30 … TLS13)
	suites     []uint16 // cipher suites, in order
	groups     []uint16 // supported_groups (TLS 1.0 and above)
	shares     []keyShare
	serverName string // SNI; none when empty or an IP address
}

// buildClientHello returns the ClientHello of spec in one TLS record. SSLv3 hellos carry
// no extensions and signal secure renegotiation with the SCSV; TLS 1.0–1.2 hellos carry
// server_name, supported_groups, ec_point_formats, signature_algorithms (TLS 1.2),
// extended_master_secret and renegotiation_info; TLS 1.3 hellos carry server_name,
// supported_versions (0x0304 only), supported_groups, key_share, signature_algorithms and
// psk_key_exchange_modes. A hello whose length would fall between 256 and 511 bytes is
// padded to 512 (RFC 7685): some servers hang on those lengths.
func buildClientHello(spec helloSpec) ([]byte, error) {
	var random [32]byte
	rand.Read(random[:])
	var session []byte
	if spec.version == TLS13 {
		session = make([]byte, 32)
		rand.Read(session)
	}
	body := helloBody(spec, random[:], session, 0)
	if n := len(body) + 4; n > 0xff && n < 0x200 && spec.version != SSL30 {
		pad := 0x200 - n
		if pad >= 5 {
			pad -= 4
		} else {
			pad = 1
		}
		body = helloBody(spec, random[:], session, pad)
	}
	recVersion := uint16(TLS10)
	if spec.version == SSL30 {
		recVersion = uint16(SSL30)
	}
	var b cryptobyte.Builder
	b.AddUint8(recordHandshake)
	b.AddUint16(recVersion)
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
		b.AddUint8(msgClientHello)
		b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(body) })
	})
	return b.Bytes()
}

// helloBody is the ClientHello body; pad > 0 adds a padding extension of that many bytes.
func helloBody(spec helloSpec, random, session []byte, pad int) []byte {
	var b cryptobyte.Builder
	legacy := spec.version
	if legacy == TLS13 {
		legacy = TLS12
	}
	b.AddUint16(uint16(legacy))
	b.AddBytes(random)
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(session) })
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
		for _, s := range spec.suites {
			b.AddUint16(s)
		}
		if spec.version == SSL30 {
			b.AddUint16(scsvRenegotiation)
		}
	})
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddUint8(0) }) // null compression
	if spec.version != SSL30 {
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { addExtensions(b, spec, pad) })
	}
	return b.BytesOrPanic()
}

func addExtensions(b *cryptobyte.Builder, spec helloSpec, pad int) {
	if name := sniName(spec.serverName); name != "" {
		addExtension(b, extServerName, func(b *cryptobyte.Builder) {
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
				b.AddUint8(0) // host_name
				b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte(name)) })
			})
		})
	}
	if spec.version == TLS13 {
		addExtension(b, extSupportedVersions, func(b *cryptobyte.Builder) {
			b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddUint16(uint16(TLS13)) })
		})
	}
	addExtension(b, extSupportedGroups, func(b *cryptobyte.Builder) { addUint16List(b, spec.groups) })
	if spec.version == TLS13 {
		addExtension(b, extKeyShare, func(b *cryptobyte.Builder) {
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
				for _, ks := range spec.shares {
					b.AddUint16(ks.group)
					b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(ks.data) })
				}
			})
		})
		addExtension(b, extSignatureAlgorithms, func(b *cryptobyte.Builder) { addUint16List(b, sigAlgsTLS13) })
		addExtension(b, extPSKModes, func(b *cryptobyte.Builder) {
			b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddUint8(1) }) // psk_dhe_ke
		})
	} else {
		addExtension(b, extECPointFormats, func(b *cryptobyte.Builder) {
			b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddUint8(0) }) // uncompressed
		})
		if spec.version == TLS12 {
			addExtension(b, extSignatureAlgorithms, func(b *cryptobyte.Builder) { addUint16List(b, sigAlgsTLS12) })
		}
		addExtension(b, extExtendedMaster, func(*cryptobyte.Builder) {})
		addExtension(b, extRenegotiationInfo, func(b *cryptobyte.Builder) { b.AddUint8(0) })
	}
	if pad > 0 {
		addExtension(b, extPadding, func(b *cryptobyte.Builder) { b.AddBytes(make([]byte, pad)) })
	}
}

func addExtension(b *cryptobyte.Builder, typ uint16, body func(*cryptobyte.Builder)) {
	b.AddUint16(typ)
	b.AddUint16LengthPrefixed(body)
}

func addUint16List(b *cryptobyte.Builder, list []uint16) {
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
		for _, v := range list {
			b.AddUint16(v)
		}
	})
}

// sniName returns the name to send as SNI: none for an empty name or an IP address
// (RFC 6066 forbids literal addresses), and no trailing dot.
func sniName(name string) string {
	if _, err := netip.ParseAddr(name); err == nil || name == "" {
		return ""
	}
	if len(name) > 255 {
		return ""
	}
	if name[len(name)-1] == '.' {
		name = name[:len(name)-1]
	}
	return name
}
