package ports

import (
	"regexp"
	"strings"
)

// productRule recognises a product in a protocol's banner (or, for http, in the Server or
// X-Powered-By header). The expression's first group, when it has one, is the version.
type productRule struct {
	protos  string // space-separated protocols the rule applies to
	re      *regexp.Regexp
	product string
}

func rule(protos, expr, product string) productRule {
	return productRule{protos: protos, re: regexp.MustCompile(expr), product: product}
}

// version is a version number: a digit, then letters, digits, dots, underscores, dashes
// and pluses ("9.2p1", "2.4.62", "4.96", "1.3.8b").
const version = `(\d[\w.+-]*\w|\d)`

// productRules are tried in order; the first that matches wins, so a rule with a version
// comes before the same product without one.
var productRules = []productRule{
	rule("ssh", `^SSH-[\d.]+-OpenSSH_`+version, "OpenSSH"),
	rule("ssh", `^SSH-[\d.]+-dropbear_`+version, "Dropbear"),
	rule("ssh", `^SSH-[\d.]+-libssh[_-]`+version, "libssh"),
	rule("ssh", `^SSH-[\d.]+-Cisco-`+version, "Cisco SSH"),
	rule("ssh", `^SSH-[\d.]+-ROSSSH`, "MikroTik RouterOS sshd"),
	rule("ssh", `^SSH-[\d.]+-Go\b`, "Go x/crypto/ssh"),
	rule("ftp", `vsFTPd `+version, "vsftpd"),
	rule("ftp", `vsFTPd`, "vsftpd"),
	rule("ftp", `ProFTPD `+version, "ProFTPD"),
	rule("ftp", `ProFTPD`, "ProFTPD"),
	rule("ftp", `Pure-FTPd`, "Pure-FTPd"),
	rule("ftp", `FileZilla Server(?: version)? `+version, "FileZilla Server"),
	rule("ftp", `FileZilla Server`, "FileZilla Server"),
	rule("ftp", `Microsoft FTP Service`, "Microsoft ftpd"),
	rule("smtp", `Postfix`, "Postfix"),
	rule("smtp", `Exim `+version, "Exim"),
	rule("smtp", `Exim`, "Exim"),
	rule("smtp", `Sendmail `+version, "Sendmail"),
	rule("smtp", `Sendmail`, "Sendmail"),
	rule("smtp", `Microsoft ESMTP MAIL Service, Version: `+version, "Microsoft ESMTP"),
	rule("smtp", `Microsoft ESMTP MAIL Service`, "Microsoft ESMTP"),
	rule("smtp", `OpenSMTPD`, "OpenSMTPD"),
	rule("smtp", `Haraka/`+version, "Haraka"),
	rule("smtp", `Haraka`, "Haraka"),
	rule("pop3 imap", `Dovecot`, "Dovecot"),
	rule("pop3 imap", `Cyrus (?:POP3|IMAP4?) v?`+version, "Cyrus"),
	rule("pop3 imap", `Courier`, "Courier"),
	rule("http", `^Apache-Coyote/`, "Apache Tomcat"),
	rule("http", `^Apache/`+version, "Apache httpd"),
	rule("http", `^Apache\b`, "Apache httpd"),
	rule("http", `^nginx/`+version, "nginx"),
	rule("http", `^nginx\b`, "nginx"),
	rule("http", `^openresty/`+version, "OpenResty"),
	rule("http", `^Microsoft-IIS/`+version, "Microsoft IIS"),
	rule("http", `^lighttpd/`+version, "lighttpd"),
	rule("http", `^lighttpd\b`, "lighttpd"),
	rule("http", `^MiniServ/`+version, "Webmin"),
	rule("http", `^Docker/`+version, "Docker"),
	rule("http", `^CouchDB/`+version, "CouchDB"),
	rule("http", `^Jetty\(`+version, "Jetty"),
	rule("http", `^gunicorn/`+version, "gunicorn"),
	rule("http", `^Werkzeug/`+version, "Werkzeug"),
	rule("http", `^WebLogic`, "Oracle WebLogic"),
	rule("http", `^PHP/`+version, "PHP"),
	rule("memcached", `^VERSION `+version, "memcached"),
	rule("redis", `(?m)^redis_version:`+version, "Redis"),
}

// productOf finds the product and version a protocol's banner names.
func productOf(proto, text string) (product, ver string) {
	if proto == "ssh" {
		text = sshSoftware(text)
	}
	for _, r := range productRules {
		if !strings.Contains(" "+r.protos+" ", " "+proto+" ") {
			continue
		}
		m := r.re.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		if len(m) > 1 {
			ver = m[1]
		}
		return r.product, ver
	}
	switch proto {
	case "ssh":
		return genericSSH(text)
	case "http":
		return genericServer(text)
	}
	return "", ""
}

// sshSoftware returns the first line of an SSH identification string.
func sshSoftware(text string) string {
	if i := strings.IndexAny(text, "\r\n"); i >= 0 {
		text = text[:i]
	}
	return text
}

var genericSSHRe = regexp.MustCompile(`^SSH-[\d.]+-([A-Za-z][\w.-]*?)(?:[_-]v?` + version + `)?(?:\s|$)`)

// genericSSH reads "SSH-2.0-Name_1.2" or "SSH-2.0-Name" of software the table lacks.
func genericSSH(line string) (product, ver string) {
	m := genericSSHRe.FindStringSubmatch(line)
	if m == nil {
		return "", ""
	}
	return m[1], m[2]
}

var serverRe = regexp.MustCompile(`^([A-Za-z][\w.-]*)(?:/` + version + `)?`)

// genericServer reads a Server header the table lacks: "Name/1.2 (comment)" or "Name".
func genericServer(s string) (product, ver string) {
	m := serverRe.FindStringSubmatch(s)
	if m == nil {
		return "", ""
	}
	return m[1], m[2]
}
