// Package dns discovers the hosts of a scan from the operator's targets and checks the
// DNS of the domains found. It is the only package of ecscan that uses
// github.com/miekg/dns.
//
// # Discovery
//
// Discover asks the configured recursive resolver (RD=1, EDNS0, over UDP, over TCP again
// when the reply is truncated):
//
//	→ ecshop.test. IN SOA        ← ecshop.test. SOA ns1.ecshop.test. …   (owner = name: a zone)
//	→ ecshop.test. IN A / AAAA   ← 127.0.30.80                           (the apex host)
//	→ www.ecshop.test. IN A / AAAA
//	→ ecshop.test. IN MX         ← 10 mail.ecshop.test., 20 mx.mail-provider.test.
//	→ ecshop.test. IN NS         ← ns1.ecshop.test., ns.dns-host.test.
//	→ <each target above and each configured name>. IN A / AAAA
//
// A name whose SOA is owned by another name is a single host. Hosts within a domain, and
// hosts the operator listed, are in scope; the others (a mail provider's MX, a DNS
// host's NS) are kept out of scope with the reason and never probed. Private, loopback,
// link-local, multicast, reserved and documentation addresses (the IANA special-purpose
// registries) are dropped unless allowed.
//
// # The check
//
// For each domain, the resolver is asked NS, SOA, TXT, _dmarc TXT, CAA, and DNSKEY and DS
// with the DO bit. Each in-scope name server address is then asked, directly:
//
//	→ ecshop.test. IN SOA (RD=0)   the reachability probe and the serial
//	→ ecshop.test. IN NS  (RD=0)   the NS set the server serves
//	→ www.example.net. IN A (RD=1) a name outside the zone: does it recurse for us?
//	→ ecshop.test. IN AXFR over TCP: read until the closing SOA, at most 5000 records
//
// Every query goes through the scan's checks.Dialer (its slots and rates; TCP through its
// DialContext, UDP from its source address), under a deadline, reading at most one 64
// KiB message at a time. The replies are kept as evidence in zone-file text, bounded.
// Evaluation is a set of pure functions over the answers.
//
// # Findings
//
// Per domain (Result.Target = the domain):
//
//	dns.spf               fail medium: no SPF record, several, or a syntax error (permerror); pass: one
//	dns.spf-permissive    fail high: +all; fail medium: ?all, or neither all nor redirect=;
//	                      info: redirect= (not followed); pass: ~all, -all
//	dns.dmarc             fail medium: no record at _dmarc, several, or malformed; pass: one
//	dns.dmarc-policy      fail low: p=none; pass: quarantine, reject
//	dns.caa               fail low: no CAA at the domain; pass: the records
//	dns.dnssec            fail low: no DNSKEY, no RRSIG, or no signature that verifies now; pass
//	dns.dnssec-ds         pass: a DS matches a DNSKEY; fail low: signed without DS; fail medium:
//	                      DS without keys, or no DS matches (bogus); info: unsigned, or no answer
//	dns.ns-consistency    fail low: an in-scope server's NS set differs from the resolver's, or
//	                      it answers without authority; pass; info: no server answered
//	dns.soa-consistency   fail low: serials differ, or a server is lame; pass; info: one server
//
// Per name server address (Result.Target = the server, Port 53, Subject = the zone):
//
//	dns.axfr              fail high: the server handed out zone records; pass: refused or failed
//	dns.open-recursion    fail medium: RA set and the name resolved (answers, NOERROR or
//	                      NXDOMAIN, without authority); pass: REFUSED, RA clear, or another
//	                      error code; info: an authoritative reply with RA (the server serves
//	                      the name: inconclusive), RA with SERVFAIL, or no reply
//
// A name server outside the scope gets a Result with StatusSkipped and is never contacted.
package dns
