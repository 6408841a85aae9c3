package ports

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestProductOf(t *testing.T) {
	tests := []struct {
		proto, text      string
		product, version string
	}{
		{"ssh", "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n", "OpenSSH", "9.2p1"},
		{"ssh", "SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.10", "OpenSSH", "8.9p1"},
		{"ssh", "SSH-2.0-OpenSSH_7.4", "OpenSSH", "7.4"},
		{"ssh", "SSH-1.99-OpenSSH_3.9p1", "OpenSSH", "3.9p1"},
		{"ssh", "SSH-2.0-dropbear_2022.83\r\n", "Dropbear", "2022.83"},
		{"ssh", "SSH-2.0-libssh_0.10.6", "libssh", "0.10.6"},
		{"ssh", "SSH-2.0-Cisco-1.25", "Cisco SSH", "1.25"},
		{"ssh", "SSH-2.0-ROSSSH", "MikroTik RouterOS sshd", ""},
		{"ssh", "SSH-2.0-Go", "Go x/crypto/ssh", ""},
		{"ssh", "SSH-2.0-AsyncSSH_2.14.2", "AsyncSSH", "2.14.2"},
		{"ssh", "SSH-2.0-mod_sftp", "mod_sftp", ""},
		{"ssh", "SSH-2.0-", "", ""},
		{"ftp", "220 (vsFTPd 3.0.3)\r\n", "vsftpd", "3.0.3"},
		{"ftp", "220 ProFTPD 1.3.8 Server (Debian) [::ffff:127.0.30.21]\r\n", "ProFTPD", "1.3.8"},
		{"ftp", "220 ProFTPD Server (ecshop) [127.0.30.21]\r\n", "ProFTPD", ""},
		{"ftp", "220---------- Welcome to Pure-FTPd [privsep] [TLS] ----------\r\n", "Pure-FTPd", ""},
		{"ftp", "220-FileZilla Server 1.7.0\r\n220 Please visit https://filezilla-project.org/\r\n", "FileZilla Server", "1.7.0"},
		{"ftp", "220 Microsoft FTP Service\r\n", "Microsoft ftpd", ""},
		{"smtp", "220 mail.ecshop.test ESMTP Postfix (Debian/GNU)\r\n", "Postfix", ""},
		{"smtp", "220 mx.example ESMTP Exim 4.96 Mon, 02 Jan 2026 03:04:05 +0900\r\n", "Exim", "4.96"},
		{"smtp", "220 host ESMTP Sendmail 8.17.1.9/8.17.1.9/Debian-2; Mon, 2 Jan 2026\r\n", "Sendmail", "8.17.1.9"},
		{"smtp", "220 ex.example Microsoft ESMTP MAIL Service, Version: 10.0.17763.1 ready\r\n", "Microsoft ESMTP", "10.0.17763.1"},
		{"smtp", "220 smtp.example ESMTP OpenSMTPD\r\n", "OpenSMTPD", ""},
		{"pop3", "+OK Dovecot (Debian) ready.\r\n", "Dovecot", ""},
		{"imap", "* OK [CAPABILITY IMAP4rev1 STARTTLS] Dovecot (Debian) ready.\r\n", "Dovecot", ""},
		{"imap", "* OK mail Cyrus IMAP v3.6.1-Debian server ready\r\n", "Cyrus", "3.6.1-Debian"},
		{"http", "Apache/2.4.62 (Debian)", "Apache httpd", "2.4.62"},
		{"http", "Apache", "Apache httpd", ""},
		{"http", "Apache-Coyote/1.1", "Apache Tomcat", ""},
		{"http", "nginx/1.22.1", "nginx", "1.22.1"},
		{"http", "nginx", "nginx", ""},
		{"http", "Microsoft-IIS/10.0", "Microsoft IIS", "10.0"},
		{"http", "MiniServ/2.105", "Webmin", "2.105"},
		{"http", "Docker/24.0.7 (linux)", "Docker", "24.0.7"},
		{"http", "Jetty(9.4.53.v20231009)", "Jetty", "9.4.53.v20231009"},
		{"http", "PHP/8.2.7", "PHP", "8.2.7"},
		{"http", "cloudflare", "cloudflare", ""},
		{"http", "Caddy", "Caddy", ""},
		{"http", "SomeServer/3.1 (Unix)", "SomeServer", "3.1"},
		{"http", "", "", ""},
		{"memcached", "VERSION 1.6.21\r\n", "memcached", "1.6.21"},
		{"redis", "$99\r\n# Server\r\nredis_version:7.0.15\r\nredis_git_sha1:00000000\r\n", "Redis", "7.0.15"},
	}
	for _, tt := range tests {
		p, v := productOf(tt.proto, tt.text)
		if p != tt.product || v != tt.version {
			t.Errorf("productOf(%s, %q) = %q %q, want %q %q", tt.proto, tt.text, p, v, tt.product, tt.version)
		}
	}
}

