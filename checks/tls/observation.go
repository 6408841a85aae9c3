package tls

import (
	"net/netip"
	"time"

	"ecscan/checks"
)

// Modes of an endpoint.
const (
	ModeImplicit  = "implicit"  // TLS from the first byte (https, smtps, imaps, pop3s, ftps, …)
	ModeStartTLS  = "starttls"  // plaintext greeting, then an upgrade command
	ModePlaintext = "plaintext" // no TLS: the upgrade was refused, or a web host without HTTPS
)

// Observation is what the check saw of one endpoint: a TLS service, a mail or FTP service
// that was asked to upgrade, or a web host that serves plain HTTP only. It is the raw input of
// Evaluate and Grade, and (inside Data) the Result's Data.
type Observation struct {
	Host     string     `json:"host"` // the service's host name: SNI, Host header, name checks
	Addr     netip.Addr `json:"addr"`
	Port     int        `json:"port"`
	Protocol string     `json:"protocol"` // the service map's protocol: http, smtp, imap, …
	Mode     string     `json:"mode"`
	SNI      string     `json:"sni,omitempty"`
	// Advertised is the service map's StartTLS flag: the server listed the upgrade in its
	// capabilities (EHLO, CAPA, CAPABILITY, FEAT).
	Advertised bool `json:"advertised,omitempty"`
	// Web: an HTTP service; PrimaryWeb: the endpoint that speaks for its host's HTTPS
	// (tls.https), 443 if the host has it.
	Web        bool `json:"web,omitempty"`
	PrimaryWeb bool `json:"primary_web,omitempty"`

	Status checks.Status `json:"status"`
	Error  string        `json:"error,omitempty"`

	// StartTLS is the upgrade dialogue of the first connection.
	StartTLS *Dialogue `json:"starttls,omitempty"`
	// Handshake is the crypto/tls handshake that fetched the certificate chain.
	Handshake *Handshake `json:"handshake,omitempty"`
	// Enumeration is what the raw-ClientHello engine found, protocol by protocol.
	Enumeration *Enumeration `json:"enumeration,omitempty"`
	EngineError string       `json:"engine_error,omitempty"`
	Chain       *Chain       `json:"chain,omitempty"`
	OCSP        *OCSPStaple  `json:"ocsp,omitempty"`
	// HTTPS is the answer to GET / over TLS; Redirect the answer to GET / on port 80 of the
	// same host.
	HTTPS    *HTTPHead `json:"https,omitempty"`
	Redirect *HTTPHead `json:"redirect,omitempty"`
}

// Dialogue is a bounded exchange with a server, line by line.
type Dialogue struct {
	Protocol string `json:"protocol"` // smtp, pop3, imap, ftp
	Lines    []Line `json:"lines"`
	// Upgraded: the server agreed to the upgrade; Refused: it answered the command
	// negatively (plaintext only).
	Upgraded bool   `json:"upgraded"`
	Refused  bool   `json:"refused,omitempty"`
	Error    string `json:"error,omitempty"`
}

// Line is one step of a dialogue (checks.Line).
type Line = checks.Line

// Handshake is the outcome of the crypto/tls handshake.
type Handshake struct {
	Version string `json:"version,omitempty"`
	Suite   string `json:"suite,omitempty"`
	Error   string `json:"error,omitempty"`
}

// Chain is the certificate chain as the server sent it, and what validation made of it.
type Chain struct {
	// Source: "handshake" (crypto/tls) or "enumeration" (the engine, when only SSLv2/SSLv3
	// or suites Go lacks work).
	Source string     `json:"source"`
	Certs  []CertInfo `json:"certs"`
	PEM    string     `json:"-"`
	// Trusted: the chain leads to a root of the system pool or the CA bundle, judged at a
	// moment when every certificate was valid (expiry is its own finding); TrustError says
	// why not.
	Trusted    bool   `json:"trusted"`
	TrustError string `json:"trust_error,omitempty"`
	// NameMatch: the leaf is valid for the host name (SANs, wildcards), or for the address.
	NameMatch bool   `json:"name_match"`
	NameError string `json:"name_error,omitempty"`
	// ChainExpired: a certificate above the leaf was outside its validity at scan time.
	ChainExpired string `json:"chain_expired,omitempty"`
	// ParseError: a certificate of the chain did not parse; the chain stops before it.
	ParseError string `json:"parse_error,omitempty"`
}

// CertInfo describes one certificate of the chain.
type CertInfo struct {
	Subject    string    `json:"subject"`
	Issuer     string    `json:"issuer"`
	Serial     string    `json:"serial"`
	DNSNames   []string  `json:"dns_names,omitempty"`
	IPs        []string  `json:"ips,omitempty"`
	NotBefore  time.Time `json:"not_before"`
	NotAfter   time.Time `json:"not_after"`
	KeyType    string    `json:"key_type"` // RSA, EC, Ed25519, DSA, unknown
	KeyBits    int       `json:"key_bits"`
	RSAExp1    bool      `json:"rsa_exponent_1,omitempty"`
	SigAlg     string    `json:"signature_algorithm"`
	SelfSigned bool      `json:"self_signed,omitempty"`
	IsCA       bool      `json:"is_ca,omitempty"`
}

// OCSPStaple is the OCSP response the server stapled to its handshake.
type OCSPStaple struct {
	Present bool `json:"present"`
	// Status: good, revoked, unknown, or unparsable.
	Status     string    `json:"status,omitempty"`
	ForLeaf    bool      `json:"for_leaf,omitempty"`
	Verified   bool      `json:"verified,omitempty"` // signed by the leaf's issuer
	ProducedAt time.Time `json:"produced_at,omitzero"`
	NextUpdate time.Time `json:"next_update,omitzero"`
	Error      string    `json:"error,omitempty"`
}

// HTTPHead is the head of an HTTP response, and the HSTS policy it carries.
type HTTPHead struct {
	URL        string `json:"url"`
	Port       int    `json:"port"`
	StatusCode int    `json:"status_code,omitempty"`
	Location   string `json:"location,omitempty"`
	HSTS       *HSTS  `json:"hsts,omitempty"`
	Raw        string `json:"-"` // the head as received, bounded
	Error      string `json:"error,omitempty"`
}

// HSTS is a parsed Strict-Transport-Security header.
type HSTS struct {
	Header            string `json:"header"`
	MaxAge            int64  `json:"max_age"` // -1 when missing or invalid
	IncludeSubDomains bool   `json:"include_subdomains,omitempty"`
	Preload           bool   `json:"preload,omitempty"`
}

// Data is the Result's Data: the observation and its grade.
type Data struct {
	*Observation
	Grade *Grade `json:"grade,omitempty"`
}
