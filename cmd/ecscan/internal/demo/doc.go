// Package demo is the practice site of `ecscan demo`: a small, badly configured online
// shop made of in-process servers on loopback addresses, for ecscan to scan with its
// normal scan code. It needs no root, no network and nothing installed: pure Go, the
// standard library and github.com/miekg/dns. Nothing it serves is real and it never
// connects anywhere: it only answers, it stores nothing, and it forwards nothing.
//
// # The machines
//
// Each machine has its own address of one block 127.0.B.0/24 (B = 77, or the next block
// up to 86 when an address of one is taken), named in the zone demo-shop.test (.test is
// reserved by RFC 2606 and never delegated):
//
//	ns1.demo-shop.test   127.0.B.53  DNS, UDP and TCP 53
//	demo-shop.test, www  127.0.B.80  HTTP 80, HTTPS 443
//	mail.demo-shop.test  127.0.B.25  SMTP 25, POP3 110, IMAP 143
//	ftp.demo-shop.test   127.0.B.21  FTP 21 (and its passive ports)
//
// # Ports: standard when allowed, +10000 otherwise
//
// The checks find services through the ports check's service map, which identifies
// protocols by what they say, so most checks work on any port. Two do not: the DNS check
// asks each name server on port 53 (zone transfer, recursion, NS and SOA consistency), and
// the TLS check looks for the HTTP-to-HTTPS redirect on port 80. So Start first binds the
// standard ports (root, CAP_NET_BIND_SERVICE, or net.ipv4.ip_unprivileged_port_start ≤ 21,
// as in rootless containers), and when the kernel refuses (EACCES) it binds the same
// addresses with every port + 10000 (LayoutHigh: 10021, 10025, 10053, 10080, 10110, 10143,
// 10443). None of those is a port the ports check counts as an admin console (8080 and
// its kind would add a false finding), and every service there is identified by its
// greeting or by the HTTP and TLS probes — except DNS over TCP, which the ports check asks
// on 53 only and lists as unknown. Site.Unshown names the findings the high layout cannot
// show (dns.axfr, dns.open-recursion, dns.ns-consistency, dns.soa-consistency,
// tls.http-redirect). Where no 127.0.B.x address can be bound (EADDRNOTAVAIL: systems
// whose loopback is 127.0.0.1 alone), every machine shares 127.0.0.1 on the high ports
// (LayoutShared). A placement is taken whole: every socket is bound before any server
// starts, or none is kept.
//
// The scan must cover only Site.Ports. A wider port list would also reach whatever else
// listens on the machine's wildcard address (an sshd on 0.0.0.0:22 answers on every
// 127.x address), and put the operator's own machine into the demo report; the site's
// ports cannot be shared that way, since the site has bound them itself.
//
// # What each server shows
//
// DNS (miekg/dns, UDP and TCP): authoritative for demo-shop.test (AA set, RA clear), the
// resolver of the scan as well. A, MX, NS, SOA, TXT "v=spf1 +all" (dns.spf-permissive
// fails), no _dmarc (NXDOMAIN: dns.dmarc fails), no CAA, no DNSSEC; AXFR over TCP to
// anyone (dns.axfr fails); version.bind CH TXT answers a BIND version; every name outside
// the zone is REFUSED (dns.open-recursion passes). UDP replies are truncated to the
// client's size.
//
// Web (net/http; HTTP/2 off): Server "Apache/2.4.41 (Ubuntu)" and X-Powered-By
// "PHP/7.4.3" on every reply, no security headers. GET / is the shop's home page;
// /images/ an Apache "Index of /images" listing; /cgi-bin/test-cgi answers as the NCSA
// test script ("CGI/1.0 test script report:"), /cgi-bin/printenv as Apache's Perl sample
// (KEY="value" lines), both echoing request values bounded to 256 bytes and stripped of
// control bytes; TRACE echoes the request head as message/http; OPTIONS lists TRACE; other
// methods get 405. Port 80 serves the shop without redirecting (tls.http-redirect
// fails). HTTPS accepts TLS 1.0 to 1.3 with CBC suites, with and without forward secrecy
// (tls.protocol.tls10, tls.protocol.tls11 and tls.cipher.cbc fail), sends no HSTS
// (tls.hsts fails), and serves a certificate from a demo CA that ends in CertDaysLeft (10)
// days (tls.cert.expiring fails; with --ca-bundle Site.CAFile it is trusted).
//
// SMTP, a Postfix-like dialogue:
//
//	S: 220 mail.demo-shop.test ESMTP Postfix (Debian/GNU)
//	C: EHLO …        S: 250-PIPELINING, SIZE, VRFY, ETRN, AUTH PLAIN LOGIN, … (no STARTTLS)
//	C: MAIL FROM:<…> S: 250 2.1.0 Ok            any sender
//	C: RCPT TO:<…>   S: 250 2.1.5 Ok            any recipient, any domain: an open relay
//	C: DATA          S: 554 5.7.0 …             always: nothing is stored or forwarded
//	C: VRFY root     S: 250 2.1.5 <shop-admin@demo-shop.test>   (postmaster, root, webmaster)
//	C: EXPN x9y8     S: 550 5.1.1 <x9y8>: Recipient address rejected: User unknown …
//
// (smtp.open-relay, smtp.sender-spoofing, smtp.expn, smtp.vrfy, smtp.starttls and
// smtp.auth-plaintext fail; smtp.size-limit passes.) AUTH always fails with 535.
//
// POP3 and IMAP, Dovecot-like: STLS/STARTTLS offered and working with the site's
// certificate, but USER/PASS, LOGIN and AUTH=PLAIN allowed before it, no LOGINDISABLED
// (mail.plaintext-auth fails, mail.starttls passes); every password is refused.
//
// FTP, vsftpd-like: "220 (vsFTPd 3.0.3)"; USER anonymous or ftp with any password logs
// in; a read-only tree whose listing shows /upload as drwxrwxrwx and /incoming as
// drwx-wx-wx (ftp.anonymous and ftp.anonymous-writable fail) while every write command
// is refused (550); PASV and EPSV open a port on the server's own address, accepting one
// data connection from the control connection's address only; PORT and EPRT are refused,
// so the server never connects anywhere; AUTH TLS is refused (ftp.cleartext fails).
//
// # Bounds
//
// Every line server (SMTP, POP3, IMAP, FTP) reads lines of at most 4 KB and 300 commands
// a session, waits at most 30 s for a command and keeps a connection at most 3 minutes;
// each listener serves at most 64 connections at once and closes the others. The web
// servers have header, read, write and idle timeouts and a 16 KB header limit, and read
// at most 64 KB of a body. The DNS server has read and write timeouts and 16 queries a TCP
// connection. Close closes the listeners, then every open connection and passive
// listener, and waits for every goroutine of the site.
package demo
