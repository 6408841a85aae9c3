package tls

import "fmt"

// groupTable names the TLS named groups (IANA "TLS Supported Groups") with their size: the
// curve's order in bits, the finite-field modulus, or for a hybrid the classical part.
var groupTable = map[uint16]Group{
	1: {Name: "sect163k1", Bits: 163}, 2: {Name: "sect163r1", Bits: 163}, 3: {Name: "sect163r2", Bits: 163},
	4: {Name: "sect193r1", Bits: 193}, 5: {Name: "sect193r2", Bits: 193}, 6: {Name: "sect233k1", Bits: 233},
	7: {Name: "sect233r1", Bits: 233}, 8: {Name: "sect239k1", Bits: 239}, 9: {Name: "sect283k1", Bits: 283},
	10: {Name: "sect283r1", Bits: 283}, 11: {Name: "sect409k1", Bits: 409}, 12: {Name: "sect409r1", Bits: 409},
	13: {Name: "sect571k1", Bits: 571}, 14: {Name: "sect571r1", Bits: 571}, 15: {Name: "secp160k1", Bits: 160},
	16: {Name: "secp160r1", Bits: 160}, 17: {Name: "secp160r2", Bits: 160}, 18: {Name: "secp192k1", Bits: 192},
	19: {Name: "secp192r1", Bits: 192}, 20: {Name: "secp224k1", Bits: 224}, 21: {Name: "secp224r1", Bits: 224},
	22: {Name: "secp256k1", Bits: 256}, 23: {Name: "secp256r1", Bits: 256}, 24: {Name: "secp384r1", Bits: 384},
	25: {Name: "secp521r1", Bits: 521}, 26: {Name: "brainpoolP256r1", Bits: 256}, 27: {Name: "brainpoolP384r1", Bits: 384},
	28: {Name: "brainpoolP512r1", Bits: 512}, 29: {Name: "x25519", Bits: 256}, 30: {Name: "x448", Bits: 448},
	31: {Name: "brainpoolP256r1tls13", Bits: 256}, 32: {Name: "brainpoolP384r1tls13", Bits: 384},
	33:     {Name: "brainpoolP512r1tls13", Bits: 512},
	0x0100: {Name: "ffdhe2048", Bits: 2048, FFDH: true}, 0x0101: {Name: "ffdhe3072", Bits: 3072, FFDH: true},
	0x0102: {Name: "ffdhe4096", Bits: 4096, FFDH: true}, 0x0103: {Name: "ffdhe6144", Bits: 6144, FFDH: true},
	0x0104: {Name: "ffdhe8192", Bits: 8192, FFDH: true},
	0x11eb: {Name: "SecP256r1MLKEM768", Bits: 256}, 0x11ec: {Name: "X25519MLKEM768", Bits: 256},
	0x11ed: {Name: "SecP384r1MLKEM1024", Bits: 384},
}

// GroupByID describes a named group; an unknown one gets its number as name and no size.
func GroupByID(id uint16) Group {
	g, ok := groupTable[id]
	if !ok {
		return Group{ID: id, Name: fmt.Sprintf("0x%04x", id)}
	}
	g.ID = id
	return g
}

// sslv2Ciphers are the SSLv2 cipher kinds (RFC draft "The SSL Protocol", appendix C).
var sslv2Ciphers = map[uint32]Suite{
	0x010080: {Name: "SSL_CK_RC4_128_WITH_MD5", Cipher: "RC4", Bits: 128, RC4: true},
	0x020080: {Name: "SSL_CK_RC4_128_EXPORT40_WITH_MD5", Cipher: "RC4", Bits: 40, RC4: true, Export: true},
	0x030080: {Name: "SSL_CK_RC2_128_CBC_WITH_MD5", Cipher: "RC2", Bits: 128, CBC: true, Block64: true},
	0x040080: {Name: "SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5", Cipher: "RC2", Bits: 40, CBC: true, Block64: true, Export: true},
	0x050080: {Name: "SSL_CK_IDEA_128_CBC_WITH_MD5", Cipher: "IDEA", Bits: 128, CBC: true, Block64: true},
	0x060040: {Name: "SSL_CK_DES_64_CBC_WITH_MD5", Cipher: "DES", Bits: 56, CBC: true, Block64: true, DES: true},
	0x0700c0: {Name: "SSL_CK_DES_192_EDE3_CBC_WITH_MD5", Cipher: "3DES", Bits: 112, CBC: true, Block64: true, TripleDES: true},
}

// SSLv2Suite describes an SSLv2 cipher kind. Every SSLv2 kind uses RSA key exchange and MD5.
func SSLv2Suite(spec uint32) Suite {
	s, ok := sslv2Ciphers[spec]
	if !ok {
		return Suite{Spec: spec, Name: fmt.Sprintf("SSLv2 0x%06x", spec)}
	}
	s.Spec, s.Kex, s.Auth, s.MAC, s.Known = spec, "RSA", "RSA", "MD5", true
	return s
}

// rsaEquivalent is the RSA modulus size of about the same strength as an elliptic-curve key or
// group of ecBits (NIST SP 800-57 part 1, table 2), so that the rating guide's key table,
// written for RSA and DH sizes, applies to EC keys too.
func rsaEquivalent(ecBits int) int {
	switch {
	case ecBits >= 512:
		return 15360
	case ecBits >= 384:
		return 7680
	case ecBits >= 256:
		return 3072
	case ecBits >= 224:
		return 2048
	case ecBits >= 160:
		return 1024
	case ecBits > 0:
		return 512
	}
	return 0
}
