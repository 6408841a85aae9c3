package tls

import (
	"slices"
	"strings"
	"testing"
)

func TestComputeGrade(t *testing.T) {
	good := func(e *Enumeration) GradeInput {
		return GradeInput{Enumeration: e, KeyType: "RSA", KeyBits: 2048, Web: true, HSTSMaxAge: 31536000}
	}
	edit := func(in GradeInput, f func(*GradeInput)) GradeInput { f(&in); return in }
	no := false
	dhe1024 := offered(TLS12, sDHE128)
	dhe1024.DHBits = 1024
	sslv2Bare := ProtocolSupport{Version: SSL20, NoUsableSuite: true}
	tests := []struct {
		name      string
		in        GradeInput
		letter    string
		ifTrusted string
		score     int    // -1: not compared
		rules     string // the applied rules' IDs, comma-separated, in table order
	}{
		{"modern with HSTS", good(modern()), "A+", "", 93, ""},
		{"modern without HSTS", edit(good(modern()), func(in *GradeInput) { in.HSTSMaxAge = -1 }), "A", "", 93, "no-hsts"},
		{"HSTS max-age one second short", edit(good(modern()), func(in *GradeInput) { in.HSTSMaxAge = HSTSMinAge - 1 }), "A", "", 93, "no-hsts"},
		{"HSTS max-age 180 days", edit(good(modern()), func(in *GradeInput) { in.HSTSMaxAge = HSTSMinAge }), "A+", "", 93, ""},
		{"mail server: no HSTS possible", edit(good(modern()), func(in *GradeInput) { in.Web = false }), "A", "", 93, "no-hsts"},
		{"TLS 1.3 only", good(enumOf(offered(TLS13, sTLS13a, sTLS13b))), "A+", "", 93, ""},
		{"P-384 key and group", edit(good(enumOf(offered(TLS13, sTLS13b))), func(in *GradeInput) {
			in.KeyType, in.KeyBits = "EC", 384
			in.Enumeration.Protocols[5].Groups = []Group{p384}
		}), "A+", "", 100, ""},
		{"EC P-256 key scores as RSA 3072", edit(good(modern()), func(in *GradeInput) { in.KeyType, in.KeyBits = "EC", 256 }), "A+", "", 93, ""},
		{"insecure renegotiation warning", edit(good(modern()), func(in *GradeInput) { in.SecureRenegotiation = &no }), "A-", "", 93, "no-secure-renegotiation"},
		{"TLS 1.0 and 1.1 too", good(with(with(modern(), offered(TLS10, sECDHECBC)), offered(TLS11, sECDHECBC))), "B", "", -1, "tls10-tls11"},
		{"TLS 1.0 only", good(enumOf(offered(TLS10, sECDHECBC))), "C", "", -1, "no-tls12,tls10-tls11,no-aead"},
		{"no AEAD", good(enumOf(offered(TLS12, sECDHECBC))), "B", "", -1, "no-aead"},
		{"no forward secrecy", good(enumOf(offered(TLS12, sRSAGCM))), "B", "", -1, "no-forward-secrecy"},
		{"SSLv3 with CBC (POODLE)", good(with(modern(), offered(SSL30, sRSACBC))), "C", "", -1, "poodle,sslv3"},
		{"SSLv3 with RC4 only", good(with(modern(), offered(SSL30, sRC4))), "B", "", -1, "sslv3,rc4"},
		{"SSLv3 is the best", good(enumOf(offered(SSL30, sRSACBC))), "F", "", -1, "sslv3-best,poodle,sslv3,no-tls12,no-forward-secrecy,no-aead"},
		{"SSLv2 with suites", good(with(modern(), ProtocolSupport{Version: SSL20, Offered: true, Suites: []Suite{SSLv2Suite(0x0700c0)}})), "F", "", -1, "sslv2"},
		{"SSLv2 without suites counts", good(with(modern(), sslv2Bare)), "F", "", -1, "sslv2"},
		{"export suite", good(with(modern(), offered(TLS10, sExport))), "F", "", -1, "tls10-tls11,export,weak-cipher,rc4,insecure-key"},
		{"NULL suite", good(with(modern(), offered(TLS12, sECDHE128, sNull))), "F", "", -1, "weak-cipher"},
		{"single DES", good(with(modern(), offered(TLS12, sECDHE128, sDES))), "F", "", -1, "weak-cipher"},
		{"anonymous key exchange", good(with(modern(), offered(TLS12, sECDHE128, sAnon))), "F", "", 0, "anonymous"},
		{"RC4 with TLS 1.2", good(with(modern(), offered(TLS12, sECDHE128, sRC4))), "C", "", -1, "rc4-modern,rc4"},
		{"RC4 with TLS 1.0 only", good(with(modern(), offered(TLS10, sRC4))), "B", "", -1, "tls10-tls11,rc4"},
		{"3DES last in server order", good(with(modern(), offered(TLS12, sECDHE128, s3DES))), "A+", "", 93, ""},
		{"3DES preferred", good(with(modern(), offered(TLS12, s3DES, sECDHE128))), "C", "", -1, "block64-modern"},
		{"3DES only on TLS 1.1", good(with(modern(), offered(TLS11, s3DES))), "C", "", -1, "tls10-tls11,block64-modern"},
		{"RSA 1024", edit(good(modern()), func(in *GradeInput) { in.KeyBits = 1024 }), "B", "", 90, "weak-key"},
		{"RSA 512", edit(good(modern()), func(in *GradeInput) { in.KeyBits = 512 }), "F", "", -1, "insecure-key"},
		{"DHE with 1024-bit parameters", good(enumOf(dhe1024, offered(TLS13, sTLS13a))), "B", "", -1, "weak-key"},
		{"untrusted", edit(good(modern()), func(in *GradeInput) { in.Untrusted = true }), "T", "A+", 93, "cert-untrusted"},
		{"self-signed", edit(good(modern()), func(in *GradeInput) { in.Untrusted, in.SelfSigned = true, true }), "T", "A+", -1, "cert-untrusted,cert-self-signed"},
		{"expired", edit(good(modern()), func(in *GradeInput) { in.Expired = true }), "T", "A+", -1, "cert-expired"},
		{"SHA-1 signature", edit(good(modern()), func(in *GradeInput) { in.SHA1Signature = true }), "T", "A+", -1, "cert-sha1"},
		{"name mismatch", edit(good(modern()), func(in *GradeInput) { in.NameMismatch = true }), "M", "A+", -1, "cert-name-mismatch"},
		{"mismatch and untrusted: T", edit(good(modern()), func(in *GradeInput) { in.NameMismatch, in.Untrusted = true, true }), "T", "A+", -1, "cert-untrusted,cert-name-mismatch"},
		{"untrusted and weak: T, B if trusted", edit(good(with(modern(), offered(TLS10, sECDHECBC))), func(in *GradeInput) { in.Untrusted = true }), "T", "B", -1, "cert-untrusted,tls10-tls11"},
		{"MD5 signature", edit(good(modern()), func(in *GradeInput) { in.MD5Signature = true }), "F", "", -1, "cert-md5"},
		{"RSA exponent 1", edit(good(modern()), func(in *GradeInput) { in.RSAExp1 = true }), "F", "", -1, "rsa-exponent-1"},
		{"unknown suites are left out", good(with(modern(), offered(TLS12, sECDHE128, sUnknown))), "A+", "", 93, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := ComputeGrade(tc.in)
			if g == nil {
				t.Fatal("no grade")
			}
			var ids []string
			for _, a := range g.Applied {
				ids = append(ids, a.ID)
			}
			if got := strings.Join(ids, ","); got != tc.rules {
				t.Errorf("rules applied: got %q, want %q", got, tc.rules)
			}
			if g.Letter != tc.letter || g.IfTrusted != tc.ifTrusted {
				t.Errorf("grade: got %s (if trusted %q), want %s (if trusted %q); scores %d/%d/%d = %d",
					g.Letter, g.IfTrusted, tc.letter, tc.ifTrusted, g.Protocol, g.KeyExchange, g.Cipher, g.Score)
			}
			if tc.score >= 0 && g.Score != tc.score {
				t.Errorf("score: got %d (%d/%d/%d), want %d", g.Score, g.Protocol, g.KeyExchange, g.Cipher, tc.score)
			}
			if g.Guide != GuideVersion {
				t.Errorf("guide: got %q", g.Guide)
			}
		})
	}
}

