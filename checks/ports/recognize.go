package ports

import (
	"bytes"
	"regexp"
	"strings"
)

// match is what one reply says about the service.
type match struct {
	proto    string // "" when the reply is not recognised
	tlsHint  bool   // the reply is a TLS record: the port speaks TLS
	startTLS bool
	product  string
	version  string
	http     *HTTPInfo
	mysql    *MySQLGreeting
}

// maxProduct bounds a product name or version taken from a reply.
const maxProduct = 64

// recognize identifies the protocol of a reply to probe p on port. Any probe's reply is
// matched against every server-first greeting, since a server may greet before it reads.
func recognize(raw []byte, p probeID, port int) match {
	m := recognizeAny(raw, p, port)
	m.product = m.product[:min(len(m.product), maxProduct)]
	m.version = m.version[:min(len(m.version), maxProduct)]
	return m
}

func recognizeAny(raw []byte, p probeID, port int) match {
	if len(raw) == 0 {
		return match{}
	}
	if m, ok := recognizeGreeting(raw, p, port); ok {
		return m
	}
	if m, ok := recognizeAnswer(raw, p, port); ok {
		return m
	}
	if len(raw) >= 3 && (raw[0] == 0x15 || raw[0] == 0x16) && raw[1] == 3 && raw[2] <= 4 {
		return match{tlsHint: true}
	}
	return match{}
}

// recognizeGreeting matches what servers send first (or first of all in any reply).
func recognizeGreeting(raw []byte, p probeID, port int) (match, bool) {
	s := string(raw)
	switch {
	case strings.HasPrefix(s, "SSH-"):
		prod, ver := productOf("ssh", s)
		return match{proto: "ssh", product: prod, version: ver}, true
	case strings.HasPrefix(s, "RFB ") && len(s) >= 11:
		return match{proto: "vnc"}, true
	case len(raw) >= 2 && raw[0] == 0xff && raw[1] >= 0xfb && raw[1] <= 0xfe:
		return match{proto: "telnet"}, true
	case strings.HasPrefix(s, "+OK"):
		return textMatch("pop3", s), true
	case strings.HasPrefix(s, "* OK") || strings.HasPrefix(s, "* PREAUTH") || strings.HasPrefix(s, "* BYE"):
		m := textMatch("imap", s)
		m.startTLS = hasCapability(imapCapabilities(s), "STARTTLS")
		return m, true
	case strings.HasPrefix(s, "HTTP/1.") || strings.HasPrefix(s, "HTTP/2"):
		if p != probeTLS && plainToTLS(s) {
			return match{tlsHint: true}, true
		}
		return httpMatch(raw), true
	case replyCode(s) != "":
		return textMatch(ftpOrSMTP(s, port), s), true
	}
	if g, ok := parseMySQLGreeting(raw); ok {
		m := match{proto: "mysql", mysql: &g, startTLS: g.SSL}
		if g.Version != "" {
			m.product, m.version = mysqlProduct(g.Version)
		}
		return m, true
	}
	return match{}, false
}

// recognizeAnswer matches the answers to our client-first probes.
func recognizeAnswer(raw []byte, p probeID, port int) (match, bool) {
	s := string(raw)
	switch {
	case strings.HasPrefix(s, "+PONG") || strings.HasPrefix(s, "-NOAUTH") ||
		strings.HasPrefix(s, "-DENIED") || strings.HasPrefix(s, "-WRONGPASS"):
		return match{proto: "redis", product: "Redis"}, true
	case strings.HasPrefix(s, "-ERR") && (p == probeRedis || p == probeHTTP):
		return match{proto: "redis", product: "Redis"}, true
	case strings.HasPrefix(s, "VERSION ") || (p == probeHTTP || p == probeMemcached) &&
		(strings.HasPrefix(s, "ERROR\r\n") || strings.HasPrefix(s, "CLIENT_ERROR")):
		_, ver := productOf("memcached", s)
		return match{proto: "memcached", product: "memcached", version: ver}, true
	case p == probeMongo && isMongoReply(raw) ||
		strings.Contains(s, "trying to access MongoDB over HTTP"):
		return match{proto: "mongodb", product: "MongoDB"}, true
	case p == probePG && len(raw) == 1 && (raw[0] == 'S' || raw[0] == 'N'):
		return match{proto: "postgresql", product: "PostgreSQL", startTLS: raw[0] == 'S'}, true
	case p == probePG && raw[0] == 'E' && len(raw) > 5 && bytes.Contains(raw, []byte("FATAL")):
		return match{proto: "postgresql", product: "PostgreSQL"}, true
	case isRDPConfirm(raw):
		return match{proto: "rdp"}, true
	case smbDialect(raw) != "":
		return match{proto: "smb", product: smbDialect(raw)}, true
	case p == probeRPC && isRPCReply(raw):
		if port == 2049 {
			return match{proto: "nfs"}, true
		}
		return match{proto: "rpcbind"}, true
	case strings.HasPrefix(s, "AMQP"):
		return match{proto: "amqp"}, true
	}
	if p == probeDNS {
		if txt, ok := dnsAnswer(raw); ok {
			prod, ver := dnsProduct(txt)
			return match{proto: "dns", product: prod, version: ver}, true
		}
	}
	if p == probeMSSQL {
		if ver, enc, ok := mssqlVersion(raw); ok {
			return match{proto: "mssql", product: "Microsoft SQL Server", version: ver, startTLS: enc <= 1 || enc == 3}, true
		}
	}
	return match{}, false
}

// plainToTLS recognises the HTTP 400 that TLS servers send to a plain request (Apache,
// nginx, Go): the port speaks TLS.
func plainToTLS(s string) bool {
	for _, m := range []string{
		"speaking plain HTTP to an SSL-enabled server port",
		"The plain HTTP request was sent to HTTPS port",
		"Client sent an HTTP request to an HTTPS server",
	} {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}

func textMatch(proto, s string) match {
	prod, ver := productOf(proto, s)
	return match{proto: proto, product: prod, version: ver}
}

var replyCodeRe = regexp.MustCompile(`^(220|421|554)[ -]`)

// replyCode returns the code of an FTP/SMTP greeting ("220 …", "421 …", "554 …").
func replyCode(s string) string {
	if m := replyCodeRe.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return ""
}

var (
	smtpWords = regexp.MustCompile(`(?i)\b(E?SMTP|Postfix|Exim|Sendmail|OpenSMTPD|Haraka|qmail|mail service|MTA)\b`)
	ftpWords  = regexp.MustCompile(`(?i)(FTP|FileZilla)`)
)

// ftpOrSMTP tells an FTP greeting from an SMTP one: by the words in it (an MTA's name
// first, since host names may contain "ftp"), then by the port.
func ftpOrSMTP(s string, port int) string {
	switch {
	case smtpWords.MatchString(s):
		return "smtp"
	case ftpWords.MatchString(s):
		return "ftp"
	}
	switch port {
	case 25, 465, 587, 2525:
		return "smtp"
	}
	return "ftp"
}
