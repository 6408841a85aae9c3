package hello

import (
	"fmt"
	"strings"
)

// kexAuth is what the part of an IANA name before _WITH_ says: the key exchange, the
// authentication, and whether it is an export, anonymous or forward-secret one.
type kexAuth struct {
	kex, auth        string
	export, anon, fs bool
}

var kexAuths = map[string]kexAuth{
	"NULL":            {kex: "NULL", auth: "NULL", anon: true},
	"RSA":             {kex: "RSA", auth: "RSA"},
	"RSA_EXPORT":      {kex: "RSA", auth: "RSA", export: true},
	"DH_DSS":          {kex: "DH", auth: "DSS"},
	"DH_RSA":          {kex: "DH", auth: "RSA"},
	"DH_DSS_EXPORT":   {kex: "DH", auth: "DSS", export: true},
	"DH_RSA_EXPORT":   {kex: "DH", auth: "RSA", export: true},
	"DHE_DSS":         {kex: "DHE", auth: "DSS", fs: true},
	"DHE_RSA":         {kex: "DHE", auth: "RSA", fs: true},
	"DHE_DSS_EXPORT":  {kex: "DHE", auth: "DSS", export: true, fs: true},
	"DHE_RSA_EXPORT":  {kex: "DHE", auth: "RSA", export: true, fs: true},
	"DH_anon":         {kex: "DHE", auth: "anon", anon: true},
	"DH_anon_EXPORT":  {kex: "DHE", auth: "anon", anon: true, export: true},
	"KRB5":            {kex: "KRB5", auth: "KRB5"},
	"KRB5_EXPORT":     {kex: "KRB5", auth: "KRB5", export: true},
	"PSK":             {kex: "PSK", auth: "PSK"},
	"DHE_PSK":         {kex: "DHE_PSK", auth: "PSK", fs: true},
	"PSK_DHE":         {kex: "DHE_PSK", auth: "PSK", fs: true},
	"RSA_PSK":         {kex: "RSA_PSK", auth: "RSA"},
	"ECDH_ECDSA":      {kex: "ECDH", auth: "ECDSA"},
	"ECDH_RSA":        {kex: "ECDH", auth: "RSA"},
	"ECDHE_ECDSA":     {kex: "ECDHE", auth: "ECDSA", fs: true},
	"ECDHE_RSA":       {kex: "ECDHE", auth: "RSA", fs: true},
	"ECDH_anon":       {kex: "ECDHE", auth: "anon", anon: true},
	"ECDHE_PSK":       {kex: "ECDHE_PSK", auth: "PSK", fs: true},
	"SRP_SHA":         {kex: "SRP", auth: "SRP"},
	"SRP_SHA_RSA":     {kex: "SRP", auth: "RSA"},
	"SRP_SHA_DSS":     {kex: "SRP", auth: "DSS"},
	"ECCPWD":          {kex: "ECCPWD", auth: "ECCPWD", fs: true},
	"GOSTR341112_256": {kex: "GOST", auth: "GOST"},
}

// bulk is a bulk cipher token of an IANA name.
type bulk struct {
	token     string
	bits      int
	aead, cbc bool
}

// bulks are matched as prefixes of the part after _WITH_, longest first where one token
// begins another (DES_CBC_40 before DES_CBC, AES_128_CCM_8 before AES_128_CCM).
var bulks = []bulk{
	{token: "NULL"},
	{token: "RC4_40", bits: 40}, {token: "RC4_128", bits: 128},
	{token: "RC2_CBC_40", bits: 40, cbc: true},
	{token: "IDEA_CBC", bits: 128, cbc: true},
	{token: "DES40_CBC", bits: 40, cbc: true},
	{token: "DES_CBC_40", bits: 40, cbc: true},
	{token: "DES_CBC", bits: 56, cbc: true},
	{token: "3DES_EDE_CBC", bits: 112, cbc: true},
	{token: "SEED_CBC", bits: 128, cbc: true},
	{token: "AES_128_CCM_8", bits: 128, aead: true}, {token: "AES_256_CCM_8", bits: 256, aead: true},
	{token: "AES_128_CCM", bits: 128, aead: true}, {token: "AES_256_CCM", bits: 256, aead: true},
	{token: "CHACHA20_POLY1305", bits: 256, aead: true},
	{token: "AEGIS_256", bits: 256, aead: true}, {token: "AEGIS_128L", bits: 128, aead: true},
	{token: "SM4_GCM", bits: 128, aead: true}, {token: "SM4_CCM", bits: 128, aead: true},
	{token: "KUZNYECHIK_CTR", bits: 256}, {token: "MAGMA_CTR", bits: 256},
	{token: "28147_CNT", bits: 256},
	{token: "KUZNYECHIK_MGM", bits: 256, aead: true}, {token: "MAGMA_MGM", bits: 256, aead: true},
}