func TestComputeGradeNothingOffered(t *testing.T) {
	e := enumOf(ProtocolSupport{Version: TLS12, NoUsableSuite: true}, ProtocolSupport{Version: TLS10, AnsweredWith: TLS12})
	if g := ComputeGrade(GradeInput{Enumeration: e, KeyBits: 2048}); g != nil {
		t.Errorf("got grade %+v for a server that completed no handshake, want none", g)
	}
	if g := ComputeGrade(GradeInput{}); g != nil {
		t.Errorf("got grade %+v without an enumeration", g)
	}
}

func TestCategoryScores(t *testing.T) {
	tests := []struct {
		e                  *Enumeration
		keyBits            int
		proto, kex, cipher int
	}{
		{modern(), 2048, 100, 90, 90},
		{enumOf(offered(TLS10, sRSACBC), offered(TLS12, sECDHE256)), 4096, 95, 90, 90}, // x25519 ~ RSA 3072
		{enumOf(offered(TLS12, sRSAGCM), offered(TLS11, sRSACBC)), 4096, 97, 100, 80},
		{enumOf(offered(TLS12, sECDHE256, s3DES)), 2048, 100, 90, 90}, // 3DES scores as 168 bits
		{enumOf(offered(SSL30, sRSACBC), offered(TLS12, sECDHE128)), 2048, 90, 90, 80},
		{enumOf(offered(TLS12, sECDHE256)), 8192, 100, 90, 100},
		{enumOf(offered(TLS12, sECDHE128, sExport)), 2048, 100, 40, 50},
	}
	for _, tc := range tests {
		f := newGradeFacts(&GradeInput{Enumeration: tc.e, KeyType: "RSA", KeyBits: tc.keyBits})
		got := []int{f.protocolScore(), f.kexScore(), f.cipherScore()}
		if want := []int{tc.proto, tc.kex, tc.cipher}; !slices.Equal(got, want) {
			t.Errorf("%v with RSA %d: scores got %v, want %v", tc.e.Protocols, tc.keyBits, got, want)
		}
	}
}
