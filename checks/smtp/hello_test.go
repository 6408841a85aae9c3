package smtp

import (
	"slices"
	"strings"
	"testing"
)

func TestParseCapabilities(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		check func(c Capabilities) bool
	}{
		{"size value", []string{"SIZE 10240000"}, func(c Capabilities) bool { return c.SizeAdvertised && c.Size == 10240000 }},
		{"size without value", []string{"SIZE"}, func(c Capabilities) bool { return c.SizeAdvertised && c.Size == 0 }},
		{"size 0", []string{"size 0"}, func(c Capabilities) bool { return c.SizeAdvertised && c.Size == 0 }},
		{"size garbage", []string{"SIZE lots"}, func(c Capabilities) bool { return c.SizeAdvertised && c.Size == 0 }},
		{"no size", []string{"PIPELINING"}, func(c Capabilities) bool { return !c.SizeAdvertised && c.Pipelining }},
		{"auth both forms", []string{"AUTH PLAIN LOGIN", "AUTH=login cram-md5"}, func(c Capabilities) bool {
			return slices.Equal(c.Auth, []string{"PLAIN", "LOGIN", "CRAM-MD5"}) && slices.Equal(c.PlaintextAuth(), []string{"PLAIN", "LOGIN"})
		}},
		{"challenge-response only", []string{"AUTH CRAM-MD5 SCRAM-SHA-256"}, func(c Capabilities) bool { return len(c.PlaintextAuth()) == 0 }},
		{"flags", []string{"starttls", "VRFY", "EXPN", "8BITMIME", "SMTPUTF8", "CHUNKING", "DSN"}, func(c Capabilities) bool {
			return c.StartTLS && c.VRFY && c.EXPN && c.EightBitMIME && c.SMTPUTF8 && c.Chunking && c.DSN
		}},
		{"STARTTLS only as a word", []string{"X-STARTTLS-LIKE"}, func(c Capabilities) bool { return !c.StartTLS }},
	}
	for _, tc := range tests {
		c := ParseCapabilities(Reply{Code: 250, Lines: append([]string{"mail.shop.test"}, tc.lines...)})
		if !c.ESMTP || !tc.check(c) {
			t.Errorf("%s: %q gave %+v", tc.name, tc.lines, c)
		}
	}
}

func TestProductOf(t *testing.T) {
	tests := []struct {
		texts            []string
		product, version string
	}{
		{[]string{"mail.shop.test ESMTP Sendmail 8.17.1.9/8.17.1.9; Tue, 1 Apr 2025 09:00:00 GMT"}, "Sendmail", "8.17.1.9"},
		{[]string{"mail.shop.test ESMTP Exim 4.96 Tue, 01 Apr 2025"}, "Exim", "4.96"},
		{[]string{"mail.shop.test ESMTP Postfix (Debian/GNU)"}, "Postfix", ""},
		{[]string{"mail.shop.test ESMTP Postfix (3.7.11)"}, "Postfix", "3.7.11"},
		{[]string{"mail.ecshop.test ESMTP Postfix 3.7.11"}, "Postfix", "3.7.11"},
		{[]string{"mail.shop.test Microsoft ESMTP MAIL Service, Version: 10.0.17763.1 ready"}, "Microsoft ESMTP", "10.0.17763.1"},
		{[]string{"mail.shop.test ESMTP", "mail.shop.test Hello"}, "", ""},
		{[]string{"mx ESMTP Sendmail ready", "mx Hello [1.2.3.4], Sendmail 8.15.2"}, "Sendmail", "8.15.2"},
		{[]string{"mx ESMTP Postfix", "mx Exim 4.96"}, "Postfix", ""},
	}
	for _, tc := range tests {
		p, v := ProductOf(tc.texts...)
		if p != tc.product || v != tc.version {
			t.Errorf("ProductOf(%q) = %q %q, want %q %q", tc.texts, p, v, tc.product, tc.version)
		}
	}
}

func TestServerName(t *testing.T) {
	tests := []struct{ banner, want string }{
		{"mail.shop.test ESMTP Postfix", "mail.shop.test"},
		{"MX.Shop.Test. ESMTP", "mx.shop.test"},
		{"localhost ESMTP", ""},
		{"ESMTP ready", ""},
		{"<script>.x ESMTP", ""},
		{"", ""},
	}
	for _, tc := range tests {
		if got := serverName(Reply{Code: 220, Lines: []string{tc.banner}}); got != tc.want {
			t.Errorf("serverName(%q) = %q, want %q", tc.banner, got, tc.want)
		}
	}
}

func TestAddressSyntax(t *testing.T) {
	for _, s := range []string{"operator@owner.test", "a.b+c@mail.example.jp"} {
		if !isMailbox(s) {
			t.Errorf("isMailbox(%q) = false", s)
		}
	}
	for _, s := range []string{"", "operator", "op@", "@owner.test", "op@owner", "op@@owner.test", "op@owner.test\r\nRCPT TO:<x@y.z>", "<op@owner.test>", "op @owner.test", "\"op\"@owner.test", "op@owner.test>", strings.Repeat("a", 65) + "@owner.test"} {
		if isMailbox(s) {
			t.Errorf("isMailbox(%q) = true", s)
		}
	}
	for s, want := range map[string]bool{"[192.0.2.1]": true, "[IPv6:2001:db8::1]": true, "[IPv6:192.0.2.1]": false, "[::1]": false, "192.0.2.1": false, "[192.0.2.1": false} {
		if got := isLiteral(s); got != want {
			t.Errorf("isLiteral(%q) = %v, want %v", s, got, want)
		}
	}
}
