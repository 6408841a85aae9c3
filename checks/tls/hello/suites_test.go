package hello

import (
	"crypto/tls"
	"encoding/json"
	"slices"
	"testing"

	"ecscan/checks"
)

func TestRegistry(t *testing.T) {
	list := Suites()
	if len(list) != len(registry) || len(list) < 340 {
		t.Fatalf("%d suites from %d registry entries, want the whole registry (≥ 340)", len(list), len(registry))
	}
	for i, s := range list {
		if i > 0 && s.ID <= list[i-1].ID {
			t.Errorf("%s (0x%04X) out of order or repeated", s.Name, s.ID)
		}
		if s.Kex == "" || s.Auth == "" || s.Cipher == "" || s.MAC == "" || s.Bits == 0 && !s.Null {
			t.Errorf("%s: incomplete %+v", s.Name, s)
		}
		if s.AEAD == s.CBC && s.AEAD {
			t.Errorf("%s: both AEAD and CBC", s.Name)
		}
	}
	// Go's crypto/tls names suites by their IANA names: every one must match.
	for _, g := range slices.Concat(tls.CipherSuites(), tls.InsecureCipherSuites()) {
		if s, ok := SuiteByID(g.ID); !ok || s.Name != g.Name {
			t.Errorf("0x%04X: %q, crypto/tls says %q", g.ID, s.Name, g.Name)
		}
	}
	if _, ok := SuiteByID(0x00FF); ok {
		t.Error("the renegotiation SCSV is in the registry of suites")
	}
}

func TestSuiteAttributes(t *testing.T) {
	for _, tt := range []Suite{
		{ID: 0x0000, Kex: "NULL", Auth: "NULL", Cipher: "NULL", MAC: "NULL", Null: true, Anon: true},
		{ID: 0x0003, Kex: "RSA", Auth: "RSA", Cipher: "RC4_40", MAC: "MD5", Bits: 40, Export: true, RC4: true},
		{ID: 0x0009, Kex: "RSA", Auth: "RSA", Cipher: "DES_CBC", MAC: "SHA1", Bits: 56, DES: true, CBC: true},
		{ID: 0x000A, Kex: "RSA", Auth: "RSA", Cipher: "3DES_EDE_CBC", MAC: "SHA1", Bits: 112, TripleDES: true, CBC: true},
		{ID: 0x0014, Kex: "DHE", Auth: "RSA", Cipher: "DES40_CBC", MAC: "SHA1", Bits: 40, Export: true, DES: true, CBC: true, ForwardSecrecy: true},
		{ID: 0x0018, Kex: "DHE", Auth: "anon", Cipher: "RC4_128", MAC: "MD5", Bits: 128, Anon: true, RC4: true},
		{ID: 0x0029, Kex: "KRB5", Auth: "KRB5", Cipher: "DES_CBC_40", MAC: "MD5", Bits: 40, Export: true, DES: true, CBC: true},
		{ID: 0x009E, Kex: "DHE", Auth: "RSA", Cipher: "AES_128_GCM", MAC: "AEAD", Bits: 128, AEAD: true, ForwardSecrecy: true},
		{ID: 0x00C6, Kex: "any", Auth: "any", Cipher: "SM4_GCM", MAC: "AEAD", Bits: 128, AEAD: true, ForwardSecrecy: true, TLS13: true},
		{ID: 0x1301, Kex: "any", Auth: "any", Cipher: "AES_128_GCM", MAC: "AEAD", Bits: 128, AEAD: true, ForwardSecrecy: true, TLS13: true},
		{ID: 0x1305, Kex: "any", Auth: "any", Cipher: "AES_128_CCM_8", MAC: "AEAD", Bits: 128, AEAD: true, ForwardSecrecy: true, TLS13: true},
		{ID: 0xC011, Kex: "ECDHE", Auth: "RSA", Cipher: "RC4_128", MAC: "SHA1", Bits: 128, RC4: true, ForwardSecrecy: true},
		{ID: 0xC028, Kex: "ECDHE", Auth: "RSA", Cipher: "AES_256_CBC", MAC: "SHA384", Bits: 256, CBC: true, ForwardSecrecy: true},
		{ID: 0xC02B, Kex: "ECDHE", Auth: "ECDSA", Cipher: "AES_128_GCM", MAC: "AEAD", Bits: 128, AEAD: true, ForwardSecrecy: true},
		{ID: 0xC05C, Kex: "ECDHE", Auth: "ECDSA", Cipher: "ARIA_128_GCM", MAC: "AEAD", Bits: 128, AEAD: true, ForwardSecrecy: true},
		{ID: 0xC0AA, Kex: "DHE_PSK", Auth: "PSK", Cipher: "AES_128_CCM_8", MAC: "AEAD", Bits: 128, AEAD: true, ForwardSecrecy: true},
		{ID: 0xC0B4, Kex: "any", Auth: "any", Cipher: "NULL", MAC: "SHA256", Null: true, ForwardSecrecy: true, TLS13: true},
		{ID: 0xC100, Kex: "GOST", Auth: "GOST", Cipher: "KUZNYECHIK_CTR", MAC: "OMAC", Bits: 256},
		{ID: 0xC105, Kex: "any", Auth: "any", Cipher: "KUZNYECHIK_MGM", MAC: "AEAD", Bits: 256, AEAD: true, ForwardSecrecy: true, TLS13: true},
		{ID: 0xCCA8, Kex: "ECDHE", Auth: "RSA", Cipher: "CHACHA20_POLY1305", MAC: "AEAD", Bits: 256, AEAD: true, ForwardSecrecy: true},
		{ID: 0xD003, Kex: "ECDHE_PSK", Auth: "PSK", Cipher: "AES_128_CCM_8", MAC: "AEAD", Bits: 128, AEAD: true, ForwardSecrecy: true},
	} {
		got, ok := SuiteByID(tt.ID)
		tt.Name = got.Name
		if !ok || got != tt {
			t.Errorf("0x%04X:\n got %+v\nwant %+v", tt.ID, got, tt)
		}
	}
}

