package hello

import "fmt"

// Version is a protocol version as it goes on the wire: SSL 2.0 is 0x0002, the others are
// the ProtocolVersion of SSL 3.0 and TLS.
type Version uint16

// The versions Enumerate knows.
const (
	SSL20 Version = 0x0002
	SSL30 Version = 0x0300
	TLS10 Version = 0x0301
	TLS11 Version = 0x0302
	TLS12 Version = 0x0303
	TLS13 Version = 0x0304
)

// AllVersions lists the six versions, highest first: the order in which Enumerate probes
// them.
func AllVersions() []Version { return []Version{TLS13, TLS12, TLS11, TLS10, SSL30, SSL20} }

// String returns "SSLv2", "SSLv3", "TLSv1.0" … "TLSv1.3", or the number in hexadecimal for
// any other value (a server may answer with anything).
func (v Version) String() string {
	switch v {
	case SSL20:
		return "SSLv2"
	case SSL30:
		return "SSLv3"
	case TLS10:
		return "TLSv1.0"
	case TLS11:
		return "TLSv1.1"
	case TLS12:
		return "TLSv1.2"
	case TLS13:
		return "TLSv1.3"
	}
	return fmt.Sprintf("0x%04x", uint16(v))
}

// known reports whether v is one of the six versions.
func (v Version) known() bool {
	switch v {
	case SSL20, SSL30, TLS10, TLS11, TLS12, TLS13:
		return true
	}
	return false
}

// rank orders versions for comparisons (SSL20 < SSL30 < … < TLS13); unknown values rank by
// their number, above SSLv2.
func (v Version) rank() int {
	if v == SSL20 {
		return 0
	}
	return int(v)
}

// alertNames are the AlertDescription values of the TLS registry.
var alertNames = map[uint8]string{
	0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac",
	21: "decryption_failed", 22: "record_overflow", 30: "decompression_failure",
	40: "handshake_failure", 41: "no_certificate", 42: "bad_certificate",
	43: "unsupported_certificate", 44: "certificate_revoked", 45: "certificate_expired",
	46: "certificate_unknown", 47: "illegal_parameter", 48: "unknown_ca",
	49: "access_denied", 50: "decode_error", 51: "decrypt_error",
	60: "export_restriction", 70: "protocol_version", 71: "insufficient_security",
	80: "internal_error", 86: "inappropriate_fallback", 90: "user_canceled",
	100: "no_renegotiation", 109: "missing_extension", 110: "unsupported_extension",
	111: "certificate_unobtainable", 112: "unrecognized_name",
	113: "bad_certificate_status_response", 114: "bad_certificate_hash_value",
	115: "unknown_psk_identity", 116: "certificate_required",
	120: "no_application_protocol", 121: "ech_required",
}

// AlertName returns the name of a TLS alert description ("handshake_failure"), or
// "alert(N)" for a value outside the registry.
func AlertName(desc uint8) string {
	if n, ok := alertNames[desc]; ok {
		return n
	}
	return fmt.Sprintf("alert(%d)", desc)
}

// The alert descriptions the enumeration tells apart.
const (
	alertHandshakeFailure     = 40
	alertProtocolVersion      = 70
	alertInsufficientSecurity = 71
)

// MarshalText writes the version's name, so that JSON shows "TLSv1.2" (and map keys too).
func (v Version) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// UnmarshalText reads a name written by MarshalText.
func (v *Version) UnmarshalText(b []byte) error {
	for _, w := range AllVersions() {
		if w.String() == string(b) {
			*v = w
			return nil
		}
	}
	var n uint16
	if _, err := fmt.Sscanf(string(b), "0x%04x", &n); err != nil {
		return fmt.Errorf("hello: unknown version %q", b)
	}
	*v = Version(n)
	return nil
}
