package tls

// Suites and protocol supports for the table tests of the grade and the evaluation.

var (
	sECDHE128 = Suite{ID: 0xc02f, Name: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", Kex: "ECDHE", Auth: "RSA", Cipher: "AES-GCM", Bits: 128, Known: true, AEAD: true, ForwardSecrecy: true}
	sECDHE256 = Suite{ID: 0xc030, Name: "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", Kex: "ECDHE", Auth: "RSA", Cipher: "AES-GCM", Bits: 256, Known: true, AEAD: true, ForwardSecrecy: true}
	sECDHECBC = Suite{ID: 0xc013, Name: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", Kex: "ECDHE", Auth: "RSA", Cipher: "AES-CBC", Bits: 128, Known: true, CBC: true, ForwardSecrecy: true}
	sTLS13a   = Suite{ID: 0x1301, Name: "TLS_AES_128_GCM_SHA256", Cipher: "AES-GCM", Bits: 128, Known: true, AEAD: true, ForwardSecrecy: true}
	sTLS13b   = Suite{ID: 0x1302, Name: "TLS_AES_256_GCM_SHA384", Cipher: "AES-GCM", Bits: 256, Known: true, AEAD: true, ForwardSecrecy: true}
	sRSAGCM   = Suite{ID: 0x009c, Name: "TLS_RSA_WITH_AES_128_GCM_SHA256", Kex: "RSA", Auth: "RSA", Cipher: "AES-GCM", Bits: 128, Known: true, AEAD: true}
	sRSACBC   = Suite{ID: 0x002f, Name: "TLS_RSA_WITH_AES_128_CBC_SHA", Kex: "RSA", Auth: "RSA", Cipher: "AES-CBC", Bits: 128, Known: true, CBC: true}
	sDHE128   = Suite{ID: 0x009e, Name: "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", Kex: "DHE", Auth: "RSA", Cipher: "AES-GCM", Bits: 128, Known: true, AEAD: true, ForwardSecrecy: true}
	s3DES     = Suite{ID: 0x000a, Name: "TLS_RSA_WITH_3DES_EDE_CBC_SHA", Kex: "RSA", Auth: "RSA", Cipher: "3DES", Bits: 112, Known: true, CBC: true, TripleDES: true, Block64: true}
	sRC4      = Suite{ID: 0x0005, Name: "TLS_RSA_WITH_RC4_128_SHA", Kex: "RSA", Auth: "RSA", Cipher: "RC4", Bits: 128, Known: true, RC4: true}
	sExport   = Suite{ID: 0x0003, Name: "TLS_RSA_EXPORT_WITH_RC4_40_MD5", Kex: "RSA_EXPORT", Auth: "RSA", Cipher: "RC4", Bits: 40, Known: true, RC4: true, Export: true}
	sNull     = Suite{ID: 0x0002, Name: "TLS_RSA_WITH_NULL_SHA", Kex: "RSA", Auth: "RSA", Cipher: "NULL", Known: true, Null: true}
	sAnon     = Suite{ID: 0x0034, Name: "TLS_DH_anon_WITH_AES_128_CBC_SHA", Kex: "DH_anon", Cipher: "AES-CBC", Bits: 128, Known: true, Anon: true, CBC: true}
	sDES      = Suite{ID: 0x0009, Name: "TLS_RSA_WITH_DES_CBC_SHA", Kex: "RSA", Auth: "RSA", Cipher: "DES", Bits: 56, Known: true, DES: true, CBC: true, Block64: true}
	sUnknown  = Suite{ID: 0xfefe, Name: "0xFEFE"}

	x25519 = GroupByID(29)
	p384   = GroupByID(24)
)

// offered is a version the server accepts with these suites (the first is preferred, in
// server order), ECDHE over x25519.
func offered(v Version, suites ...Suite) ProtocolSupport {
	p := ProtocolSupport{Version: v, Offered: true, Suites: suites, ServerOrder: true, Groups: []Group{x25519}}
	if len(suites) > 0 {
		first := suites[0]
		p.Preferred = &first
	}
	return p
}

// enumOf lists every version, the given ones as they are and the others as not offered.
func enumOf(ps ...ProtocolSupport) *Enumeration {
	e := &Enumeration{}
	for _, v := range Versions {
		p := ProtocolSupport{Version: v}
		for _, q := range ps {
			if q.Version == v {
				p = q
			}
		}
		e.Protocols = append(e.Protocols, p)
	}
	return e
}

// modern is TLS 1.2 and 1.3 with forward secrecy and AEAD only.
func modern() *Enumeration {
	return enumOf(offered(TLS12, sECDHE256, sECDHE128), offered(TLS13, sTLS13b, sTLS13a))
}

// with returns e with p in place of the entry of its version.
func with(e *Enumeration, p ProtocolSupport) *Enumeration {
	out := &Enumeration{}
	for _, q := range e.Protocols {
		if q.Version == p.Version {
			q = p
		}
		out.Protocols = append(out.Protocols, q)
	}
	return out
}
