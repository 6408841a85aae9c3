package hello

import (
	"net"
	"slices"
	"time"

	"golang.org/x/crypto/cryptobyte"
)

// fakeServer speaks just enough SSLv2, SSLv3 and TLS ≤ 1.2 to answer a hello the way its
// fields say: it picks a version and a suite from the hello it parses, and answers with
// ServerHello, Certificate, ServerKeyExchange (for ECDHE and DHE) and ServerHelloDone, or
// with an alert.
type fakeServer struct {
	suites      map[Version][]uint16 // the versions it speaks, each with its suites in its preference order
	clientOrder bool                 // follow the client's order instead
	answerWith  Version              // answer every TLS hello with this version (0: negotiate)
	curves      []uint16             // ECDHE curves, in its preference order (default x25519, secp256r1)
	dhBits      int                  // size of the DHE prime (default 2048)
	sslv2       []uint32             // SSLv2 cipher kinds (nil: closes on an SSLv2 hello)
	anySuite    bool                 // pick its first suite even when the client did not offer it
	ecdsaCurve  uint16               // the curve of its ECDSA key: ECDSA suites need it in supported_groups
	clientCurve bool                 // pick the ECDHE curve in the client's order
}

func (f *fakeServer) serve(c net.Conn) {
	c.SetDeadline(time.Now().Add(5 * time.Second))
	ch, err := readClientHello(c)
	if err != nil {
		return
	}
	if ch.sslv2 {
		if f.sslv2 != nil {
			c.Write(sslv2ServerHello(intersect32(f.sslv2, ch.v2Ciphers), testCert()))
		}
		return
	}
	c.Write(f.answer(ch))
}

// answer returns the server's flight for a TLS hello.
func (f *fakeServer) answer(ch *clientHello) []byte {
	v := f.answerWith
	if v == 0 {
		v = f.negotiate(ch.maxVersion())
	}
	if v == 0 {
		return alertRecord(TLS10, alertProtocolVersion)
	}
	curve := f.curve(ch.groups)
	ok := func(id uint16) bool {
		s, _ := SuiteByID(id)
		if s.Auth == "ECDSA" && f.ecdsaCurve != 0 && !slices.Contains(ch.groups, f.ecdsaCurve) {
			return false
		}
		return s.Kex != "ECDHE" || curve != 0
	}
	suite, found := f.choose(f.suites[v], ch.suites, ok)
	if !found {
		return alertRecord(v, alertHandshakeFailure)
	}
	s, _ := SuiteByID(suite)
	msgs := [][]byte{serverHelloMsg(v, suite, extRenegotiationInfo), certificateMsg(testCert())}
	switch s.Kex {
	case "ECDHE":
		msgs = append(msgs, skeECDHE(curve))
	case "DHE":
		msgs = append(msgs, skeDHE(cmpOr(f.dhBits, 2048)))
	}
	msgs = append(msgs, handshakeMsg(msgServerHelloDone, nil))
	return handshakeRecord(v, slices.Concat(msgs...))
}

// negotiate returns the highest version the server speaks up to max, or 0.
func (f *fakeServer) negotiate(max Version) Version {
	var best Version
	for v := range f.suites {
		if v.rank() <= max.rank() && (best == 0 || v.rank() > best.rank()) {
			best = v
		}
	}
	return best
}

func (f *fakeServer) curve(offered []uint16) uint16 {
	own := cmpOrList(f.curves, []uint16{groupX25519, groupSecp256r1})
	first, second := own, offered
	if f.clientCurve {
		first, second = offered, own
	}
	for _, g := range first {
		if slices.Contains(second, g) {
			return g
		}
	}
	return 0
}

// choose picks a suite both sides have, in the server's or the client's order.
func (f *fakeServer) choose(server, client []uint16, ok func(uint16) bool) (uint16, bool) {
	if f.anySuite && len(server) > 0 {
		return server[0], true
	}
	first, second := server, client
	if f.clientOrder {
		first, second = client, server
	}
	for _, id := range first {
		if slices.Contains(second, id) && ok(id) {
			return id, true
		}
	}
	return 0, false
}