func init() {
	for _, family := range []string{"AES", "CAMELLIA", "ARIA"} {
		for _, size := range []int{128, 256} {
			for _, mode := range []string{"CBC", "GCM"} {
				t := fmt.Sprintf("%s_%d_%s", family, size, mode)
				bulks = append(bulks, bulk{token: t, bits: size, aead: mode == "GCM", cbc: mode == "CBC"})
			}
		}
	}
}

// macs maps the last token of an IANA name to the MAC (for AEAD suites it names the PRF
// hash, or the tag length of MGM, and the MAC is "AEAD").
var macs = map[string]string{
	"MD5": "MD5", "SHA": "SHA1", "SHA256": "SHA256", "SHA384": "SHA384", "SM3": "SM3",
	"OMAC": "OMAC", "IMIT": "IMIT", "NULL": "NULL", "L": "AEAD", "S": "AEAD", "": "AEAD",
}

// tls13Only lists the suites outside 0x13xx that only TLS 1.3 negotiates.
var tls13Only = map[uint16]bool{
	0x00C6: true, 0x00C7: true, // SM4 (RFC 8998)
	0xC0B4: true, 0xC0B5: true, // integrity only (RFC 9150)
	0xC103: true, 0xC104: true, 0xC105: true, 0xC106: true, // GOST MGM
}

// parseSuiteName derives a Suite from its code point and IANA name.
func parseSuiteName(id uint16, name string) (Suite, error) {
	s := Suite{ID: id, Name: name, TLS13: id>>8 == 0x13 || tls13Only[id]}
	rest, ok := strings.CutPrefix(name, "TLS_")
	if !ok {
		return s, fmt.Errorf("%s: no TLS_ prefix", name)
	}
	if before, after, found := strings.Cut(rest, "_WITH_"); found {
		ka, ok := kexAuths[before]
		if !ok {
			return s, fmt.Errorf("%s: unknown key exchange %q", name, before)
		}
		s.Kex, s.Auth, s.Export, s.Anon, s.ForwardSecrecy = ka.kex, ka.auth, ka.export, ka.anon, ka.fs
		rest = after
	}
	if s.TLS13 {
		s.Kex, s.Auth, s.ForwardSecrecy = "any", "any", true
	}
	if rest == "SHA256_SHA256" || rest == "SHA384_SHA384" { // RFC 9150: no encryption
		s.Cipher, s.MAC, s.Null = "NULL", rest[:6], true
		return s, nil
	}
	b, ok := matchBulk(rest)
	if !ok {
		return s, fmt.Errorf("%s: unknown cipher in %q", name, rest)
	}
	mac, ok := macs[strings.TrimPrefix(rest[len(b.token):], "_")]
	if !ok {
		return s, fmt.Errorf("%s: unknown MAC in %q", name, rest)
	}
	if b.aead {
		mac = "AEAD"
	}
	s.Cipher, s.MAC, s.Bits, s.AEAD, s.CBC = b.token, mac, b.bits, b.aead, b.cbc
	s.Null = b.token == "NULL"
	s.RC4 = strings.HasPrefix(b.token, "RC4")
	s.DES = strings.HasPrefix(b.token, "DES")
	s.TripleDES = b.token == "3DES_EDE_CBC"
	s.Export = s.Export || b.bits == 40
	return s, nil
}

// matchBulk returns the longest bulk token that rest begins with, followed by "_" or the
// end.
func matchBulk(rest string) (bulk, bool) {
	var best bulk
	found := false
	for _, b := range bulks {
		if (rest == b.token || strings.HasPrefix(rest, b.token+"_")) && len(b.token) > len(best.token) {
			best, found = b, true
		}
	}
	return best, found
}
