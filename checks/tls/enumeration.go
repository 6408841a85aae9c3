package tls

import (
	"context"
	"fmt"
	"net"
	"time"
)

// Version is a protocol version as it appears on the wire (SSL 2.0 is 0x0002).
type Version uint16

// The protocol versions the check tells apart.
const (
	SSL20 Version = 0x0002
	SSL30 Version = 0x0300
	TLS10 Version = 0x0301
	TLS11 Version = 0x0302
	TLS12 Version = 0x0303
	TLS13 Version = 0x0304
)

// Versions lists every version, oldest first.
var Versions = []Version{SSL20, SSL30, TLS10, TLS11, TLS12, TLS13}

var versionNames = map[Version]string{
	SSL20: "SSLv2", SSL30: "SSLv3", TLS10: "TLS 1.0", TLS11: "TLS 1.1", TLS12: "TLS 1.2", TLS13: "TLS 1.3",
}

func (v Version) String() string {
	if n, ok := versionNames[v]; ok {
		return n
	}
	return fmt.Sprintf("0x%04x", uint16(v))
}

// MarshalText writes the version's name.
func (v Version) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// Suite is a cipher suite (or, for SSLv2, a cipher kind) the server accepted, with the
// properties the evaluation and the grade look at.
type Suite struct {
	ID     uint16 `json:"id"`
	Spec   uint32 `json:"sslv2_spec,omitempty"` // SSLv2 cipher kind (3 bytes), ID 0
	Name   string `json:"name"`
	Kex    string `json:"kex,omitempty"`
	Auth   string `json:"auth,omitempty"`
	Cipher string `json:"cipher,omitempty"`
	MAC    string `json:"mac,omitempty"`
	Bits   int    `json:"bits"`
	// Known: the properties below come from the engine's table; an unknown suite is listed
	// but left out of the grade.
	Known          bool `json:"known"`
	Export         bool `json:"export,omitempty"`
	Null           bool `json:"null,omitempty"`
	Anon           bool `json:"anon,omitempty"`
	RC4            bool `json:"rc4,omitempty"`
	DES            bool `json:"des,omitempty"`
	TripleDES      bool `json:"3des,omitempty"`
	Block64        bool `json:"block64,omitempty"` // 64-bit block cipher: 3DES, IDEA, DES, RC2 (SWEET32)
	CBC            bool `json:"cbc,omitempty"`
	AEAD           bool `json:"aead,omitempty"`
	ForwardSecrecy bool `json:"forward_secrecy,omitempty"`
}

// Group is a key-exchange group (elliptic curve, finite field, or hybrid) the server accepts.
type Group struct {
	ID   uint16 `json:"id"`
	Name string `json:"name"`
	Bits int    `json:"bits"`
	FFDH bool   `json:"ffdh,omitempty"` // a finite-field group: Bits are the modulus size
}

// ProtocolSupport is what one protocol version gave.
type ProtocolSupport struct {
	Version Version `json:"version"`
	// Offered: a handshake with this version succeeded. AnsweredWith: the server answered a
	// hello for this version with another one (a higher version it insists on, or a lower
	// one). NoUsableSuite: the server speaks the version but accepted none of the suites.
	Offered       bool    `json:"offered"`
	AnsweredWith  Version `json:"answered_with,omitempty"`
	NoUsableSuite bool    `json:"no_usable_suite,omitempty"`
	Suites        []Suite `json:"suites,omitempty"`
	// ServerOrder: the server picks by its own preference; Preferred is its first choice
	// (for a server without an order, its choice from our list).
	ServerOrder bool    `json:"server_order,omitempty"`
	Preferred   *Suite  `json:"preferred,omitempty"`
	Groups      []Group `json:"groups,omitempty"`
	DHBits      int     `json:"dh_bits,omitempty"` // DHE parameter size, 0 when none
	// Extensions are the extension types the server's hellos carried (renegotiation_info
	// 0xff01, extended_master_secret 23, …).
	Extensions []uint16 `json:"extensions,omitempty"`
}

// extRenegotiationInfo is the renegotiation_info extension (RFC 5746).
const extRenegotiationInfo = 0xff01

// Enumeration is the engine's account of an endpoint: every version in Versions order.
type Enumeration struct {
	Protocols    []ProtocolSupport `json:"protocols"`
	Certificates [][]byte          `json:"-"` // as the server sent them (DER), leaf first
	Transcript   []string          `json:"-"`
}

// Protocol returns the support of version v, or nil.
func (e *Enumeration) Protocol(v Version) *ProtocolSupport {
	if e == nil {
		return nil
	}
	for i := range e.Protocols {
		if e.Protocols[i].Version == v {
			return &e.Protocols[i]
		}
	}
	return nil
}

// Offered reports whether version v is usable: a handshake succeeded. SSLv2 counts when the
// server speaks it at all, with or without suites (SSL Labs 2009l, DROWN).
func (e *Enumeration) Offered(v Version) bool {
	p := e.Protocol(v)
	return p != nil && (p.Offered || v == SSL20 && p.NoUsableSuite)
}

// AnyOffered reports whether some version is offered.
func (e *Enumeration) AnyOffered() bool {
	for _, v := range Versions {
		if e.Offered(v) {
			return true
		}
	}
	return false
}

// DialFunc opens one connection to the endpoint, ready for a ClientHello (after STARTTLS
// where the service needs it).
type DialFunc func(ctx context.Context) (net.Conn, error)

// EngineOptions are what the check asks of the engine.
type EngineOptions struct {
	ServerName string        // SNI; empty for an address
	Timeout    time.Duration // per exchange
	Parallel   int           // connections at once
}

// Engine enumerates what a TLS endpoint accepts, with hand-built ClientHellos (package
// hello). The check holds it as a function so that tests can run without it.
type Engine func(ctx context.Context, dial DialFunc, opts EngineOptions) (*Enumeration, error)
