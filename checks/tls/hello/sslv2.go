package hello

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"ecscan/checks"
)

// SSLv2Cipher is an SSL 2.0 cipher kind: a 3-byte code (RFC draft-hickman-netscape-ssl-00
// §C.4 and the codes OpenSSL added), its name, its effective strength in bits, and whether
// it is an export cipher.
type SSLv2Cipher struct {
	ID     uint32 `json:"id"`
	Name   string `json:"name"`
	Bits   int    `json:"bits"`
	Export bool   `json:"export,omitempty"`
}

var sslv2Ciphers = []SSLv2Cipher{
	{ID: 0x010080, Name: "SSL_CK_RC4_128_WITH_MD5", Bits: 128},
	{ID: 0x020080, Name: "SSL_CK_RC4_128_EXPORT40_WITH_MD5", Bits: 40, Export: true},
	{ID: 0x030080, Name: "SSL_CK_RC2_128_CBC_WITH_MD5", Bits: 128},
	{ID: 0x040080, Name: "SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5", Bits: 40, Export: true},
	{ID: 0x050080, Name: "SSL_CK_IDEA_128_CBC_WITH_MD5", Bits: 128},
	{ID: 0x060040, Name: "SSL_CK_DES_64_CBC_WITH_MD5", Bits: 56},
	{ID: 0x060140, Name: "SSL_CK_DES_64_CBC_WITH_SHA", Bits: 56},
	{ID: 0x0700C0, Name: "SSL_CK_DES_192_EDE3_CBC_WITH_MD5", Bits: 112},
	{ID: 0x0701C0, Name: "SSL_CK_DES_192_EDE3_CBC_WITH_SHA", Bits: 112},
	{ID: 0x080080, Name: "SSL_CK_RC4_64_WITH_MD5", Bits: 64},
	{ID: 0xFF8000, Name: "SSL_CK_DES_64_CFB64_WITH_MD5_1", Bits: 56},
	{ID: 0xFF8010, Name: "SSL_CK_NULL", Bits: 0},
	{ID: 0x000000, Name: "SSL_CK_NULL_WITH_MD5", Bits: 0, Export: true},
}

// SSLv2Ciphers returns every SSL 2.0 cipher kind the SSLv2 probe offers.
func SSLv2Ciphers() []SSLv2Cipher { return append([]SSLv2Cipher(nil), sslv2Ciphers...) }

// SSLv2CipherByID returns the SSL 2.0 cipher kind with code id.
func SSLv2CipherByID(id uint32) (SSLv2Cipher, bool) {
	for _, c := range sslv2Ciphers {
		if c.ID == id {
			return c, true
		}
	}
	return SSLv2Cipher{ID: id, Name: fmt.Sprintf("SSL_CK_0x%06X", id)}, false
}

// SSLv2 message types.
const (
	sslv2MsgError       = 0
	sslv2MsgClientHello = 1
	sslv2MsgServerHello = 4
)

// buildSSLv2ClientHello returns an SSLv2 CLIENT-HELLO in a record with the 2-byte header:
// version 0x0002, every cipher kind, no session ID, a 16-byte challenge.
func buildSSLv2ClientHello() []byte {
	challenge := make([]byte, 16)
	rand.Read(challenge)
	specs := make([]byte, 0, 3*len(sslv2Ciphers))
	for _, c := range sslv2Ciphers {
		specs = append(specs, byte(c.ID>>16), byte(c.ID>>8), byte(c.ID))
	}
	msg := []byte{sslv2MsgClientHello, 0x00, 0x02}
	msg = binary.BigEndian.AppendUint16(msg, uint16(len(specs)))
	msg = binary.BigEndian.AppendUint16(msg, 0)
	msg = binary.BigEndian.AppendUint16(msg, uint16(len(challenge)))
	msg = append(append(msg, specs...), challenge...)
	return append([]byte{0x80 | byte(len(msg)>>8), byte(len(msg))}, msg...)
}

// sslv2Hello is a parsed SSLv2 SERVER-HELLO.
type sslv2Hello struct {
	sessionHit bool
	certType   uint8
	version    uint16
	cert       []byte
	ciphers    []uint32
}

