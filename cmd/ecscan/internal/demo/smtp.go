package demo

import (
	"errors"
	"net"
	"strings"
)

// maxRcpts bounds the recipients of one transaction.
const maxRcpts = 100

// smtpUsers are the local names VRFY and EXPN disclose, with the address they answer.
var smtpUsers = map[string]string{
	"postmaster": "<postmaster@%s>",
	"root":       "<shop-admin@%s>",
	"webmaster":  "<shop-admin@%s>",
}

// smtpSession is one SMTP dialogue of a Postfix that relays for anyone: every RCPT is
// accepted, whatever the domain, but DATA is always refused, so nothing is ever stored or
// forwarded. EHLO offers AUTH PLAIN LOGIN and no STARTTLS; VRFY and EXPN answer for the
// usual local names and reject the others.
type smtpSession struct {
	host  string // mail.demo-shop.test
	zone  string // demo-shop.test
	helo  bool
	mail  bool
	rcpts int
}

// smtpBanner is the greeting.
func (s *smtpSession) banner() string {
	return "220 " + s.host + " ESMTP Postfix (Debian/GNU)\r\n"
}

// handle returns the reply to one command line and whether the session ends.
func (s *smtpSession) handle(line string) (reply string, quit bool) {
	v, arg := verb(line)
	switch v {
	case "EHLO":
		if arg == "" {
			return "501 5.5.4 Syntax: EHLO hostname\r\n", false
		}
		s.helo, s.mail, s.rcpts = true, false, 0
		return "250-" + s.host + "\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-VRFY\r\n250-ETRN\r\n" +
			"250-AUTH PLAIN LOGIN\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250 DSN\r\n", false
	case "HELO":
		if arg == "" {
			return "501 Syntax: HELO hostname\r\n", false
		}
		s.helo, s.mail, s.rcpts = true, false, 0
		return "250 " + s.host + "\r\n", false
	case "MAIL":
		return s.mailFrom(arg), false
	case "RCPT":
		return s.rcptTo(arg), false
	case "DATA":
		if s.rcpts == 0 {
			return "554 5.5.1 Error: no valid recipients\r\n", false
		}
		return "554 5.7.0 Error: this practice server never stores or forwards mail (ecscan demo)\r\n", false
	case "RSET":
		s.mail, s.rcpts = false, 0
		return "250 2.0.0 Ok\r\n", false
	case "NOOP":
		return "250 2.0.0 Ok\r\n", false
	case "QUIT":
		return "221 2.0.0 Bye\r\n", true
	case "VRFY":
		return s.disclose("VRFY", arg), false
	case "EXPN":
		return s.disclose("EXPN", arg), false
	case "AUTH":
		if !s.helo {
			return "503 5.5.1 Error: send HELO/EHLO first\r\n", false
		}
		return "535 5.7.8 Error: authentication failed: authentication failure\r\n", false
	case "STARTTLS", "BDAT", "ETRN":
		return "502 5.5.1 Error: command not implemented\r\n", false
	}
	return "502 5.5.2 Error: command not recognized\r\n", false
}

func (s *smtpSession) mailFrom(arg string) string {
	switch {
	case !s.helo:
		return "503 5.5.1 Error: send HELO/EHLO first\r\n"
	case s.mail:
		return "503 5.5.1 Error: nested MAIL command\r\n"
	case !hasPrefixFold(arg, "FROM:"):
		return "501 5.5.4 Syntax: MAIL FROM:<address>\r\n"
	}
	s.mail = true
	return "250 2.1.0 Ok\r\n"
}

func (s *smtpSession) rcptTo(arg string) string {
	switch {
	case !s.mail:
		return "503 5.5.1 Error: need MAIL command\r\n"
	case !hasPrefixFold(arg, "TO:") || strings.TrimSpace(arg[3:]) == "":
		return "501 5.5.4 Syntax: RCPT TO:<address>\r\n"
	case s.rcpts >= maxRcpts:
		return "452 4.5.3 Error: too many recipients\r\n"
	}
	s.rcpts++
	return "250 2.1.5 Ok\r\n"
}

// disclose answers VRFY or EXPN: an address for a known local name, "User unknown" for
// any other.
func (s *smtpSession) disclose(cmd, arg string) string {
	if arg == "" {
		return "501 5.5.4 Syntax: " + cmd + " address\r\n"
	}
	name := strings.ToLower(strings.Trim(arg, "<> "))
	if local, domain, found := strings.Cut(name, "@"); found && domain == s.zone {
		name = local
	}
	if addr, known := smtpUsers[name]; known {
		return "250 2.1.5 " + strings.Replace(addr, "%s", s.zone, 1) + "\r\n"
	}
	return "550 5.1.1 <" + printable(strings.Trim(arg, "<> "), 256) + ">: Recipient address rejected: User unknown in local recipient table\r\n"
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// serveSMTP runs one SMTP session on c.
func serveSMTP(c net.Conn, host, zone string) {
	t := newTextConn(c)
	s := &smtpSession{host: host, zone: zone}
	if t.write(s.banner()) != nil {
		return
	}
	for {
		line, err := t.readLine()
		if errors.Is(err, errLineTooLong) {
			_ = t.write("500 5.5.0 Error: line too long\r\n")
			return
		}
		if err != nil {
			return
		}
		reply, quit := s.handle(line)
		if t.write(reply) != nil || quit {
			return
		}
	}
}
