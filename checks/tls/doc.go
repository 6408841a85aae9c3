// Package tls is the TLS check of the scan's second stage: for every TLS endpoint of the
// service map it enumerates the protocol versions and cipher suites the server accepts
// (with the raw-ClientHello engine of package hello), validates the certificate chain it
// serves, reads its HSTS policy and its HTTP-to-HTTPS redirect, grades it with Qualys SSL
// Labs' rating guide, and reports whether the mail and FTP services can be used with TLS.
//
// # Endpoints
//
// Endpoints come only from the service map (checks.Env.Services): every service with TLS
// from the first byte (https, smtps 465, imaps 993, pop3s 995, ftps 990, any other), every
// SMTP, POP3, IMAP and FTP service without it (the upgrade is tried even when the server
// did not list it, so that a plaintext-only service is shown by its own refusal), and every
// host that serves plain HTTP on port 80 and no HTTPS (nothing is sent: tls.https fails).
// Every connection goes through the scan's checks.Dialer, and through a per-address
// semaphore of Config.HostConnections slots held until the connection is closed: the
// endpoints run all at once, the engine's probes and the certificate handshake of one address
// share its slots. Each exchange has Config.Timeout as deadline.
//
// # The wire exchange of one endpoint
//
// For a mail or FTP service, the upgrade dialogue comes first (every read bounded to 2 KB a
// line, 100 lines a reply, 32 KB in all; one deadline; the dialogue is kept as evidence):
//
//	SMTP  S: 220 greeting (multi-line)   C: EHLO [our address]   S: 250 capabilities
//	      C: STARTTLS                     S: 220                  → TLS
//	POP3  S: +OK greeting                C: STLS                 S: +OK → TLS
//	IMAP  S: * OK greeting               C: a001 STARTTLS        S: (untagged) a001 OK → TLS
//	FTP   S: 220 greeting (120 first, multi-line)                C: AUTH TLS   S: 234 → TLS
//
// A negative answer (SMTP 454/5xx, -ERR, NO/BAD, FTP 5xx, an IMAP PREAUTH greeting) is a
// RefusedError: QUIT (a002 LOGOUT) is sent and the service is plaintext only. Bytes the
// server sends after agreeing, before our ClientHello, are a protocol error. Then:
//
//  1. On that connection (for implicit TLS, the first one), a crypto/tls handshake: TLS 1.0
//     to 1.3, every suite Go implements including RC4, 3DES and the CBC ones, SNI = the
//     service's host name unless it is an address, OCSP status_request, any certificate
//     accepted. The chain as served is captured in VerifyConnection, with the stapled OCSP
//     response. For an HTTP service, on the same connection: GET / (Host, Connection:
//     close); the response head is read (16 KB at most, the body never) for
//     Strict-Transport-Security.
//  2. The engine (hello.Enumerate, through the same dialer, upgrade included): SSLv2 to TLS
//     1.3 each offered or not, told apart from "answered with another version" and "enabled
//     but no usable suite"; the accepted suites, the server's order and preferred suite, the
//     groups, the DH size, the extensions; the chain when only SSLv2/SSLv3 (or suites Go
//     lacks) work. It is skipped when the handshake of step 1 timed out.
//  3. For the primary HTTPS endpoint of a host (443, else its lowest HTTPS port), when the
//     service map has plain HTTP on port 80 of the same host: GET / on port 80, head only,
//     no redirect followed.
//
// The chain is validated with x509 against the system roots plus Config.CABundle, at env.Now
// and for the host name (DNSName; SANs and wildcards); a name mismatch and an expiry are
// reported on their own, so trust is judged at a moment when the served certificates were
// all valid. The stapled OCSP response is parsed with golang.org/x/crypto/ocsp: good,
// revoked or unknown, whether it is about the leaf, whether the leaf's issuer signed it.
//
// Failure is data: each endpoint's Result has a Status — refused, timeout, reset, a
// protocol error (garbage, an endless line, data after the upgrade reply, an upgrade the
// server had listed and then refused), a TLS error (no handshake completes), canceled, or
// ok (including a plaintext-only service whose refusal is the answer).
//
// # Grade
//
// ComputeGrade follows the SSL Labs "SSL Server Rating Guide", version 2009q (GuideVersion):
// protocol support (best + worst) / 2, key exchange (the weakest of the certificate key and
// the ephemeral DH and EC parameters; EC sizes as RSA equivalents), cipher strength
// (strongest + weakest) / 2, weighted 30/30/40; the letter from the score; then the rule
// table gradeRules (each rule with its source in the guide's "Changes"): SSLv2, export
// suites, anonymous key exchange, ciphers under 112 bits, keys or DH under 1024 bits, MD5 signatures, RSA exponent 1,
// SSLv3 as the best protocol → F; POODLE (SSLv3 with CBC), RC4 with TLS 1.1+, 64-bit block
// ciphers negotiated with TLS 1.1+, no TLS 1.2 or 1.3 → C; SSLv3, RC4, TLS 1.0/1.1, keys
// or DH under 2048 bits, no forward secrecy, no AEAD → B; an untrusted, self-signed,
// expired, revoked or SHA-1-signed certificate → T, a name mismatch → M (with the grade the
// configuration would get otherwise); A+ needs HSTS with max-age ≥ 180 days (web only:
// mail and FTP endpoints top out at A); a missing renegotiation_info (RFC 5746) in the
// server's hellos is a warning that makes A into A-. What the rules cannot observe is listed
// above gradeRules.
//
// # Findings
//
// One Result per endpoint (Target "host:port"), with Data a *Data (the Observation and the
// Grade). Evidence: "service", "starttls" (the upgrade dialogue), "enumeration" (protocols,
// suites, groups and the engine's transcript), "handshake" (crypto/tls and the OCSP
// staple), "chain" (the served chain in PEM and its validation), "https" and "redirect" (the
// HTTP response heads), "grade" (scores and rules). Passes are findings too.
//
//	tls.protocol.sslv2       offered (or enabled without suites): fail critical; else pass
//	tls.protocol.sslv3       offered: fail high; else pass
//	tls.protocol.tls10       offered: fail medium; else pass
//	tls.protocol.tls11       offered: fail medium; else pass
//	tls.protocol.tls12       offered: pass; TLS 1.3 only: info; neither: fail medium
//	tls.protocol.tls13       offered: pass; not: fail low
//	tls.cipher.export        export suites accepted: fail critical; else pass
//	tls.cipher.null          NULL suites: fail critical; else pass
//	tls.cipher.anon          anonymous suites: fail high; else pass
//	tls.cipher.des           single DES: fail high; else pass
//	tls.cipher.rc4           RC4: fail medium; else pass
//	tls.cipher.3des          64-bit block ciphers (3DES, IDEA, RC2): fail medium; else pass
//	tls.cipher.cbc           CBC suites: fail low; else pass
//	tls.forward-secrecy      no FS suite: fail medium; the server prefers a non-FS suite:
//	                         fail low; else pass (with the groups)
//	tls.server-order         server order on TLS ≤ 1.2: info; client's order with weak
//	                         suites accepted: fail low; client's order, none weak: info
//	tls.kex.params           DHE under 1024 bits: fail high; DHE under 2048 or a curve under
//	                         224 bits: fail medium; else pass (only when FS suites are used)
//	tls.cert.expired         outside its validity (or a served certificate above it): fail
//	                         high; else pass with the end date
//	tls.cert.expiring        fewer days left than Config.ExpiryWarning: fail medium; else
//	                         pass with the days left (not made for an expired certificate)
//	tls.cert.untrusted       no path to a trusted root: fail high with the reason (unknown
//	                         authority, self-signed, insecure algorithm, …); else pass
//	tls.cert.name-mismatch   the leaf is not valid for the host: fail high; else pass
//	tls.cert.self-signed     fail medium; else pass
//	tls.cert.weak-key        RSA/DSA under 1024 bits or RSA exponent 1: fail high; RSA/DSA
//	                         under 2048, EC under 256: fail medium; else pass
//	tls.cert.weak-signature  MD5/MD2 on a served certificate (a self-signed root excepted):
//	                         fail high; SHA-1: fail medium; else pass
//	tls.ocsp-stapling        good response for the leaf: pass; revoked: fail high; none,
//	                         unknown, unparsable or for another certificate: fail low
//	tls.hsts                 max-age ≥ 180 days: pass; shorter: fail low; missing, 0 or
//	                         invalid: fail medium (HTTPS endpoints that answered GET /)
//	tls.http-redirect        port 80 answers 301/302/307/308 to an https:// Location: pass;
//	                         anything else: fail medium (Port 80, Subject the URL)
//	tls.https                per web host, on its primary endpoint: a TLS handshake works:
//	                         pass; HTTP only, or no handshake completes: fail medium
//	tls.https-cert           per HTTPS endpoint: trusted, matching and valid: pass; else
//	                         fail high listing the problems (the grade in the detail)
//	tls.grade                A+, A, A-: pass; B: fail low; C: fail medium; D, E, F, T, M:
//	                         fail high (title "TLS grade X", detail scores and rules)
//	tls.starttls             SMTP and FTP: TLS works (upgrade or implicit): pass; plaintext
//	                         only, or the upgrade agreed but no handshake: fail high
//	tls.pop-imap             the same for POP3 and IMAP (the questionnaire's 9-3-2 point
//	                         pop-imap-secure-auth), kept apart from SMTP and FTP
//
// An endpoint never reached (refused, timed out before the question was asked) gets no
// findings: its Status says why.
package tls