func TestMySQLProduct(t *testing.T) {
	tests := []struct{ version, product, ver string }{
		{"5.5.5-10.11.6-MariaDB-0+deb12u1", "MariaDB", "10.11.6"},
		{"11.4.2-MariaDB-ubu2404", "MariaDB", "11.4.2"},
		{"8.0.36", "MySQL", "8.0.36"},
		{"8.0.36-0ubuntu0.22.04.1", "MySQL", "8.0.36"},
		{"weird", "MySQL", ""},
	}
	for _, tt := range tests {
		p, v := mysqlProduct(tt.version)
		if p != tt.product || v != tt.ver {
			t.Errorf("mysqlProduct(%q) = %q %q, want %q %q", tt.version, p, v, tt.product, tt.ver)
		}
	}
}

func TestRecognize(t *testing.T) {
	tests := []struct {
		name  string
		raw   string
		probe probeID
		port  int
		proto string
		tls   bool
	}{
		{"ssh", "SSH-2.0-OpenSSH_9.2p1\r\n", probeBanner, 22, "ssh", false},
		{"ssh on 443 answering the ClientHello", "SSH-2.0-OpenSSH_9.2p1\r\n", probeTLS, 443, "ssh", false},
		{"ftp by words", "220 ProFTPD Server ready\r\n", probeBanner, 2121, "ftp", false},
		{"smtp by words", "220 mx ESMTP ready\r\n", probeBanner, 2121, "smtp", false},
		{"smtp host named ftp", "220 ftp.example.com ESMTP Postfix\r\n", probeBanner, 25, "smtp", false},
		{"220 by port", "220 ready\r\n", probeBanner, 587, "smtp", false},
		{"220 elsewhere", "220 ready\r\n", probeBanner, 2100, "ftp", false},
		{"smtp 554", "554 no SMTP service here\r\n", probeBanner, 25, "smtp", false},
		{"pop3", "+OK ready\r\n", probeBanner, 110, "pop3", false},
		{"imap preauth", "* PREAUTH ready\r\n", probeBanner, 143, "imap", false},
		{"http", "HTTP/1.1 200 OK\r\nServer: x\r\n\r\n", probeHTTP, 80, "http", false},
		{"https port spoken to in plain http", "HTTP/1.1 400 Bad Request\r\n\r\n<p>The plain HTTP request was sent to HTTPS port</p>", probeHTTP, 8000, "", true},
		{"tls alert", "\x15\x03\x01\x00\x02\x02\x46", probeHTTP, 8000, "", true},
		{"redis noauth", "-NOAUTH Authentication required.\r\n", probeRedis, 6379, "redis", false},
		{"redis protected mode", "-DENIED Redis is running in protected mode\r\n", probeHTTP, 6379, "redis", false},
		{"pop3 error is not redis", "-ERR no\r\n", probeBanner, 110, "", false},
		{"memcached", "ERROR\r\n", probeHTTP, 11211, "memcached", false},
		{"mongodb over http", "It looks like you are trying to access MongoDB over HTTP on the native driver port.\r\n", probeHTTP, 27017, "mongodb", false},
		{"pg N", "N", probePG, 5432, "postgresql", false},
		{"pg S", "S", probePG, 5432, "postgresql", false},
		{"single S elsewhere", "S", probeBanner, 5432, "", false},
		{"pg error", "E\x00\x00\x00\x50SFATAL\x00Munsupported frontend protocol\x00\x00", probePG, 5432, "postgresql", false},
		{"amqp", "AMQP\x00\x00\x09\x01", probeHTTP, 5672, "amqp", false},
		{"nothing", "", probeBanner, 1, "", false},
		{"garbage", "\x00\x01\x02", probeBanner, 1, "", false},
	}
	for _, tt := range tests {
		m := recognize([]byte(tt.raw), tt.probe, tt.port)
		if m.proto != tt.proto || m.tlsHint != tt.tls {
			t.Errorf("%s: got %q tls %v, want %q tls %v", tt.name, m.proto, m.tlsHint, tt.proto, tt.tls)
		}
	}
}

