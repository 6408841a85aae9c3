package ports

import (
	"net"
	"regexp"
	"strings"
	"time"
)

// followUp continues a clean greeting (nothing sent yet) with the protocol's capability
// request, to learn whether it offers STARTTLS and what it names itself, then says goodbye.
// Nothing here logs in or writes.
func (d *identifier) followUp(v *conv, po *PortObservation, greeting []byte) {
	switch po.Service.Protocol {
	case "smtp":
		if replyCode(string(greeting)) == "220" {
			smtpEHLO(v, po)
		}
	case "pop3":
		pop3CAPA(v, po)
	case "imap":
		imapCAPABILITY(v, po, string(greeting))
	case "ftp":
		if replyCode(string(greeting)) == "220" {
			ftpFEAT(v, po)
		}
	case "ssh":
		if d.ssh {
			d.sshOn(v, po, greeting)
		}
	}
}

// ehloName is the client's address as an address literal ("[192.0.2.1]", "[IPv6:::1]").
func ehloName(c net.Conn) string {
	host, _, err := net.SplitHostPort(c.LocalAddr().String())
	if err != nil || host == "" {
		return "[127.0.0.1]"
	}
	if strings.Contains(host, ":") {
		return "[IPv6:" + host + "]"
	}
	return "[" + host + "]"
}

// goodbye sends the protocol's quit command and reads the answer briefly.
func goodbye(v *conv, cmd string, complete func([]byte) bool) {
	if v.send([]byte(cmd+"\r\n"), "") == nil {
		v.read(min(v.timeout, time.Second), complete)
	}
}

func smtpEHLO(v *conv, po *PortObservation) {
	if v.send([]byte("EHLO "+ehloName(v.c)+"\r\n"), "") != nil {
		return
	}
	reply, err := v.read(v.timeout, lineReply)
	if err != nil || !strings.HasPrefix(string(reply), "250") {
		return
	}
	lines := replyLines(string(reply))
	if len(lines) > 1 {
		po.Capabilities = lines[1:]
	}
	po.Service.StartTLS = hasCapability(po.Capabilities, "STARTTLS")
	goodbye(v, "QUIT", lineReply)
}

func pop3CAPA(v *conv, po *PortObservation) {
	if v.send([]byte("CAPA\r\n"), "") != nil {
		return
	}
	reply, err := v.read(v.timeout, dotReply)
	if err == nil && strings.HasPrefix(string(reply), "+OK") {
		for _, l := range strings.Split(strings.TrimSpace(string(reply)), "\n")[1:] {
			if l = strings.TrimSpace(l); l != "." && l != "" {
				po.Capabilities = append(po.Capabilities, l)
			}
		}
		po.Service.StartTLS = hasCapability(po.Capabilities, "STLS")
	}
	goodbye(v, "QUIT", lineReply)
}

func imapCAPABILITY(v *conv, po *PortObservation, greeting string) {
	caps := imapCapabilities(greeting)
	if caps == nil && v.send([]byte("a1 CAPABILITY\r\n"), "") == nil {
		if reply, err := v.read(v.timeout, taggedReply("a1")); err == nil {
			caps = imapCapabilities(string(reply))
		}
	}
	po.Capabilities = caps
	po.Service.StartTLS = hasCapability(caps, "STARTTLS")
	goodbye(v, "a2 LOGOUT", taggedReply("a2"))
}

func ftpFEAT(v *conv, po *PortObservation) {
	if v.send([]byte("FEAT\r\n"), "") != nil {
		return
	}
	reply, err := v.read(v.timeout, lineReply)
	if err == nil && strings.HasPrefix(string(reply), "211") {
		lines := replyLines(string(reply))
		if len(lines) > 2 {
			po.Capabilities = lines[1 : len(lines)-1]
		}
		po.Service.StartTLS = hasCapability(po.Capabilities, "AUTH TLS") || hasCapability(po.Capabilities, "AUTH SSL")
	}
	goodbye(v, "QUIT", lineReply)
}

// replyLines returns the text of each line of an SMTP/FTP reply, without codes.
func replyLines(reply string) []string {
	var out []string
	for l := range strings.SplitSeq(strings.TrimRight(reply, "\r\n"), "\n") {
		l = strings.TrimRight(l, "\r")
		if len(l) >= 4 && isDigits([]byte(l[:3])) && (l[3] == '-' || l[3] == ' ') {
			l = l[4:]
		}
		out = append(out, strings.TrimSpace(l))
	}
	return out
}

var imapCapRe = regexp.MustCompile(`(?im)(?:\[CAPABILITY ([^\]\r\n]*)\]|^\* CAPABILITY ([^\r\n]*))`)

// imapCapabilities reads the capability list of a greeting ("[CAPABILITY …]") or of a
// CAPABILITY response; nil when there is none.
func imapCapabilities(s string) []string {
	m := imapCapRe.FindStringSubmatch(s)
	if m == nil {
		return nil
	}
	return strings.Fields(m[1] + " " + m[2])
}

// hasCapability reports whether caps has name as a whole keyword (case-insensitive):
// "STARTTLS", "AUTH TLS" (the first words of a line).
func hasCapability(caps []string, name string) bool {
	for _, c := range caps {
		if strings.EqualFold(c, name) || len(c) > len(name) && strings.EqualFold(c[:len(name)], name) && c[len(name)] == ' ' {
			return true
		}
	}
	return false
}

// redisInfo asks a Redis server that answered PING without a password for its version
// (INFO server, a read-only command).
func redisInfo(v *conv, po *PortObservation) {
	if v.send([]byte("INFO server\r\n"), "") != nil {
		return
	}
	reply, err := v.read(v.timeout, nil)
	if err == nil {
		if _, ver := productOf("redis", string(reply)); ver != "" {
			po.Service.Version = ver
		}
	}
}
