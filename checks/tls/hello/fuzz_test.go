package hello

import (
	"bytes"
	"slices"
	"testing"
)

// The fuzz targets feed the parsers what a hostile server could send; the seed corpus in
// testdata/fuzz holds the answers of the fake servers (a TLS 1.2 flight, an SSLv3 one, a
// TLS 1.3 ServerHello and HelloRetryRequest, alerts, SSLv2 SERVER-HELLOs) and broken ones.
// They check that nothing panics, that reads stay within the probe's budget, and that what
// is parsed is consistent with its input.

// FuzzRecords runs the TLS answer reader (records, handshake reassembly, ServerHello,
// Certificate, ServerKeyExchange) on a byte stream.
func FuzzRecords(f *testing.F) {
	f.Add(slices.Concat(handshakeRecord(TLS12, slices.Concat(serverHelloMsg(TLS12, 0xC02F, extRenegotiationInfo),
		certificateMsg([]byte("cert")), skeECDHE(29), handshakeMsg(msgServerHelloDone, nil)))))
	f.Add(handshakeRecord(SSL30, slices.Concat(serverHelloMsg(SSL30, 0x0016), skeDHE(512))))
	f.Add(alertRecord(TLS12, alertHandshakeFailure))
	f.Fuzz(func(t *testing.T, data []byte) {
		br := &budgetReader{r: bytes.NewReader(data), max: maxProbeBytes}
		fl, err := readTLSFlight(br, true)
		if br.read > maxProbeBytes {
			t.Fatalf("read %d bytes, over the budget", br.read)
		}
		if err == nil && fl.hello == nil && fl.alert == nil {
			t.Fatal("no error, and neither a ServerHello nor an alert")
		}
		if err == nil && len(fl.certs) > maxCertificates {
			t.Fatalf("%d certificates kept", len(fl.certs))
		}
	})
}

// FuzzServerHello runs the handshake message parsers on one message body.
func FuzzServerHello(f *testing.F) {
	f.Add(serverHelloMsg(TLS13, 0x1301)[4:])
	f.Add(serverHelloMsg(TLS12, 0xC030, extExtendedMaster, extRenegotiationInfo)[4:])
	f.Add(certificateMsg([]byte("a"), []byte("bc"))[4:])
	f.Add(skeDHE(2048)[4:])
	f.Fuzz(func(t *testing.T, data []byte) {
		if sh, err := parseServerHello(data); err == nil {
			if len(data) < 38 {
				t.Fatalf("a ServerHello of %d bytes parsed", len(data))
			}
			if len(sh.extensions) > 64 {
				t.Fatalf("%d extensions kept", len(sh.extensions))
			}
		}
		if certs, err := parseCertificates(data); err == nil {
			n := 0
			for _, c := range certs {
				n += len(c)
			}
			if n > len(data) {
				t.Fatalf("certificates of %d bytes from %d", n, len(data))
			}
		}
		for _, id := range []uint16{0xC02F, 0x009E, 0x00AA, 0xD001, 0x002F} {
			s, _ := SuiteByID(id)
			if kx, err := parseServerKeyExchange(data, s); err == nil && kx.dhBits > 8*len(data) {
				t.Fatalf("DH prime of %d bits from %d bytes", kx.dhBits, len(data))
			}
		}
	})
}

// FuzzSSLv2 runs the SSLv2 answer reader on a byte stream.
func FuzzSSLv2(f *testing.F) {
	f.Add(sslv2ServerHello([]uint32{0x010080, 0x0700C0}, []byte("certificate")))
	f.Add([]byte{0x80, 3, 0, 0, 1})
	f.Add(alertRecord(TLS10, alertProtocolVersion))
	f.Fuzz(func(t *testing.T, data []byte) {
		br := &budgetReader{r: bytes.NewReader(data), max: maxProbeBytes}
		fl, err := readSSLv2Flight(br)
		if err != nil {
			return
		}
		if fl.v2 != nil && 3*len(fl.v2.ciphers)+len(fl.v2.cert) > len(data) {
			t.Fatalf("%d cipher kinds and a %d-byte certificate from %d bytes", len(fl.v2.ciphers), len(fl.v2.cert), len(data))
		}
		if fl.v2 == nil && !fl.v2Error && fl.hello == nil && fl.alert == nil {
			t.Fatal("no error and no answer")
		}
	})
}