func TestHTTPMatch(t *testing.T) {
	tests := []struct {
		name, raw, product, version string
	}{
		{"server", "HTTP/1.1 200 OK\r\nServer: Apache/2.4.62 (Debian)\r\n\r\nbody", "Apache httpd", "2.4.62"},
		{"powered by only", "HTTP/1.1 200 OK\r\nX-Powered-By: PHP/8.2.7\r\n\r\n", "PHP", "8.2.7"},
		{"kibana", "HTTP/1.1 302 Found\r\nkbn-name: kibana\r\nkbn-version: 8.11.3\r\n\r\n", "Kibana", "8.11.3"},
		{"jenkins", "HTTP/1.1 403 Forbidden\r\nX-Jenkins: 2.426.1\r\nServer: Jetty(10.0.18)\r\n\r\n", "Jenkins", "2.426.1"},
		{"couchdb", "HTTP/1.1 200 OK\r\nServer: CouchDB/3.3.2 (Erlang OTP/24)\r\n\r\n{\"couchdb\":\"Welcome\",\"version\":\"3.3.2\"}", "CouchDB", "3.3.2"},
		{"opensearch", "HTTP/1.1 200 OK\r\n\r\n{\"cluster_name\":\"c\",\"version\":{\"distribution\":\"opensearch\",\"number\":\"2.11.0\"}}", "OpenSearch", "2.11.0"},
		{"no header end", "HTTP/1.1 200 OK\r\nServer: nginx", "nginx", ""},
	}
	for _, tt := range tests {
		m := httpMatch([]byte(tt.raw))
		if m.product != tt.product || m.version != tt.version {
			t.Errorf("%s: got %q %q, want %q %q", tt.name, m.product, m.version, tt.product, tt.version)
		}
	}
}

func TestReplyPredicates(t *testing.T) {
	tests := []struct {
		name string
		f    func([]byte) bool
		in   string
		want bool
	}{
		{"line", lineReply, "220 ready\r\n", true},
		{"partial line", lineReply, "220 rea", false},
		{"continuation", lineReply, "220-hello\r\n", false},
		{"continuation ended", lineReply, "220-hello\r\n220 ready\r\n", true},
		{"feat body", lineReply, "211-Features:\r\n AUTH TLS\r\n", false},
		{"feat ended", lineReply, "211-Features:\r\n AUTH TLS\r\n211 End\r\n", true},
		{"dot", dotReply, "+OK\r\nSTLS\r\n.\r\n", true},
		{"dot partial", dotReply, "+OK\r\nSTLS\r\n", false},
		{"dot error", dotReply, "-ERR no\r\n", true},
		{"tagged", taggedReply("a1"), "* CAPABILITY IMAP4rev1\r\na1 OK done\r\n", true},
		{"tagged partial", taggedReply("a1"), "* CAPABILITY IMAP4rev1\r\na1 OK", false},
		{"http whole", httpReply, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", true},
		{"http body missing", httpReply, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nok", false},
	}
	for _, tt := range tests {
		if got := tt.f([]byte(tt.in)); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

// FuzzRecognize feeds any reply to every probe's recognition: no panic, bounded output.
func FuzzRecognize(f *testing.F) {
	for _, s := range []string{
		"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n",
		"220 (vsFTPd 3.0.3)\r\n",
		"220-mx ESMTP Exim 4.96\r\n220 ok\r\n",
		"+OK Dovecot ready.\r\n",
		"* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n",
		"HTTP/1.1 200 OK\r\nServer: Apache/2.4.62\r\nContent-Length: 3\r\n\r\n{\"cluster_name\":1}",
		string(mysqlGreeting("8.0.36")),
		string(mysqlError(1130, "Host not allowed")),
		"\xff\xfd\x18",
		"RFB 003.008\n",
		"\x04\x01\x00\x20\x00\x00\x01\x00\x00\x00\x0b\x00\x06\xff",
		"\x03\x00\x00\x13\x0e\xd0",
		"\x00\x00\x00\x40\xfeSMB",
		"\x15\x03\x01\x00\x02\x02\x46",
	} {
		f.Add([]byte(s), uint8(0), uint16(80))
	}
	f.Fuzz(func(t *testing.T, raw []byte, p uint8, port uint16) {
		m := recognize(raw, probeID(p%uint8(len(probeNames))), int(port))
		if len(m.product) > maxProduct || len(m.version) > maxProduct {
			t.Errorf("product %q version %q longer than %d bytes", m.product, m.version, maxProduct)
		}
		if m.http != nil && len(m.http.Status) > len(raw) {
			t.Errorf("status line longer than the reply")
		}
		parseMySQLGreeting(raw)
		mssqlVersion(raw)
		lineReply(raw)
		httpReply(raw)
		if s := show(raw); !strings.HasPrefix(s, "hex:") && !utf8.ValidString(s) {
			t.Errorf("show gave invalid text %q", s)
		}
	})
}
