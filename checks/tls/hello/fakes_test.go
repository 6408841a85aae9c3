package hello

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/binary"
	"io"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/cryptobyte"
)

// listen starts a fake server on 127.0.0.1:0 that runs handle on every connection, and
// returns a DialFunc to it. The server and its connections end with the test.
func listen(t testing.TB, handle func(c net.Conn)) DialFunc {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Go(func() {
				defer c.Close()
				handle(c)
			})
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return dialTo(ln.Addr().String())
}

func dialTo(addr string) DialFunc {
	return func(ctx context.Context) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "tcp", addr)
	}
}

// testIdentity is a self-signed ECDSA certificate (DER) and its key, made once per test
// binary.
var testIdentity = sync.OnceValues(func() ([]byte, *ecdsa.PrivateKey) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "shop.example"},
		DNSNames:     []string{"shop.example"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic(err)
	}
	return der, key
})

func testCert() []byte { der, _ := testIdentity(); return der }

func testKey() *ecdsa.PrivateKey { _, key := testIdentity(); return key }

// clientHello is what a fake server reads of a hello.
type clientHello struct {
	sslv2      bool
	v2Ciphers  []uint32
	record     uint16 // record layer version
	version    Version
	suites     []uint16
	extensions []uint16
	versions   []Version // supported_versions
	groups     []uint16
	shares     []uint16
	serverName string
}

// maxVersion is the highest version the hello asks for.
func (ch *clientHello) maxVersion() Version {
	best := ch.version
	for _, v := range ch.versions {
		if v.rank() > best.rank() {
			best = v
		}
	}
	return best
}

// readClientHello reads one hello (SSLv2 or TLS, in one record) from r.
func readClientHello(r io.Reader) (*clientHello, error) {
	var hdr [5]byte
	if _, err := io.ReadFull(r, hdr[:2]); err != nil {
		return nil, err
	}
	if hdr[0]&0x80 != 0 {
		body := make([]byte, int(hdr[0]&0x7f)<<8|int(hdr[1]))
		if _, err := io.ReadFull(r, body); err != nil {
			return nil, err
		}
		return parseV2ClientHello(body)
	}
	if _, err := io.ReadFull(r, hdr[2:]); err != nil {
		return nil, err
	}
	body := make([]byte, binary.BigEndian.Uint16(hdr[3:]))
	if _, err := io.ReadFull(r, body); err != nil {
		return nil, err
	}
	ch, err := parseClientHello(body)
	if ch != nil {
		ch.record = binary.BigEndian.Uint16(hdr[1:3])
	}
	return ch, err
}

func parseV2ClientHello(m []byte) (*clientHello, error) {
	if len(m) < 9 || m[0] != sslv2MsgClientHello {
		return nil, io.ErrUnexpectedEOF
	}
	ch := &clientHello{sslv2: true, version: Version(binary.BigEndian.Uint16(m[1:3]))}
	n := int(binary.BigEndian.Uint16(m[3:5]))
	if 9+n > len(m) {
		return nil, io.ErrUnexpectedEOF
	}
	for s := m[9 : 9+n]; len(s) >= 3; s = s[3:] {
		ch.v2Ciphers = append(ch.v2Ciphers, uint32(s[0])<<16|uint32(s[1])<<8|uint32(s[2]))
	}
	return ch, nil
}

func parseClientHello(rec []byte) (*clientHello, error) {
	s := cryptobyte.String(rec)
	var typ uint8
	var body, session, suites, comp, exts cryptobyte.String
	var ver uint16
	if !s.ReadUint8(&typ) || typ != msgClientHello || !s.ReadUint24LengthPrefixed(&body) ||
		!body.ReadUint16(&ver) || !body.Skip(32) || !body.ReadUint8LengthPrefixed(&session) ||
		!body.ReadUint16LengthPrefixed(&suites) || !body.ReadUint8LengthPrefixed(&comp) {
		return nil, io.ErrUnexpectedEOF
	}
	ch := &clientHello{version: Version(ver)}
	for !suites.Empty() {
		var id uint16
		suites.ReadUint16(&id)
		ch.suites = append(ch.suites, id)
	}
	if body.Empty() {
		return ch, nil
	}
	if !body.ReadUint16LengthPrefixed(&exts) {
		return nil, io.ErrUnexpectedEOF
	}
	for !exts.Empty() {
		var typ uint16
		var data cryptobyte.String
		if !exts.ReadUint16(&typ) || !exts.ReadUint16LengthPrefixed(&data) {
			return nil, io.ErrUnexpectedEOF
		}
		ch.extensions = append(ch.extensions, typ)
		ch.readExtension(typ, data)
	}
	return ch, nil
}

func (ch *clientHello) readExtension(typ uint16, data cryptobyte.String) {
	var list cryptobyte.String
	switch typ {
	case extServerName:
		var name cryptobyte.String
		var kind uint8
		if data.ReadUint16LengthPrefixed(&list) && list.ReadUint8(&kind) && list.ReadUint16LengthPrefixed(&name) {
			ch.serverName = string(name)
		}
	case extSupportedVersions:
		data.ReadUint8LengthPrefixed(&list)
		var v uint16
		for list.ReadUint16(&v) {
			ch.versions = append(ch.versions, Version(v))
		}
	case extSupportedGroups:
		data.ReadUint16LengthPrefixed(&list)
		var g uint16
		for list.ReadUint16(&g) {
			ch.groups = append(ch.groups, g)
		}
	case extKeyShare:
		data.ReadUint16LengthPrefixed(&list)
		for !list.Empty() {
			var g uint16
			var key cryptobyte.String
			if !list.ReadUint16(&g) || !list.ReadUint16LengthPrefixed(&key) {
				return
			}
			ch.shares = append(ch.shares, g)
		}
	}
}
