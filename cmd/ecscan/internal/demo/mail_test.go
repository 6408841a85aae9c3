package demo

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"os"
	"strings"
	"testing"
)

func TestPOP3Session(t *testing.T) {
	p := &pop3Session{}
	for _, step := range []struct {
		line   string
		secure bool
		reply  string
		act    mailAct
	}{
		{"CAPA", false, "+OK\r\nCAPA\r\n", mailNone},
		{"PASS secret", false, "-ERR No username given.", mailNone},
		{"USER alice", false, "+OK\r\n", mailNone},
		{"PASS secret", false, "-ERR [AUTH] Authentication failed.", mailNone},
		{"USER", false, "-ERR USER: Missing argument", mailNone},
		{"STLS", false, "+OK Begin TLS negotiation now.", mailStartTLS},
		{"STLS", true, "-ERR TLS is already active.", mailNone},
		{"RETR 1", false, "-ERR Unknown command.", mailNone},
		{"QUIT", false, "+OK Logging out", mailQuit},
	} {
		got := p.handle(step.line, step.secure)
		if !strings.HasPrefix(got.reply, step.reply) || got.act != step.act {
			t.Errorf("%q (tls %v) → %q act %d, want %q… act %d", step.line, step.secure, got.reply, got.act, step.reply, step.act)
		}
	}
	clear, secure := p.handle("CAPA", false).reply, p.handle("CAPA", true).reply
	if !strings.Contains(clear, "\r\nUSER\r\n") || !strings.Contains(clear, "\r\nSTLS\r\n") || !strings.HasSuffix(clear, "\r\n.\r\n") {
		t.Errorf("CAPA in clear: %q, want USER and STLS", clear)
	}
	if strings.Contains(secure, "STLS") {
		t.Errorf("CAPA inside TLS offers STLS again: %q", secure)
	}
}

func TestIMAPSession(t *testing.T) {
	m := &imapSession{}
	if g := m.greeting(); !strings.HasPrefix(g, "* OK [CAPABILITY ") || strings.Contains(g, "LOGINDISABLED") || !strings.Contains(g, "STARTTLS") {
		t.Errorf("greeting %q: want capabilities with STARTTLS and without LOGINDISABLED", g)
	}
	for _, step := range []struct {
		line   string
		secure bool
		reply  string
		act    mailAct
	}{
		{"a1 CAPABILITY", false, "* CAPABILITY IMAP4rev1", mailNone},
		{"a2 ID NIL", false, `* ID ("name" "Dovecot")`, mailNone},
		{"a3 LOGIN alice secret", false, "a3 NO [AUTHENTICATIONFAILED]", mailNone},
		{"a4 STARTTLS", false, "a4 OK Begin TLS negotiation now.", mailStartTLS},
		{"a5 STARTTLS", true, "a5 BAD", mailNone},
		{"a6 NOOP", false, "a6 OK", mailNone},
		{"a7 SELECT INBOX", false, "a7 BAD", mailNone},
		{"*", false, "* BAD", mailNone},
		{"", false, "* BAD", mailNone},
		{"a8 LOGOUT", false, "* BYE Logging out\r\na8 OK", mailQuit},
	} {
		got := m.handle(step.line, step.secure)
		if !strings.HasPrefix(got.reply, step.reply) || got.act != step.act {
			t.Errorf("%q (tls %v) → %q act %d, want %q… act %d", step.line, step.secure, got.reply, got.act, step.reply, step.act)
		}
	}
	if got := m.handle("b CAPABILITY", true).reply; strings.Contains(got, "STARTTLS") {
		t.Errorf("CAPABILITY inside TLS offers STARTTLS: %q", got)
	}
}

// The POP3 and IMAP servers upgrade to TLS with the site's certificate.
func TestMailServersLive(t *testing.T) {
	s := startSite(t)
	pem, err := os.ReadFile(s.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	for _, tc := range []struct{ service, starttls, ok, after, want string }{
		{"pop3", "STLS", "+OK", "CAPA", "USER"},
		{"imap", "a1 STARTTLS", "a1 OK", "a2 CAPABILITY", "AUTH=PLAIN"},
	} {
		c := dial(t, endpoint(t, s, tc.service))
		c.line()
		c.send(tc.starttls)
		if got := c.line(); !strings.HasPrefix(got, tc.ok) {
			t.Fatalf("%s %s: %q", tc.service, tc.starttls, got)
		}
		tc2 := tls.Client(c.c, &tls.Config{RootCAs: pool, ServerName: "mail." + Zone})
		if err := tc2.Handshake(); err != nil {
			t.Fatalf("%s: handshake: %v", tc.service, err)
		}
		r := bufio.NewReader(tc2)
		if _, err := tc2.Write([]byte(tc.after + "\r\n")); err != nil {
			t.Fatal(err)
		}
		var got string
		for range 20 {
			l, err := r.ReadString('\n')
			got += l
			if err != nil || l == ".\r\n" || strings.HasPrefix(l, "a2 ") {
				break
			}
		}
		if !strings.Contains(got, tc.want) {
			t.Errorf("%s %s inside TLS: %q, want %s", tc.service, tc.after, got, tc.want)
		}
	}
}
