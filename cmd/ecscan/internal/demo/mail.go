package demo

import (
	"crypto/tls"
	"errors"
	"net"
	"strings"
)

// mailAct is what a POP3 or IMAP connection must do after a reply.
type mailAct int

const (
	mailNone     mailAct = iota
	mailStartTLS         // start TLS on the connection
	mailQuit             // the session ends
)

// mailStep is the reply to one command line and what to do after it.
type mailStep struct {
	reply string
	act   mailAct
}

// mailHandler is a POP3 or IMAP dialogue: its greeting and its commands.
type mailHandler interface {
	greeting() string
	handle(line string, tls bool) mailStep
}

// pop3Session is a Dovecot-like POP3 dialogue that takes USER and PASS in clear before
// STLS (and turns every password down: there is no mailbox).
type pop3Session struct{ user bool }

func (p *pop3Session) greeting() string { return "+OK Dovecot (Debian) ready.\r\n" }

func (p *pop3Session) handle(line string, secure bool) mailStep {
	v, arg := verb(line)
	switch v {
	case "CAPA":
		stls := "STLS\r\n"
		if secure {
			stls = ""
		}
		return mailStep{reply: "+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\n" + stls + "USER\r\nSASL PLAIN LOGIN\r\n.\r\n"}
	case "STLS":
		if secure {
			return mailStep{reply: "-ERR TLS is already active.\r\n"}
		}
		return mailStep{reply: "+OK Begin TLS negotiation now.\r\n", act: mailStartTLS}
	case "USER":
		if arg == "" {
			return mailStep{reply: "-ERR USER: Missing argument\r\n"}
		}
		p.user = true
		return mailStep{reply: "+OK\r\n"}
	case "PASS":
		if !p.user {
			return mailStep{reply: "-ERR No username given.\r\n"}
		}
		p.user = false
		return mailStep{reply: "-ERR [AUTH] Authentication failed.\r\n"}
	case "AUTH", "APOP":
		return mailStep{reply: "-ERR [AUTH] Authentication failed.\r\n"}
	case "NOOP":
		return mailStep{reply: "+OK\r\n"}
	case "QUIT":
		return mailStep{reply: "+OK Logging out\r\n", act: mailQuit}
	}
	return mailStep{reply: "-ERR Unknown command.\r\n"}
}

// imapSession is a Dovecot-like IMAP dialogue that allows LOGIN before STARTTLS (no
// LOGINDISABLED) and turns every password down.
type imapSession struct{}

const imapCaps = "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+"

func (m *imapSession) greeting() string {
	return "* OK [CAPABILITY " + imapCaps + " STARTTLS AUTH=PLAIN AUTH=LOGIN] Dovecot (Debian) ready.\r\n"
}

func (m *imapSession) handle(line string, secure bool) mailStep {
	tag, rest, _ := strings.Cut(strings.TrimSpace(line), " ")
	if tag == "" || strings.ContainsAny(tag, "*+(){%\"\\") {
		return mailStep{reply: "* BAD Error in IMAP command received by server.\r\n"}
	}
	tag = printable(tag, 64)
	v, _ := verb(rest)
	ok := func(text string) mailStep { return mailStep{reply: tag + " OK " + text + "\r\n"} }
	switch v {
	case "CAPABILITY":
		caps := imapCaps + " STARTTLS AUTH=PLAIN AUTH=LOGIN"
		if secure {
			caps = imapCaps + " AUTH=PLAIN AUTH=LOGIN"
		}
		return mailStep{reply: "* CAPABILITY " + caps + "\r\n" + tag + " OK Pre-login capabilities listed, post-login capabilities have more.\r\n"}
	case "ID":
		return mailStep{reply: "* ID (\"name\" \"Dovecot\")\r\n" + tag + " OK ID completed.\r\n"}
	case "STARTTLS":
		if secure {
			return mailStep{reply: tag + " BAD TLS is already active.\r\n"}
		}
		return mailStep{reply: tag + " OK Begin TLS negotiation now.\r\n", act: mailStartTLS}
	case "LOGIN", "AUTHENTICATE":
		return mailStep{reply: tag + " NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"}
	case "NOOP":
		return ok("NOOP completed.")
	case "LOGOUT":
		return mailStep{reply: "* BYE Logging out\r\n" + tag + " OK Logout completed.\r\n", act: mailQuit}
	}
	return mailStep{reply: tag + " BAD Error in IMAP command received by server.\r\n"}
}

// serveMail runs one POP3 or IMAP session on c, upgrading to TLS with cfg on request.
func serveMail(c net.Conn, h mailHandler, cfg *tls.Config) {
	t := newTextConn(c)
	if t.write(h.greeting()) != nil {
		return
	}
	secure := false
	for {
		line, err := t.readLine()
		if errors.Is(err, errLineTooLong) {
			_ = t.write(tooLong(h))
			return
		}
		if err != nil {
			return
		}
		st := h.handle(line, secure)
		if t.write(st.reply) != nil {
			return
		}
		switch st.act {
		case mailQuit:
			return
		case mailStartTLS:
			if t.startTLS(cfg) != nil {
				return
			}
			secure = true
		}
	}
}

func tooLong(h mailHandler) string {
	if _, ok := h.(*pop3Session); ok {
		return "-ERR Input line too long.\r\n"
	}
	return "* BYE Too long command line.\r\n"
}
