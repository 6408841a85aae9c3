package tls

// gradeRule is one rule of the rating guide that the numeric score cannot express: a cap on
// the letter, the special grades T (certificate not trusted) and M (name mismatch), what
// keeps an A from becoming A+, and the warnings that turn an A into A-.
type gradeRule struct {
	id      string
	effect  string // a letter cap ("B" … "F"), "T", "M", "no-A+" or "warning"
	reason  string
	source  string // where the guide or SSL Labs' announcement of the change sets it
	applies func(*gradeFacts) bool
}

// gradeRules is the rule table, in the order the evidence lists what applied. Sources:
//
//   - "guide": the guide's text (sections "Certificate Inspection" and "Methodology
//     Overview", which introduces the T and M grades);
//   - "2009c" … "2009q": the guide's "Changes" section, version by version;
//   - "SSL Labs YYYY-MM": a grading change SSL Labs announced on its blog and that the
//     guide's later versions include without restating it;
//   - "testssl.sh": where the guide leaves the detail open, the reading of testssl.sh 3.2,
//     which implements 2009q (run_rating, set_grade_cap).
//
// Not checked, for want of an observation: insecure renegotiation (2009c, F), Heartbleed,
// CCS injection, ROBOT, Ticketbleed, DROWN through another server, CVE-2016-2107, Zombie
// and GOLDENDOODLE POODLE (F), CRIME (C), BEAST, and TLS_FALLBACK_SCSV (2009h: no A+
// without it; TLS 1.3 servers are protected by its downgrade sentinel).
var gradeRules = []gradeRule{
	// Certificate: "any of the following certificate issues immediately result in a zero
	// score" (guide), reported since 2009 as T (not trusted) or M (name mismatch).
	{"cert-untrusted", "T", "certificate chain not trusted", "guide", func(f *gradeFacts) bool { return f.in.Untrusted }},
	{"cert-self-signed", "T", "self-signed certificate (not in the CA bundle)", "guide", func(f *gradeFacts) bool {
		return f.in.SelfSigned && f.in.Untrusted
	}},
	{"cert-expired", "T", "certificate expired or not yet valid", "guide", func(f *gradeFacts) bool { return f.in.Expired }},
	{"cert-revoked", "T", "certificate revoked (stapled OCSP response)", "guide", func(f *gradeFacts) bool { return f.in.Revoked }},
	{"cert-sha1", "T", "SHA-1 certificate signature (no longer trusted by browsers since 2017)", "testssl.sh", func(f *gradeFacts) bool { return f.in.SHA1Signature }},
	{"cert-name-mismatch", "M", "certificate not valid for the host name", "guide", func(f *gradeFacts) bool { return f.in.NameMismatch }},
	{"cert-md5", "F", "MD5 or MD2 certificate signature", "2009e", func(f *gradeFacts) bool { return f.in.MD5Signature }},
	{"rsa-exponent-1", "F", "RSA key with public exponent 1", "2009l", func(f *gradeFacts) bool { return f.in.RSAExp1 }},

	// Protocols.
	{"sslv2", "F", "SSL 2.0 supported (with or without cipher suites)", "2009c, 2009l", func(f *gradeFacts) bool { return f.has(SSL20) }},
	{"sslv3-best", "F", "SSL 3.0 is the best protocol supported", "testssl.sh", func(f *gradeFacts) bool {
		return f.has(SSL30) && !f.has(TLS10) && !f.has(TLS11) && !f.has(TLS12) && !f.has(TLS13)
	}},
	{"poodle", "C", "SSL 3.0 with a CBC suite (POODLE)", "SSL Labs 2014-10", func(f *gradeFacts) bool {
		return f.any(func(s Suite) bool { return s.CBC }, SSL30)
	}},
	{"sslv3", "B", "SSL 3.0 supported", "testssl.sh", func(f *gradeFacts) bool { return f.has(SSL30) }},
	{"no-tls12", "C", "neither TLS 1.2 nor TLS 1.3 supported", "2009n (SSL Labs 2015-05, 2017-01)", func(f *gradeFacts) bool {
		return !f.has(TLS12) && !f.has(TLS13)
	}},
	{"tls10-tls11", "B", "TLS 1.0 or TLS 1.1 supported", "2009q", func(f *gradeFacts) bool { return f.has(TLS10) || f.has(TLS11) }},

	// Cipher suites.
	{"anonymous", "F", "anonymous key exchange accepted (key exchange scores 0)", "guide", func(f *gradeFacts) bool {
		return f.any(func(s Suite) bool { return s.Anon })
	}},
	{"export", "F", "export cipher suites accepted (FREAK)", "SSL Labs 2015-03", func(f *gradeFacts) bool {
		return f.any(func(s Suite) bool { return s.Export })
	}},
	{"weak-cipher", "F", "cipher suites weaker than 112 bits accepted (NULL, DES, 40/56-bit)", "testssl.sh", func(f *gradeFacts) bool {
		return f.any(func(s Suite) bool { return bits(s) < 112 })
	}},
	{"rc4-modern", "C", "RC4 accepted with TLS 1.1 or later", "SSL Labs 2015-05", func(f *gradeFacts) bool {
		return f.any(func(s Suite) bool { return s.RC4 }, TLS11, TLS12)
	}},
	{"rc4", "B", "RC4 accepted", "testssl.sh", func(f *gradeFacts) bool { return f.any(func(s Suite) bool { return s.RC4 }) }},
	{"block64-modern", "C", "64-bit block cipher (3DES, IDEA) negotiated with TLS 1.1 or later (SWEET32)", "2009n", negotiates64BitBlock},
	{"no-forward-secrecy", "B", "no suite with forward secrecy", "2009p (SSL Labs 2018-03)", func(f *gradeFacts) bool {
		return !f.has(TLS13) && !f.any(func(s Suite) bool { return s.ForwardSecrecy })
	}},
	{"no-aead", "B", "no AEAD suite (GCM, ChaCha20-Poly1305, CCM)", "2009p (SSL Labs 2018-03)", func(f *gradeFacts) bool {
		return !f.has(TLS13) && !f.any(func(s Suite) bool { return s.AEAD })
	}},

	// Key exchange: keys and DH parameters below 1024 bits score 40 or less, below 2048
	// bits 80 (the guide's table); 2009e made the first F and the second B (Logjam, 2015,
	// extended both to DH parameters).
	{"insecure-key", "F", "key or DH parameters below 1024 bits, or export key exchange", "2009e", func(f *gradeFacts) bool {
		k := f.kexScore()
		return k > 0 && k <= 40
	}},
	{"weak-key", "B", "key or DH parameters below 2048 bits", "2009e", func(f *gradeFacts) bool { return f.kexScore() == 80 }},

	// A+ and A-.
	{"no-hsts", "no-A+", "no HSTS with a max-age of at least 180 days", "2009e", func(f *gradeFacts) bool {
		return !f.in.Web || f.in.HSTSMaxAge < HSTSMinAge
	}},
	{"no-secure-renegotiation", "warning", "secure renegotiation (RFC 5746) not supported", "2009e", func(f *gradeFacts) bool {
		return f.in.SecureRenegotiation != nil && !*f.in.SecureRenegotiation
	}},
}

// negotiates64BitBlock approximates "negotiates 3DES with TLS 1.1 and newer" (SSL Labs
// 2016-11: "sites that keep 3DES at the end of their ordered list of suites will not be
// affected"): on TLS 1.1 or 1.2, a 64-bit block suite is the server's first choice, or the
// only kind of suite it accepts, so that a modern client ends up with it.
func negotiates64BitBlock(f *gradeFacts) bool {
	for _, v := range []Version{TLS11, TLS12} {
		p := f.in.Enumeration.Protocol(v)
		if p == nil || !p.Offered {
			continue
		}
		if p.Preferred != nil && p.Preferred.Block64 && p.ServerOrder {
			return true
		}
		if f.any(func(s Suite) bool { return s.Block64 }, v) && !f.any(func(s Suite) bool { return !s.Block64 }, v) {
			return true
		}
	}
	return false
}
