package hello

import (
	"fmt"
	"slices"
	"sync"
)

// Suite is one cipher suite of the IANA registry, with the attributes a check judges it
// by. Kex, Auth, Cipher and MAC come from its IANA name:
//
//	Kex     RSA, DH, DHE, ECDH, ECDHE, PSK, DHE_PSK, RSA_PSK, ECDHE_PSK, SRP, KRB5, ECCPWD,
//	        GOST, NULL; "any" for TLS 1.3 suites (the key exchange is negotiated apart)
//	Auth    RSA, DSS, ECDSA, PSK, SRP, KRB5, ECCPWD, GOST, anon, NULL; "any" for TLS 1.3
//	Cipher  the IANA token of the bulk cipher: AES_128_GCM, 3DES_EDE_CBC, RC4_128,
//	        CHACHA20_POLY1305, NULL, …
//	MAC     MD5, SHA1, SHA256, SHA384, SM3, OMAC, IMIT, NULL, or AEAD
//
// Bits is the effective strength of the bulk cipher (112 for 3DES, 56 for DES, 40 for the
// export ciphers, 0 for NULL). ForwardSecrecy is an authenticated ephemeral key exchange
// (anonymous suites have none to speak of). TLS13 marks the suites that only TLS 1.3
// negotiates (RFC 8446, RFC 8998, RFC 9150, the GOST and AEGIS ones).
type Suite struct {
	ID             uint16 `json:"id"`
	Name           string `json:"name"`
	Kex            string `json:"kex"`
	Auth           string `json:"auth"`
	Cipher         string `json:"cipher"`
	MAC            string `json:"mac"`
	Bits           int    `json:"bits"`
	Export         bool   `json:"export,omitempty"`
	Null           bool   `json:"null,omitempty"`
	Anon           bool   `json:"anon,omitempty"`
	RC4            bool   `json:"rc4,omitempty"`
	DES            bool   `json:"des,omitempty"`
	TripleDES      bool   `json:"triple_des,omitempty"`
	CBC            bool   `json:"cbc,omitempty"`
	AEAD           bool   `json:"aead,omitempty"`
	ForwardSecrecy bool   `json:"forward_secrecy,omitempty"`
	TLS13          bool   `json:"tls13,omitempty"`
}

// String returns the IANA name, or the code point for a suite outside the registry.
func (s Suite) String() string {
	if s.Name != "" {
		return s.Name
	}
	return fmt.Sprintf("0x%04X", s.ID)
}

// suiteTable is the registry with the derived attributes, built once.
var suiteTable = sync.OnceValues(func() ([]Suite, map[uint16]int) {
	list := make([]Suite, 0, len(registry))
	index := make(map[uint16]int, len(registry))
	for _, r := range registry {
		s, err := parseSuiteName(r.id, r.name)
		if err != nil {
			panic("hello: registry: " + err.Error()) // a table error; TestRegistry catches it
		}
		index[r.id] = len(list)
		list = append(list, s)
	}
	return list, index
})

// Suites returns every cipher suite of the IANA registry (TLS 1.0–1.2 and TLS 1.3 suites,
// including the export, NULL, anonymous, RC4, DES, 3DES, CBC, AEAD, CCM, ARIA, Camellia,
// SEED, SM4 and GOST ones), in code point order. The slice is the caller's.
func Suites() []Suite {
	list, _ := suiteTable()
	return slices.Clone(list)
}

// SuiteByID returns the registry's suite with code point id.
func SuiteByID(id uint16) (Suite, bool) {
	list, index := suiteTable()
	i, ok := index[id]
	if !ok {
		return Suite{ID: id}, false
	}
	return list[i], true
}

// SuiteName returns the IANA name of id, or its code point in hexadecimal.
func SuiteName(id uint16) string {
	s, _ := SuiteByID(id)
	return s.String()
}

// usableAt reports whether a suite can be negotiated at version v: TLS 1.3 suites only in
// TLS 1.3 and the others only below it; AEAD suites (GCM, CCM, ChaCha20-Poly1305) not
// before TLS 1.2. A server that picks one anyway cannot complete the handshake.
func usableAt(s Suite, v Version) bool {
	switch {
	case v == TLS13:
		return s.TLS13
	case s.TLS13:
		return false
	case s.AEAD && v.rank() < TLS12.rank():
		return false
	}
	return true
}

// offerOrder is the order in which the suites of a version are offered: the strong and
// common ones first (TLS 1.3; then forward-secret AEAD, forward-secret CBC, other AEAD,
// other CBC with a 128-bit cipher or more, 3DES), then the PSK, SRP, Kerberos, password
// and GOST suites no public client uses, then the weak ones (export, NULL, anonymous, RC4,
// DES); within a group ECDHE before DHE before the rest, then registry order. The first
// hello of a version, which holds at most MaxSuitesPerHello of them, is thus close to the
// one a modern client sends.
func offerOrder(list []Suite) []Suite {
	out := slices.Clone(list)
	slices.SortStableFunc(out, func(a, b Suite) int {
		if d := offerTier(a) - offerTier(b); d != 0 {
			return d
		}
		return kexRank(a) - kexRank(b)
	})
	return out
}

func offerTier(s Suite) int {
	switch {
	case s.TLS13:
		return 0
	case s.Export || s.Null || s.Anon || s.RC4 || s.DES || s.Bits < 112:
		return 7
	case !slices.Contains([]string{"RSA", "DH", "DHE", "ECDH", "ECDHE"}, s.Kex):
		return 6
	case s.ForwardSecrecy && s.AEAD:
		return 1
	case s.ForwardSecrecy && !s.TripleDES:
		return 2
	case s.AEAD:
		return 3
	case !s.TripleDES:
		return 4
	}
	return 5
}

func kexRank(s Suite) int {
	switch s.Kex {
	case "ECDHE":
		return 0
	case "DHE":
		return 1
	}
	return 2
}
