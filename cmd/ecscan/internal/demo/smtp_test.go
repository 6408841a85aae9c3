package demo

import (
	"strings"
	"testing"
)

// A dialogue is run through a fresh session: each line sent and the start of the reply
// wanted.
func TestSMTPSession(t *testing.T) {
	for _, tc := range []struct {
		name   string
		dialog [][2]string
	}{
		{"relays to any domain, never takes DATA", [][2]string{
			{"EHLO ecscan.invalid", "250-mail.demo-shop.test"},
			{"MAIL FROM:<relaytest@example.org>", "250 2.1.0"},
			{"RCPT TO:<relaytest@example.net>", "250 2.1.5"},
			{"RCPT TO:<\"relaytest@example.net\"@mail.demo-shop.test>", "250 2.1.5"},
			{"DATA", "554 5.7.0"},
			{"RSET", "250 2.0.0"},
			{"DATA", "554 5.5.1"},
			{"QUIT", "221 2.0.0"},
		}},
		{"order of commands", [][2]string{
			{"MAIL FROM:<a@example.org>", "503 5.5.1 Error: send HELO/EHLO first"},
			{"HELO x", "250 mail.demo-shop.test"},
			{"RCPT TO:<b@example.net>", "503 5.5.1 Error: need MAIL command"},
			{"MAIL TO:<a@example.org>", "501 5.5.4"},
			{"MAIL FROM:<a@example.org>", "250 2.1.0"},
			{"MAIL FROM:<a@example.org>", "503 5.5.1 Error: nested MAIL command"},
			{"RCPT TO:", "501 5.5.4"},
			{"EHLO", "501 5.5.4"},
		}},
		{"EXPN and VRFY tell users apart", [][2]string{
			{"EHLO ecscan.invalid", "250-"},
			{"VRFY postmaster", "250 2.1.5 <postmaster@demo-shop.test>"},
			{"VRFY <root@demo-shop.test>", "250 2.1.5 <shop-admin@demo-shop.test>"},
			{"VRFY ecscan-1a2b3c4d", "550 5.1.1 <ecscan-1a2b3c4d>: Recipient address rejected"},
			{"EXPN root", "250 2.1.5 <shop-admin@demo-shop.test>"},
			{"EXPN ecscan-1a2b3c4d", "550 5.1.1"},
			{"EXPN", "501 5.5.4"},
		}},
		{"no TLS, no login", [][2]string{
			{"STARTTLS", "502 5.5.1"},
			{"AUTH PLAIN AGFkbWluAHNlY3JldA==", "503 5.5.1"},
			{"EHLO x", "250-"},
			{"AUTH PLAIN AGFkbWluAHNlY3JldA==", "535 5.7.8"},
			{"XYZZY", "502 5.5.2"},
		}},
	} {
		s := &smtpSession{host: "mail." + Zone, zone: Zone}
		for _, step := range tc.dialog {
			got, _ := s.handle(step[0])
			if !strings.HasPrefix(got, step[1]) || !strings.HasSuffix(got, "\r\n") {
				t.Errorf("%s: %q → %q, want %q…", tc.name, step[0], got, step[1])
			}
		}
	}
}

func TestSMTPExtensions(t *testing.T) {
	s := &smtpSession{host: "mail." + Zone, zone: Zone}
	got, _ := s.handle("EHLO ecscan.invalid")
	for _, want := range []string{"250-AUTH PLAIN LOGIN\r\n", "250-SIZE 10240000\r\n", "250-VRFY\r\n", "250 DSN\r\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("EHLO reply lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "STARTTLS") {
		t.Errorf("EHLO offers STARTTLS:\n%s", got)
	}
}

func TestSMTPRecipientsAreBounded(t *testing.T) {
	s := &smtpSession{host: "mail." + Zone, zone: Zone}
	s.handle("EHLO x")
	s.handle("MAIL FROM:<a@example.org>")
	var last string
	for range maxRcpts + 1 {
		last, _ = s.handle("RCPT TO:<b@example.net>")
	}
	if !strings.HasPrefix(last, "452 ") {
		t.Errorf("recipient %d: %q, want 452", maxRcpts+1, last)
	}
}

func TestSMTPServerLive(t *testing.T) {
	s := startSite(t)
	c := dial(t, endpoint(t, s, "smtp"))
	if got := c.reply(); got != "220 mail.demo-shop.test ESMTP Postfix (Debian/GNU)" {
		t.Errorf("banner %q", got)
	}
	if got := c.cmd("EHLO ecscan.invalid"); !strings.Contains(got, "250-AUTH PLAIN LOGIN") {
		t.Errorf("EHLO: %q", got)
	}
	c.cmd("MAIL FROM:<relaytest@example.org>")
	if got := c.cmd("RCPT TO:<relaytest@example.net>"); !strings.HasPrefix(got, "250 ") {
		t.Errorf("RCPT to an outside domain: %q, want 250 (an open relay)", got)
	}
	if got := c.cmd("DATA"); !strings.HasPrefix(got, "554 ") {
		t.Errorf("DATA: %q, want 554", got)
	}
	// A line longer than the bound ends the session.
	c.send(strings.Repeat("X", 2*maxLine))
	if got := c.reply(); !strings.HasPrefix(got, "500 ") {
		t.Errorf("overlong line: %q, want 500", got)
	}
	if _, err := c.r.ReadString('\n'); err == nil {
		t.Error("the session goes on after an overlong line")
	}
}