// readSSLv2Flight reads the answer to an SSLv2 CLIENT-HELLO: an SSLv2 record (2-byte header
// with the high bit set, or 3-byte header with padding) holding a SERVER-HELLO or an
// ERROR; or a TLS record, when the server took the hello for a TLS one (an alert, or a
// ServerHello of a TLS version).
func readSSLv2Flight(r io.Reader) (*flight, error) {
	var hdr [2]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	if hdr[0] >= recordChangeCipherSpec && hdr[0] <= recordApplicationData && hdr[1] == 3 {
		return readTLSFlight(io.MultiReader(bytes.NewReader(hdr[:]), r), false)
	}
	n, pad := int(hdr[0]&0x7f)<<8|int(hdr[1]), 0
	if hdr[0]&0x80 == 0 {
		n = int(hdr[0]&0x3f)<<8 | int(hdr[1])
		var p [1]byte
		if _, err := io.ReadFull(r, p[:]); err != nil {
			return nil, unexpected(err)
		}
		pad = int(p[0])
	}
	if n == 0 || pad > n {
		return nil, checks.Protocolf("sslv2: record header % x", hdr[:])
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(r, body); err != nil {
		return nil, unexpected(err)
	}
	return parseSSLv2Message(body[:n-pad])
}

// parseSSLv2Message parses an SSLv2 SERVER-HELLO (type, session-id-hit, certificate type,
// version, the lengths of certificate, cipher specs and connection ID, then those) or
// ERROR (type, 2-byte code).
func parseSSLv2Message(m []byte) (*flight, error) {
	if len(m) == 0 {
		return nil, checks.Protocolf("sslv2: empty message")
	}
	switch m[0] {
	case sslv2MsgError:
		if len(m) < 3 {
			return nil, checks.Protocolf("sslv2: truncated ERROR")
		}
		return &flight{v2Error: true, v2Code: binary.BigEndian.Uint16(m[1:3])}, nil
	case sslv2MsgServerHello:
	default:
		return nil, checks.Protocolf("sslv2: message type %d where a SERVER-HELLO belongs", m[0])
	}
	if len(m) < 11 {
		return nil, checks.Protocolf("sslv2: truncated SERVER-HELLO")
	}
	h := &sslv2Hello{sessionHit: m[1] != 0, certType: m[2], version: binary.BigEndian.Uint16(m[3:5])}
	certLen := int(binary.BigEndian.Uint16(m[5:7]))
	specsLen := int(binary.BigEndian.Uint16(m[7:9]))
	idLen := int(binary.BigEndian.Uint16(m[9:11]))
	rest := m[11:]
	if certLen+specsLen+idLen > len(rest) || specsLen%3 != 0 {
		return nil, checks.Protocolf("sslv2: SERVER-HELLO lengths %d+%d+%d over %d bytes", certLen, specsLen, idLen, len(rest))
	}
	h.cert = bytes.Clone(rest[:certLen])
	for s := rest[certLen : certLen+specsLen]; len(s) >= 3; s = s[3:] {
		h.ciphers = append(h.ciphers, uint32(s[0])<<16|uint32(s[1])<<8|uint32(s[2]))
	}
	return &flight{v2: h}, nil
}

// unexpected turns the end of the stream inside a record into io.ErrUnexpectedEOF.
func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// scanSSLv2 sends one SSLv2 CLIENT-HELLO with every cipher kind and reads the answer.
func (vs *versionScan) scanSSLv2(ctx context.Context) {
	r, ok := vs.send(ctx, fmt.Sprintf("SSLv2 hello: %d cipher kinds", len(sslv2Ciphers)), buildSSLv2ClientHello(), readSSLv2Flight)
	switch {
	case !ok || r.f == nil:
	case r.f.v2 != nil && r.f.v2.version != uint16(SSL20):
		vs.res.AnsweredWith = Version(r.f.v2.version)
	case r.f.v2 != nil:
		h := r.f.v2
		vs.res.SSLv2Ciphers = h.ciphers[:min(len(h.ciphers), maxSSLv2Ciphers)]
		vs.res.Offered = len(h.ciphers) > 0
		vs.res.NoUsableSuite = len(h.ciphers) == 0
		if h.certType == 1 && len(h.cert) > 0 {
			vs.certs = [][]byte{h.cert}
		}
	case r.f.v2Error:
		vs.res.NoUsableSuite = r.f.v2Code == 1 // NO-CIPHER-ERROR
	case r.f.hello != nil:
		vs.res.AnsweredWith = r.f.hello.version
	}
}

// maxSSLv2Ciphers bounds the cipher kinds kept from a SERVER-HELLO.
const maxSSLv2Ciphers = 64
