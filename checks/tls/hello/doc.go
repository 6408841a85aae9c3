// Package hello is the wire-level engine of ecscan's TLS check: it finds which protocol
// versions, cipher suites, named groups and certificates a server offers by sending
// hand-built hellos and reading the first flight of the answer, which Go's crypto/tls
// cannot do (it speaks neither SSLv2 nor SSLv3, and offers only the suites it implements).
// No handshake is ever completed: a probe ends at the ServerHelloDone (TLS ≤ 1.2), at the
// ServerHello or HelloRetryRequest (TLS 1.3: the rest is encrypted), at the SSLv2
// SERVER-HELLO, or at the first alert, and closes; nothing is decrypted or logged in.
//
// # The exchange
//
// Each probe opens a fresh connection with the caller's DialFunc (which does STARTTLS
// where needed and goes through the scan's limits), sends one hello, reads the answer and
// closes. The probe's deadline (Options.Timeout) covers the dial, the write and every
// read; it reads at most 64 KB from the server, no record longer than 2^14+2048 bytes, no
// handshake message longer than 64 KB, no more than 8 messages after the ServerHello.
// Length fields are checked against what is left before anything is allocated or read.
//
//	SSLv2     C: 80 LL 01 0002 <specs len> 0000 0010 <13 cipher kinds> <challenge>
//	          S: SSLv2 record (2-byte header with the high bit set, or 3-byte header with
//	             padding): SERVER-HELLO 04 <hit> <cert type> <version> <lengths> <cert>
//	             <cipher kinds> <connection id>, or ERROR 00 <code>; or a TLS record when
//	             the server took the hello for a TLS one (an alert, a TLS ServerHello)
//	SSLv3     C: record 16 0300, ClientHello 0300, the suites + the renegotiation SCSV,
//	             null compression, no extensions
//	TLS 1.0–  C: record 16 0301, ClientHello 0301/0302/0303, the suites, extensions
//	TLS 1.2      server_name, supported_groups (x25519, the NIST curves, x448, the legacy
//	             and brainpool curves; never a finite-field group), ec_point_formats,
//	             signature_algorithms (TLS 1.2), extended_master_secret,
//	             renegotiation_info; padded to 512 bytes when it would be 256–511
//	TLS 1.3   C: record 16 0301, ClientHello 0303, a 32-byte session ID, the five RFC 8446
//	             suites, supported_versions (0304 only), supported_groups, key_share
//	             (x25519 and secp256r1), signature_algorithms (with the SHA-384 and SHA-512
//	             schemes), psk_key_exchange_modes
//	          S: handshake records: ServerHello (its supported_versions extension gives the
//	             version; the HelloRetryRequest random marks an HRR, whose key_share names
//	             the group wanted); for TLS ≤ 1.2, Certificate (the chain in clear),
//	             CertificateStatus, ServerKeyExchange (ECDHE: the named curve; DHE: the
//	             prime, hence its size), CertificateRequest, ServerHelloDone; or an alert
//
// # The enumeration
//
// Versions are enumerated from the highest down (Options.Parallel of them at once,
// default one). For each version up to TLS 1.2, the registry's suites (Suites) are
// offered in chunks of at most Options.MaxSuitesPerHello (128), the strong and common ones
// in the first chunk; each time the server picks one it is removed and the rest offered
// again, until the server refuses: the accepted set. TLS 1.3 offers its five suites the
// same way. A protocol_version alert settles the version (not offered); a handshake_failure
// or insufficient_security alert or a closed connection ends the chunk. A ServerHello of
// another version settles it too: VersionResult.AnsweredWith, not Offered. A version
// refused only with handshake_failure while a higher version works is NoUsableSuite, as
// is one where the server only picks suites that cannot run at that version (Unusable) —
// except SSLv3, which has no protocol_version alert: OpenSSL refuses SSLv3 hellos with
// handshake_failure, so that alert says nothing there.
//
// Then the order: the first two accepted suites are offered in both orders; when the
// server picks the same one both times it imposes its own order (ServerOrder), and the
// suites are listed in that order (re-offered one hello at a time when they came from
// several chunks). Preferred is the first suite of the list. Then the groups, one per
// hello: at TLS 1.2 each ECDHE curve with the accepted ECDHE suites (accepted when the
// ServerKeyExchange names it; when only ECDSA suites are accepted the hello also lists the
// curve of the certificate's key, without which the server could not use it), at TLS 1.3
// each group of the registry that TLS 1.3 allows, with a key share for x25519 and the NIST
// curves and none for the others (accepted when the ServerHello's key_share or the
// HelloRetryRequest's selected group names it). SSLv2 takes one hello with every cipher
// kind; the SERVER-HELLO lists those the server shares.
//
// A probe that fails (a timeout, a protocol violation, a reset once the answer has begun)
// ends its version's scan, whose VersionResult.Status then says how (checks.Classify) and
// marks it incomplete. A server that never answers is given up after two failed probes in
// a row, or four once it has answered; Enumerate then returns the first probe's error with
// the transcript. The transcript has one line per probe, bounded in lines and length.
package hello