func TestParseSuiteNameErrors(t *testing.T) {
	for _, name := range []string{"SSL_RSA_WITH_NULL_MD5", "TLS_FOO_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_BLOWFISH_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_WHIRLPOOL"} {
		if _, err := parseSuiteName(1, name); err == nil {
			t.Errorf("parseSuiteName(%q): no error", name)
		}
	}
}

func TestUsableAt(t *testing.T) {
	for _, tt := range []struct {
		id   uint16
		v    Version
		want bool
	}{
		{0xC02F, TLS12, true}, {0xC02F, TLS10, false}, {0xC02F, TLS13, false},
		{0x002F, SSL30, true}, {0x1301, TLS13, true}, {0x1301, TLS12, false},
		{0xC028, TLS10, true}, // CBC with SHA-384: left to the server
	} {
		s, _ := SuiteByID(tt.id)
		if got := usableAt(s, tt.v); got != tt.want {
			t.Errorf("usableAt(%s, %s) = %v, want %v", s.Name, tt.v, got, tt.want)
		}
	}
}

func TestOfferOrder(t *testing.T) {
	cands := vsCandidates(TLS12)
	first := cands[:maxSuitesPerHello]
	// The first hello holds every suite a modern client offers.
	for _, g := range tls.CipherSuites() {
		if !slices.Contains(g.SupportedVersions, tls.VersionTLS13) && !slices.Contains(first, g.ID) {
			t.Errorf("%s is not in the first hello", g.Name)
		}
	}
	if s, _ := SuiteByID(cands[0]); s.Kex != "ECDHE" || !s.AEAD {
		t.Errorf("first suite offered %s, want an ECDHE AEAD one", s.Name)
	}
	if got := vsCandidates(TLS13); !slices.Equal(got, []uint16{0x1301, 0x1302, 0x1303, 0x1304, 0x1305}) {
		t.Errorf("TLS 1.3 candidates = %x", got)
	}
	if slices.ContainsFunc(cands, func(id uint16) bool { s, _ := SuiteByID(id); return s.TLS13 }) {
		t.Error("a TLS 1.3 suite among the TLS 1.2 candidates")
	}
}

func TestVersionJSON(t *testing.T) {
	in := map[Version]*VersionResult{TLS12: {Offered: true, AnsweredWith: TLS13, Status: checks.StatusOK}, SSL20: {Status: checks.StatusTimeout}}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"SSLv2":{"offered":false,"status":"timeout"},"TLSv1.2":{"offered":true,"answered_with":"TLSv1.3","status":"ok"}}`; string(b) != want {
		t.Errorf("JSON %s, want %s", b, want)
	}
	var out map[Version]*VersionResult
	if err := json.Unmarshal(b, &out); err != nil || out[TLS12].AnsweredWith != TLS13 || len(out) != 2 {
		t.Errorf("round trip: %v, %v", out, err)
	}
	if got := Version(0x7f1c).String(); got != "0x7f1c" {
		t.Errorf("unknown version prints %q", got)
	}
}