func cmpOr(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

func cmpOrList(a, b []uint16) []uint16 {
	if a != nil {
		return a
	}
	return b
}

func intersect32(server, client []uint32) []uint32 {
	var out []uint32
	for _, id := range server {
		if slices.Contains(client, id) {
			out = append(out, id)
		}
	}
	return out
}

// Message builders of the fake servers.

func mkRecord(typ uint8, v Version, payload []byte) []byte {
	if v == TLS13 {
		v = TLS12
	}
	out := []byte{typ, byte(v >> 8), byte(v), byte(len(payload) >> 8), byte(len(payload))}
	return append(out, payload...)
}

// handshakeRecord puts handshake messages in records of at most 2^14 bytes.
func handshakeRecord(v Version, msgs []byte) []byte {
	var out []byte
	for chunk := range slices.Chunk(msgs, 1<<14) {
		out = append(out, mkRecord(recordHandshake, v, chunk)...)
	}
	return out
}

func alertRecord(v Version, desc uint8) []byte { return mkRecord(recordAlert, v, []byte{2, desc}) }

func handshakeMsg(typ uint8, body []byte) []byte {
	var b cryptobyte.Builder
	b.AddUint8(typ)
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(body) })
	return b.BytesOrPanic()
}

// serverHelloMsg is a ServerHello of version v (legacy 0x0303 and supported_versions for
// TLS 1.3) with empty extensions of the given types.
func serverHelloMsg(v Version, suite uint16, exts ...uint16) []byte {
	var b cryptobyte.Builder
	legacy := v
	if v == TLS13 {
		legacy = TLS12
	}
	b.AddUint16(uint16(legacy))
	b.AddBytes(make([]byte, 32))
	b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) {})
	b.AddUint16(suite)
	b.AddUint8(0)
	if v != SSL30 {
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, x := range exts {
				addExtension(b, x, func(b *cryptobyte.Builder) {
					if x == extRenegotiationInfo {
						b.AddUint8(0)
					}
				})
			}
			if v == TLS13 {
				addExtension(b, extSupportedVersions, func(b *cryptobyte.Builder) { b.AddUint16(uint16(TLS13)) })
			}
		})
	}
	return handshakeMsg(msgServerHello, b.BytesOrPanic())
}

func certificateMsg(certs ...[]byte) []byte {
	var b cryptobyte.Builder
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
		for _, c := range certs {
			b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(c) })
		}
	})
	return handshakeMsg(msgCertificate, b.BytesOrPanic())
}

func skeECDHE(curve uint16) []byte {
	body := []byte{3, byte(curve >> 8), byte(curve), 32}
	body = append(body, make([]byte, 32)...)
	return handshakeMsg(msgServerKeyExchange, append(body, 0x04, 0x03, 0, 2, 0x30, 0))
}

func skeDHE(bits int) []byte {
	p := make([]byte, (bits+7)/8)
	p[0] = 0x80
	var b cryptobyte.Builder
	for _, v := range [][]byte{p, {2}, {1, 2, 3}} {
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(v) })
	}
	return handshakeMsg(msgServerKeyExchange, b.BytesOrPanic())
}

// sslv2ServerHello is an SSLv2 SERVER-HELLO record with the cipher kinds and certificate.
func sslv2ServerHello(ciphers []uint32, cert []byte) []byte {
	msg := []byte{sslv2MsgServerHello, 0, 1, 0, 2}
	msg = append(msg, byte(len(cert)>>8), byte(len(cert)), byte(3*len(ciphers)>>8), byte(3*len(ciphers)), 0, 16)
	msg = append(msg, cert...)
	for _, c := range ciphers {
		msg = append(msg, byte(c>>16), byte(c>>8), byte(c))
	}
	msg = append(msg, make([]byte, 16)...)
	return append([]byte{0x80 | byte(len(msg)>>8), byte(len(msg))}, msg...)
}
