// Package ports is the first check of every scan: a TCP connect scan of every target
// address, then the identification of what speaks on each open port. Its Results carry the
// service map (checks.Service per open port) that the later checks (TLS, SMTP, POP/IMAP,
// FTP, web) consume, so they never guess where a protocol is.
//
// # The scan
//
// Every connection goes through the scan's checks.Dialer, which applies the global and
// per-address concurrency, the rates, the connect timeout and the source address. On Linux
// the scan's own connects (connectTCP) take the dialer's slots and rates (Dialer.Acquire)
// and make the socket with system calls, from the dialer's source address and within its
// connect timeout: socket, connect, then the socket's error and peer, which on loopback
// already hold the answer when connect returns; only a connect still in progress waits in
// the runtime poller. That leaves the kernel's cost of a connect, about half of what
// net.Dialer spends on loopback. One pool of workers takes (address, port) jobs that
// interleave the addresses. It starts with 32 workers and doubles, up to what the dialer's
// concurrency allows, whenever half of them have been waiting on a connection for over
// 5 ms: workers only help while connections wait on the network, and where connects are
// answered at once (loopback, a LAN) a small pool does more with less contention. The pool
// stops growing, and its controller ends, as soon as the last job is handed out. A port is
//
//   - open when the connection is made (SYN, SYN-ACK, ACK); the connection goes straight
//     to identification;
//   - closed when it is refused (RST), or when the connection is made with itself: on
//     loopback the kernel may give a connect to a port nothing listens on that same address
//     and port as its source, and the SYN meets itself (a simultaneous open, no server);
//     the port is tried again from another source port (as net.Dialer does), up to 3
//     times;
//   - filtered when it times out 1+Config.Retries times, or answers host/network
//     unreachable.
//
// Running out of local resources (EMFILE, ENFILE, ENOBUFS, ephemeral ports: EADDRNOTAVAIL,
// EADDRINUSE) is waited out with an exponential backoff (5 ms to 1 s, for up to 2 minutes
// per port) and never taken for an answer; a port given up on counts as an error, not as
// closed. A source address that is not on this machine (bind: EADDRNOTAVAIL) stops the
// check with an error, since no port could ever be scanned. Each address keeps one byte of
// state per requested port. When the context is canceled the workers stop, the
// identifications in progress are cut short, and each address's Result is emitted with what
// was found and Status canceled.
//
// # Identification
//
// Every exchange has Config.ServiceTimeout as its deadline and reads at most 8 KB; a reply
// that has begun is taken as whole when it pauses for 300 ms. No new probe of a port starts
// after 4 timeouts' worth of time, or after two probes met silence; a canceled context cuts
// every exchange short. The probes follow the port number, as nmap's service probes do,
// then fall back to banner, http, tls, pgssl:
//
//	banner     wait for a greeting (the whole timeout on 21, 22, 23, 25, 110, 143, 587,
//	           3306, 5900-5909, …; a quarter of it elsewhere):
//	           "SSH-" ssh, "220" ftp or smtp (by the words in it, then the port), "+OK" pop3,
//	           "* OK" imap, a MySQL handshake packet (protocol 10, server version) or error
//	           packet mysql, IAC WILL/WONT/DO/DONT telnet, "RFB 003.008" vnc
//	tls        crypto/tls ClientHello (any certificate, SNI = the host name); after the
//	           handshake, the protocol inside: a greeting on 465, 563, 990, 992-995, else
//	           GET /. A failed handshake still shows what the server sent (an HTTP 400, a
//	           TLS alert: TLS without a usable handshake)
//	http       GET / HTTP/1.1 with Host: status line, Server, X-Powered-By; Elasticsearch
//	           and OpenSearch ("cluster_name", "You Know, for Search"), CouchDB, Kibana
//	           (kbn-version), Jenkins (X-Jenkins), RabbitMQ; and the services that answer
//	           HTTP with their own errors (Redis "-ERR", memcached "ERROR", MongoDB)
//	pgssl      PostgreSQL SSLRequest (00 00 00 08 04 d2 16 2f): one byte, 'S' or 'N'
//	redis      PING: +PONG (then INFO server for redis_version), -NOAUTH, -DENIED
//	memcached  version: VERSION 1.6.x
//	mongodb    OP_QUERY {isMaster: 1} on admin.$cmd: OP_REPLY or OP_MSG to our request ID
//	rdp        X.224 Connection Request with an RDP negotiation request: Connection Confirm
//	smb        SMB1 NEGOTIATE offering NT LM 0.12, SMB 2.002, SMB 2.???: \xffSMB or \xfeSMB
//	mssql      TDS PRELOGIN: the server's version and encryption setting
//	rpc        ONC RPC NULL call (rpcbind 100000 v2 on 111, NFS 100003 v3 on 2049)
//	dns        a DNS query over TCP on 53: version.bind TXT CH (BIND, NSD, Unbound, … name
//	           their version unless told not to)
//
// A probe's reply is matched against every greeting too (an SSH server on 443 answers the
// ClientHello with "SSH-2.0-…"), and a TLS record or the HTTP 400 that TLS servers send to
// plain HTTP moves the TLS probe next. A single 'S' or 'N' counts as PostgreSQL only when the
// server did not speak first.
//
// After a greeting that nothing preceded, the protocol's capability request fills
// Service.StartTLS: SMTP EHLO (STARTTLS), POP3 CAPA (STLS), IMAP CAPABILITY (from the
// greeting when it lists them; STARTTLS), FTP FEAT (AUTH TLS); then QUIT/LOGOUT. Nothing
// logs in or writes. Products and versions come from a table of expressions over the banner
// (OpenSSH_9.2p1 → OpenSSH 9.2p1, Apache/2.4.62 → Apache httpd 2.4.62, vsFTPd 3.0.3,
// Exim 4.96, 5.5.5-10.11.6-MariaDB → MariaDB 10.11.6, …). The banner is kept as it came,
// bounded to 1 KB; the report writers escape it. A port nothing recognised is "unknown".
// Service.Protocol is one of: ssh, ftp, smtp, pop3, imap, telnet, http, dns, mysql,
// postgresql, mssql, mongodb, redis, memcached, smb, nfs, rpcbind, rdp, vnc, amqp, unknown;
// Service.TLS marks TLS from the first byte (https is http with TLS, smtps smtp with TLS),
// and services spoken over HTTP keep "http" with their Product (Elasticsearch, Kibana,
// CouchDB, Docker, Jenkins, RabbitMQ, Webmin).
//
// # SSH
//
// On every SSH service (Config.SSH): the algorithm offer, by sending our identification
// string ("SSH-2.0-ecscan_1.0") and reading the server's first binary packet, its
// SSH_MSG_KEXINIT, which is never encrypted (ParseKexInit: kex, host key, ciphers, MACs,
// compression; bounded to 35000 bytes); then the authentication methods, with
// golang.org/x/crypto/ssh on the same connection: the library's key exchange goes on from
// the bytes already read (replayConn; our identification string is not sent twice). A new
// connection is used when the greeting's connection did not read the KEXINIT, or when the
// exchange there failed for another reason than a timeout. After the key exchange the
// client sends the "none" request for user "ecscan", and the server's list of methods that
// can continue is recorded; the password and keyboard-interactive methods are offered
// through callbacks that record the offer (and the prompts) and return an error, so no
// password is ever sent.
//
// # Findings
//
// One Result per address (Target = host name, Addr), with Data an *Observation: counts of
// open, closed and filtered ports, the filtered ports, and every open port's
// identification. Evidence: "scan" (the summary) and "tcp-PORT" (the dialogue of each open
// port). Services are classified by their identified protocol first (a database on another
// port is still a database, and a web server on 3306 is not one), then for HTTP by the
// product it names and its port, and by the port number only when nothing was identified.
// A pass is given only when the scan was not interrupted and covered some of the rule's
// usual ports.
//
//	ports.open                 info per open port (Subject "tcp/PORT"): protocol, product,
//	                           version
//	ports.cleartext-admin      telnet: fail high; ftp without implicit TLS: fail medium;
//	                           pass when neither (usual ports 21, 23)
//	ports.database             MySQL/MariaDB, PostgreSQL, SQL Server, Oracle (1521),
//	                           MongoDB, CouchDB: fail high per service; pass when none
//	ports.cache                Redis, memcached: fail high; pass when none
//	ports.search               Elasticsearch/OpenSearch (9200, 9300), Kibana (5601): fail
//	                           high; pass when none
//	ports.file-sharing         SMB (139, 445), NFS (2049), rpcbind (111): fail high; pass
//	ports.remote-desktop       RDP (3389), VNC (5900-5909): fail high; pass when none
//	ports.admin-console        development and admin servers (HTTP or unidentified on
//	                           2082/2083/2086/2087 cPanel, 2375/2376 Docker API, 3000, 4848
//	                           GlassFish, 5000, 5985/5986 WinRM, 6443 Kubernetes, 7001/7002
//	                           WebLogic, 8000, 8008, 8080, 8081, 8088, 8161 ActiveMQ, 8880
//	                           Plesk, 8888, 9000, 9090, 9443 Portainer, 9990 WildFly, 10000
//	                           Webmin, 15672 RabbitMQ, 50000 Jenkins; and Docker, Jenkins,
//	                           RabbitMQ, Webmin, WebLogic on any port): fail medium; pass
//	ports.remote-admin         SSH reachable: info per service; pass when no SSH is open
//	ssh.password-auth          the server lists "password", or a keyboard-interactive prompt
//	                           asks for a password: fail medium; "none" accepted: fail
//	                           high; keys (or other methods) only: pass
//	ssh.weak-algorithms        SHA-1 key exchange, ssh-rsa/ssh-dss host keys, CBC, 3DES and
//	                           RC4 ciphers, hmac-sha1*/hmac-md5* MACs, "none": fail low,
//	                           listing them; pass otherwise
//	ports.version-disclosure   a service that shows product AND version (or a versioned
//	                           X-Powered-By): fail low per service; an identified service
//	                           without a version: pass
//
// # Ports
//
// TopPorts follows nmap's nmap-services frequencies (topports.go, generated by
// gen_topports.go from Debian's nmap); DefaultPorts adds the EC review ports (reviewPorts).
package ports
