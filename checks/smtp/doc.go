// Package smtp checks the SMTP services of the service map (every checks.Service with
// Protocol "smtp": 25, 587, and 465 where Service.TLS says TLS from the first byte): what
// the server announces, whether it relays mail from outside to outside, whether EXPN, VRFY
// and RCPT TO disclose users, whether passwords could cross the network in clear, and
// whether a message size limit is announced. Each service gets one Result (Target "host:port") whose
// Data is an *Observation; Evaluate turns the observation into findings without I/O.
//
// # The wire
//
// Every connection goes through the scan's checks.Dialer (limits, source address); on 465
// crypto/tls shakes hands first (any certificate, SNI = the host name: the TLS check judges
// certificates). Every exchange has Config.Timeout as its deadline and a connection at most
// 30 of them in all; a canceled scan cuts the exchange short. Replies are read with
// ReadReply: a line of at most 4 KB, a reply of at most 100 lines and 16 KB; past that, or
// on a line that does not begin with three digits, the session ends with a protocol error.
// A 421 reply or a close mid-dialogue ends the session with status "reset". The
// connections of a service are made one after the other, in three dialogues kept as
// evidence (every line with its time, "C:" client, "S:" server, "#" notes):
//
//	session  S: 220 banner            product and version (Sendmail 8.17.1, Exim 4.96, …)
//	         C: EHLO ecscan.invalid    S: 250 extensions (STARTTLS, AUTH, SIZE, VRFY, …)
//	                                   on 5xx: C: HELO ecscan.invalid
//	         C: STARTTLS               (cleartext, when offered) S: 220, TLS handshake,
//	         C: EHLO ecscan.invalid    the extensions over TLS (AUTH often appears here)
//	         C: QUIT
//	relay    S: 220, C: EHLO, then per form (RelayForms):
//	         C: RSET                   (between forms)
//	         C: MAIL FROM:<sender>     S: 250 (else the form is refused at MAIL)
//	         C: RCPT TO:<recipient>    S: 250/251 accepted: relaying; 4xx deferred; 5xx refused
//	         C: QUIT                   never DATA, unless Config.RelayTestTo (below)
//	enum     S: 220, C: EHLO, VRFY postmaster, VRFY root, VRFY ecscan-<random>, the same
//	         with EXPN (a 500/502/504/530 ends a command's names; a 530 asking for
//	         STARTTLS upgrades the session and asks again), then
//	         C: MAIL FROM:<ecscan-relay-test@example.org>  (530 "STARTTLS first": upgrade)
//	         C: RCPT TO:<postmaster@DOMAIN>, <root@DOMAIN>, <ecscan-<random>@DOMAIN>
//	            (only when MAIL got 2xx; a 500/502/503/504/530 ends the names)
//	         C: RSET, QUIT                  never DATA
//
// The RCPT TO test rides on the enum session (no connection of its own). DOMAIN is the
// site's own domain the host belongs to (as for the own-domain sender), else the server's
// name (banner, else host name); with only an address known, the test is not run.
//
// The relay forms go from an outside sender (example.org) to an outside recipient
// (example.net) — reserved names, never delivered to — in the 16 shapes nmap's
// smtp-open-relay tries against weak relay rules: the plain form, the empty sender <>, the
// site's own domain as sender, postmaster@server, the server's address literal as sender, an
// outside address literal ([192.0.2.1]), and recipients that hide the outside address:
// relaytest%example.net@server and @[server address], "relaytest@example.net" (bare and
// @server), "relaytest%example.net", relaytest@example.net@server, the source routes
// @server:… and @[address]:…, example.net!relaytest (bare and @server). A 530 asking for
// STARTTLS first upgrades the session once and asks again. At most 8 forms go over one
// connection: servers count refused commands and slow down past a limit (Postfix sleeps a
// second per error after the 10th, which makes nmap's 16 forms in one session take 20 s
// against a hardened Postfix). When the server closes the session part-way (421 "too many
// errors") the test reconnects, at most twice, and goes on from the next form.
//
// With Config.RelayTestTo (opt-in, --smtp-relay-test-to) and a form accepted, one message
// goes to that address, which the operator owns, with the accepted form's sender: RSET, MAIL,
// RCPT, and DATA only when RCPT was accepted; its subject is "ecscan relay test, safe to
// delete" and its body says where it came from. Nothing else is ever written.
//
// The scan's source address matters: MTAs relay for "local" clients (Postfix's default
// mynetworks are the host's own networks). When the server sees the tests come from its own
// address, a loopback or private address, or its own /24 (/64), the Observation's Origin
// says so, and the relay findings and evidence say the result is possibly a false positive.
//
// # Findings
//
// Finding IDs, with Host, Addr and Port of the service (no Subject):
//
//	smtp.service             info: banner, EHLO/HELO, the extensions before and after STARTTLS
//	smtp.version-disclosure  banner or greeting names product and version: fail low; else pass
//	smtp.starttls            cleartext service: STARTTLS offered and the handshake done: pass;
//	                         not offered, refused, handshake failed: fail medium. 465: pass
//	smtp.auth-plaintext      AUTH PLAIN or LOGIN offered before STARTTLS on a cleartext
//	                         connection: fail medium; AUTH only after STARTTLS, only
//	                         challenge-response, none, or TLS from the first byte: pass
//	smtp.size-limit          EHLO announces SIZE n > 0: pass; no SIZE, SIZE 0 or without a
//	                         value, HELO only: fail low
//	smtp.open-relay          any form's RCPT accepted: fail critical, listing the accepted
//	                         forms (and the test message's fate); every form refused (5xx):
//	                         pass, listing each form with its reply; otherwise info
//	smtp.sender-spoofing     the own-domain form (MAIL FROM:<ecscan-relay-test@own domain>
//	                         to an outside recipient, no AUTH): accepted fail high, refused
//	                         pass, else info; absent when no own domain is known
//	smtp.expn, smtp.vrfy     see below
//	smtp.rcpt-enum           RCPT TO tells users apart: fail low; see below
//
// Sender spoofing is part of the relay test (the same dialogue) and a finding of its own: an
// open relay is about anyone's mail; this is about the site's name, the questionnaire's
// "sender restriction" (SMTP AUTH or POP before SMTP) control point. It is judged for mail
// leaving the domain only: an MX must accept mail to its own domain from unauthenticated
// peers whatever sender they claim, and forged inbound senders are for SPF and DMARC (the DNS
// check).
//
// EXPN and VRFY compare the likely names (postmaster, root) with a random control name
// nobody has. A server that answers the control with 250/251/252 answers everything and
// discloses nothing: pass. Every name refused (5xx): pass. A likely name answered with an
// address (250/251 with an @ or <…>) while the control is refused: fail, medium for EXPN,
// low for VRFY. A likely name accepted without an address (252, Postfix's "252 2.0.0 root")
// while the control is refused still tells existing users apart: fail low for either (nmap's
// smtp-enum-users counts 252 as "not permitted"; here the control shows it is not). Anything
// else (temporary errors, no reply): info.
//
// RCPT TO compares the same way, with rules of its own (rcptVerdict, over the replies
// only). Each reply is classified (ClassifyRcpt): 2xx accepted; "unknown user" only for a
// 5xx with the enhanced code 5.1.1 or 5.1.10 (RFC 3463; a code whose class disagrees with
// the reply's is ignored) or, without one, a 550/553 with a phrase such as "User unknown"
// or "Unrouteable address"; any other 5xx is a refusal for who asks (relay, policy, 530
// authentication or TLS, syntax), and so is a reply naming the client, the sender,
// relaying or authentication, whatever its code (Postfix checks the client and the sender
// at RCPT). postmaster (RFC 5321) and abuse (RFC 2142) must exist in every mail domain:
// their replies never count, so of the names asked only root is compared with the control.
//
//	root accepted, control "unknown user"       fail low: users can be enumerated (nmap's
//	                                            smtp-enum-users RCPT method)
//	control accepted (any 2xx)                  pass: every recipient accepted, names not
//	                                            told apart (noted when the source may be
//	                                            trusted as local)
//	root refused (5xx), control "unknown user"  pass: refused like a name nobody has
//	MAIL 5xx, control refused for who asks, or  info "could not be tested": the names were
//	the names cut short by 530/503/…            never compared
//	4xx, no reply, the session ended            info "could not be decided"
//
// No finding when the session ended before MAIL (the Result's status says why). Refusing
// unknown recipients at RCPT is what a well-run MX does (accepting and bouncing later sends
// backscatter), so nearly every server that takes mail for real users and has root
// deliverable fails; the finding names the mitigations: expose fewer addresses (no root
// from outside), limit clients that keep getting refusals. A pass only speaks for the
// names tried: a server that accepts its real addresses tells them apart from made-up ones.
package smtp
