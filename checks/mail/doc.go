// Package mail is the POP3 and IMAP check. It runs after the ports check, on every service
// of the service map whose Protocol is "pop3" or "imap" (usually 110 and 143, and 995 and
// 993 with Service.TLS: TLS from the first byte), and asks each how it lets users
// authenticate: whether a password can travel in clear, whether the connection can be
// upgraded to TLS, whether APOP is offered, and what the server says it is. It never logs
// in: no password is ever sent, and the only name it ever sends is a made-up one.
//
// # POP3 (RFC 1939, 2449, 2595)
//
//	(implicit TLS: handshake, any certificate, SNI = the host name)
//	S: +OK Dovecot (Debian) ready. <1896.697170952@mail.example>   APOP timestamp, if any
//	C: CAPA
//	S: +OK / USER / SASL PLAIN LOGIN / STLS / IMPLEMENTATION … / .
//	C: STLS                         when CAPA lists STLS, or CAPA was refused
//	S: +OK Begin TLS negotiation
//	   (TLS handshake; bytes that came before it are discarded and noted)
//	C: CAPA                         the capabilities again, inside TLS
//	C: USER ecscan-probe-1a2b3c4d   only when CAPA was refused and TLS did not start:
//	S: +OK / -ERR …                 +OK means USER/PASS goes on in clear; PASS is never sent
//	C: QUIT
//
// # IMAP (RFC 3501, 2971)
//
//	S: * OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED …] Dovecot ready.
//	C: E1 CAPABILITY                unless the greeting listed them
//	C: E2 ID NIL                    when ID is offered: the server's name and version
//	C: E3 STARTTLS                  when offered, or when the capabilities are unknown
//	   (TLS handshake)
//	C: E4 CAPABILITY                again, inside TLS
//	C: E5 LOGOUT
//
// # Bounds
//
// Every exchange (greeting, command and answer, handshake) has Config.Timeout as its
// deadline, and a whole endpoint ten of them; a canceled scan cuts the exchange in progress
// short. A line longer than 4 KB, a response of more than 200 lines, an IMAP literal over
// 16 KB or more than 256 KB on one connection end the dialogue as a protocol error. The
// transcript keeps 300 lines of at most 512 bytes, control bytes escaped.
//
// # Findings
//
// One Result per endpoint (Target "host:port", Data an *Observation), with one evidence
// item, "dialogue": the transcript and a summary. Findings have Subject "tcp/PORT".
//
//	mail.plaintext-auth      on a cleartext endpoint, judged from the capabilities before
//	                         TLS: POP3 USER, or SASL PLAIN/LOGIN; IMAP without
//	                         LOGINDISABLED (the LOGIN command), or AUTH=PLAIN/LOGIN: fail
//	                         medium, naming the ways. POP3 without CAPA: the USER probe
//	                         (+OK fail; an -ERR naming plaintext/TLS/SSL pass). IMAP
//	                         PREAUTH greeting: fail high. None of those: pass. Implicit TLS
//	                         that completed its handshake: pass.
//	mail.starttls            cleartext endpoints: STLS/STARTTLS accepted and the handshake
//	                         done: pass; accepted but the handshake failed: fail medium;
//	                         not offered or refused: fail medium when the endpoint takes
//	                         passwords in clear, low when it does not.
//	mail.apop                POP3 greeting with an APOP timestamp: info (challenge-response
//	                         without sending the password, but MD5-based).
//	mail.version-disclosure  a version in the greeting, the POP3 IMPLEMENTATION
//	                         capability or the IMAP ID response: fail low; otherwise pass
//	                         (naming the product, if any).
//
// What is allowed from the scan's source address is what is seen: Dovecot, for one, treats
// connections from its own addresses as secure and allows plaintext login from them, so
// scans of a lab on loopback bind another source address (--source-address).
package mail
