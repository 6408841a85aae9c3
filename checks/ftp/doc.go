// Package ftp is the FTP check. It runs after the ports check, on every service of the
// service map whose Protocol is "ftp" (usually 21; 990 with Service.TLS, TLS from the first
// byte), and asks what an FTP server gives a stranger: an anonymous login, a listing,
// writable directories, encryption, passive ports, and whether it lets itself be pointed
// at third parties.
//
// # The main connection (RFC 959, 2389, 2428, 3659)
//
//	(implicit TLS: handshake, any certificate, SNI = the host name)
//	S: 220 (vsFTPd 3.0.3)              (a 120 first is waited out once; 421 ends it)
//	C: FEAT                            S: 211-Features: / EPSV / MLST type*;perm*; / 211 End
//	C: SYST                            S: 215 UNIX Type: L8
//	C: USER anonymous                  S: 331 (→ PASS), 332 (→ ACCT), 230 (logged in), 530
//	C: PASS ecscan@example.invalid     the conventional anonymous password, not a credential
//	C: ACCT anonymous                  only when asked (332)
//	— after a login (230, or 202 to PASS/ACCT) —
//	C: PWD, STAT                       STAT often names the server and its version
//	C: PBSZ 0, PROT P                  implicit TLS only: data connections speak TLS too
//	C: TYPE A
//	C: EPSV (when FEAT lists it) or PASV, then MLSD (when FEAT lists MLST) or LIST
//	C: PASV …                          until Config.PassiveSamples passive replies were seen
//	C: QUIT
//
// Every data connection goes through the scan's dialer to the control connection's peer
// and nowhere else: a PASV reply naming another address is recorded (ftp.pasv-address)
// and its port is used on the peer, as common clients do; the classic trick of pointing a
// client at a third host never works on the scan. A listing is read up to 64 KB; its first
// 20 entries are evidence, and every entry is judged: a Unix mode with write for others
// (drwxrwxrwx), a directory owned by ftp or anonymous with owner write, an MLSD perm fact
// that grants this user c, m, p (directories) or w, a (files), a unix.mode with write for
// others.
//
// # With Config.Intrusive (--intrusive) only
//
//   - the write test, in binary mode, in up to three directories the listing showed
//     writable, then the top directory, until one write works: STOR a marked file
//     ecscan-write-test-<8 hex>.txt (a one-line body saying what it is), SIZE (213: it is
//     there), DELE, SIZE again (550: gone); NLST stands in for SIZE where SIZE is not
//     understood. Every step is recorded, and a file that could not be deleted is named in
//     the finding for the operator to remove.
//   - the bounce test: PORT naming an address that is not the client's. On a loopback
//     target, a listener the check opens on another 127.x address (127.0.0.1, or
//     127.0.0.2 when the control connection comes from 127.0.0.1), then LIST: whether the
//     server accepted PORT and whether it actually connected. Elsewhere PORT names
//     192.0.2.1:9 (TEST-NET-1, never routed) and no transfer is started: the reply to PORT
//     is the answer.
//
// # Other connections (cleartext endpoints that greeted)
//
//	2: AUTH TLS (then AUTH SSL) → 234 → TLS handshake → QUIT, whatever FEAT said
//	3: when that worked: USER ecscan-probe-<8 hex> and never PASS. A 530/534/550 that names
//	   TLS, SSL or encryption says logins need TLS first; 331 says a password would be taken
//	   in clear.
//
// # Bounds
//
// Every exchange has Config.Timeout as its deadline (0: the scan's Limits.Timeout), a whole
// endpoint 40 + PassiveSamples of them; a canceled scan cuts the exchange in progress
// short. A line longer than 4 KB, a reply of more than 200 lines or more than 256 KB on a
// control connection end the dialogue as a protocol error; a 421 ends it as reset. The
// transcript keeps 400 lines of at most 512 bytes per connection, control bytes escaped.
//
// # Findings
//
// One Result per endpoint (Target "host:port", Data an *Observation). Evidence: "control"
// (the main dialogue and a summary), "listing" (after an anonymous login), "auth-tls"
// (connections 2 and 3). Findings have Subject "tcp/PORT".
//
//	ftp.anonymous           anonymous login works: fail high; refused: pass
//	ftp.anonymous-writable  the write test stored a file: fail high (naming files left
//	                        behind); it was refused everywhere: pass. Without the test: a
//	                        listing entry that looks writable: fail high; none: pass
//	ftp.cleartext           AUTH TLS works and USER before TLS is refused: pass; AUTH TLS
//	                        works but USER is taken in clear: fail low; AUTH TLS accepted,
//	                        handshake failed, or refused: fail medium; implicit TLS: pass
//	ftp.pasv-range          from two or more passive replies: all on one port, or within a
//	                        spread so narrow that a server choosing among all ports 1024-
//	                        65535 would show it in under 1% of scans (about 320 ports for 2
//	                        samples, 3,800 for 3, 9,100 for 4): pass; wider: fail low;
//	                        ports handed out in sequence: info
//	ftp.pasv-address        a PASV reply names another address than the peer: fail medium;
//	                        every one names the peer: pass
//	ftp.bounce              intrusive only: PORT to a third-party address accepted: fail
//	                        high (saying whether the server connected); refused: pass
//	ftp.version-disclosure  a version in the banner, SYST or STAT: fail low; none: pass
package ftp
