package smtp

import (
	"bufio"
	"net/netip"
	"strings"
	"testing"
	"time"

	"ecscan/checks"
)

func TestParseEnhancedCode(t *testing.T) {
	tests := []struct {
		text string
		want EnhancedCode
		ok   bool
	}{
		{"5.1.1 <x@shop.test>: Recipient address rejected: User unknown", EnhancedCode{5, 1, 1}, true},
		{"5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found", EnhancedCode{5, 1, 10}, true},
		{"2.1.5 Ok", EnhancedCode{2, 1, 5}, true},
		{"4.7.1\tgreylisted", EnhancedCode{4, 7, 1}, true},
		{"5.7.0", EnhancedCode{5, 7, 0}, true},
		{"5.999.999 x", EnhancedCode{5, 999, 999}, true},
		{"5.1000.1 x", EnhancedCode{}, false},
		{"5.1.1000", EnhancedCode{}, false},
		{"3.1.1 x", EnhancedCode{}, false},
		{"5.1 x", EnhancedCode{}, false},
		{"5..1 x", EnhancedCode{}, false},
		{"5.1.1x", EnhancedCode{}, false},
		{"5.1.", EnhancedCode{}, false},
		{"User unknown", EnhancedCode{}, false},
		{"", EnhancedCode{}, false},
	}
	for _, tc := range tests {
		got, ok := ParseEnhancedCode(tc.text)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseEnhancedCode(%q) = %v %v, want %v %v", tc.text, got, ok, tc.want, tc.ok)
		}
	}
}

func TestClassifyRcpt(t *testing.T) {
	tests := []struct {
		name  string
		reply Reply
		want  Answer
	}{
		{"postfix accepted", rep(250, "2.1.5 Ok"), AnswerPositive},
		{"sendmail accepted", rep(250, "2.1.5 <x@ecshop.test>... Recipient ok"), AnswerPositive},
		{"forwarded", rep(251, "2.1.5 User not local; will forward"), AnswerPositive},
		{"postfix unknown", rep(550, "5.1.1 <x@ecshop.test>: Recipient address rejected: User unknown in local recipient table"), AnswerUnknownUser},
		{"exchange unknown", rep(550, "5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup"), AnswerUnknownUser},
		{"exim unknown", rep(550, "Unrouteable address"), AnswerUnknownUser},
		{"sendmail unknown without codes", rep(550, "<x@shop.test>... User unknown"), AnswerUnknownUser},
		{"relay denied", rep(554, "5.7.1 <x@example.net>: Relay access denied"), AnswerRefused},
		{"sendmail relay denied", rep(550, "5.7.1 <x@example.net>... Relaying denied"), AnswerRefused},
		{"client rejected", rep(554, "5.7.1 <unknown[127.0.99.1]>: Client host rejected: Access denied"), AnswerRefused},
		{"sender rejected at RCPT", rep(550, "5.1.0 <a@example.org>: Sender address rejected: User unknown"), AnswerRefused},
		{"sender 5.1.1 named", rep(550, "5.1.1 <a@example.org>: Sender address rejected: User unknown"), AnswerRefused},
		{"auth required", rep(530, "5.7.0 Authentication required"), AnswerRefused},
		{"STARTTLS first", rep(530, "5.7.0 Must issue a STARTTLS command first"), AnswerRefused},
		{"bad syntax", rep(553, "5.1.3 Bad recipient address syntax"), AnswerRefused},
		{"enhanced class disagrees", rep(550, "2.1.1 user unknown"), AnswerUnknownUser},
		{"554 without a user phrase", rep(554, "Transaction failed"), AnswerRefused},
		{"greylisted", rep(450, "4.2.0 <x@shop.test>: Recipient address rejected: Greylisted"), AnswerDeferred},
		{"no reply", Reply{}, AnswerNone},
		{"intermediate", rep(354, "go ahead"), AnswerNone},
	}
	for _, tc := range tests {
		if got := ClassifyRcpt(tc.reply); got != tc.want {
			t.Errorf("%s: ClassifyRcpt(%v) = %s, want %s", tc.name, tc.reply, got, tc.want)
		}
	}
}

// rcptRes builds an RCPT test: MAIL's reply, then the replies to postmaster, root and the
// control, as far as given (nil: not asked).
func rcptRes(mail *Reply, replies ...*Reply) *RcptResult {
	res := &RcptResult{Domain: "shop.test", Sender: outsideSender, Mail: mail}
	for i, r := range replies {
		if r == nil {
			break
		}
		if i == len(likelyNames) {
			res.Control = &NameTest{Name: "ecscan-x", Reply: *r}
			break
		}
		res.Likely = append(res.Likely, NameTest{Name: likelyNames[i], Reply: *r})
	}
	return res
}

func TestRcptVerdict(t *testing.T) {
	ok, unknown := rep(250, "2.1.5 Ok"), rep(550, "5.1.1 <x@shop.test>: Recipient address rejected: User unknown in local recipient table")
	relay, auth := rep(554, "5.7.1 <x@shop.test>: Relay access denied"), rep(530, "5.7.0 Authentication required")
	client, grey := rep(554, "5.7.1 <unknown[127.0.99.1]>: Client host rejected: Access denied"), rep(450, "4.2.0 Greylisted")
	mailOK, mailRefused, mailTLS := rep(250, "2.1.0 Ok"), rep(553, "5.7.1 Sender address rejected: not logged in"), rep(530, "5.7.0 Must issue a STARTTLS command first")
	tests := []struct {
		name string
		res  *RcptResult
		want string
	}{
		{"root 250, control 550: mail.ecshop.test", rcptRes(&mailOK, &ok, &ok, &unknown), rcptTellsApart},
		{"postmaster refused, root 250, control 550", rcptRes(&mailOK, &unknown, &ok, &unknown), rcptTellsApart},
		{"all 250: mail2.ecshop.test", rcptRes(&mailOK, &ok, &ok, &ok), rcptAcceptsAll},
		{"postmaster 250, root and control 550: mail.safe-shop.test", rcptRes(&mailOK, &ok, &unknown, &unknown), rcptRefusedAlike},
		{"all 550", rcptRes(&mailOK, &unknown, &unknown, &unknown), rcptRefusedAlike},
		{"root refused by policy, control unknown", rcptRes(&mailOK, &ok, &relay, &unknown), rcptRefusedAlike},
		{"all 554 relay denied", rcptRes(&mailOK, &relay, &relay, &relay), rcptNotTested},
		{"all 554 client rejected: the hardened 587", rcptRes(&mailOK, &client, &client, &client), rcptNotTested},
		{"root 250, control refused by policy", rcptRes(&mailOK, &ok, &ok, &relay), rcptNotTested},
		{"530 at the first RCPT ends the names", rcptRes(&mailOK, &auth), rcptNotTested},
		{"MAIL refused", rcptRes(&mailRefused), rcptNotTested},
		{"MAIL 530 STARTTLS first", rcptRes(&mailTLS), rcptNotTested},
		{"MAIL deferred", rcptRes(&grey), rcptUndecided},
		{"control greylisted", rcptRes(&mailOK, &ok, &ok, &grey), rcptUndecided},
		{"root greylisted, control unknown", rcptRes(&mailOK, &ok, &grey, &unknown), rcptUndecided},
		{"only postmaster asked besides the control", &RcptResult{Domain: "shop.test", Mail: &mailOK, Likely: []NameTest{{Name: "postmaster", Reply: ok}}, Control: &NameTest{Name: "ecscan-x", Reply: unknown}}, rcptUndecided},
		{"session ended at root", rcptRes(&mailOK, &ok, &Reply{}), rcptUndecided},
		{"session ended before MAIL", rcptRes(nil), rcptUndecided},
		{"not run", nil, rcptUndecided},
	}
	for _, tc := range tests {
		if got := rcptVerdict(tc.res); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestEvalRcpt(t *testing.T) {
	ok, unknown, relay := rep(250, "2.1.5 Ok"), rep(550, "5.1.1 <x>: Recipient address rejected: User unknown"), rep(554, "5.7.1 Relay access denied")
	mailOK := rep(250, "2.1.0 Ok")
	server := netip.MustParseAddr("192.0.2.25")
	outside, loopback := assessOrigin(netip.MustParseAddr("198.51.100.7"), server), assessOrigin(netip.MustParseAddr("127.0.99.1"), server)
	tests := []struct {
		name     string
		res      *RcptResult
		origin   *Origin
		want     checks.Outcome
		sev      checks.Severity
		contains []string
		lacks    string
	}{
		{"tells apart", rcptRes(&mailOK, &ok, &ok, &unknown), outside, checks.Fail, checks.SevLow,
			[]string{"likely names (root)", "- RCPT TO:<root@shop.test> → 250 2.1.5 Ok", "- RCPT TO:<ecscan-x@shop.test> (control) → 550 5.1.1", "MAIL FROM:<ecscan-relay-test@example.org> → 250", "postmaster and abuse"}, "postmaster, root"},
		{"accepts all from outside", rcptRes(&mailOK, &ok, &ok, &ok), outside, checks.Pass, checks.SevInfo,
			[]string{"was accepted too", "(control) → 250"}, "may trust"},
		{"accepts all from loopback", rcptRes(&mailOK, &ok, &ok, &ok), loopback, checks.Pass, checks.SevInfo,
			[]string{"127.0.99.1, which the server may trust as local"}, ""},
		{"refused alike", rcptRes(&mailOK, &ok, &unknown, &unknown), outside, checks.Pass, checks.SevInfo,
			[]string{"refused like a name nobody has", "<root@shop.test> → 550"}, ""},
		{"relay denied", rcptRes(&mailOK, &relay, &relay, &relay), outside, checks.Info, checks.SevInfo,
			[]string{"could not be compared", "Relay access denied"}, ""},
		{"MAIL refused", rcptRes(&relay), outside, checks.Info, checks.SevInfo,
			[]string{"- MAIL FROM:<ecscan-relay-test@example.org> → 554"}, "control name not asked"},
		{"cut short", rcptRes(&mailOK, &ok), outside, checks.Info, checks.SevInfo,
			[]string{"do not decide it", "control name not asked"}, ""},
	}
	for _, tc := range tests {
		obs := &Observation{Host: "mail.shop.test", Addr: server, Port: 25, RCPT: tc.res, Origin: tc.origin}
		f, found := evalRcpt(obs)
		if !found || f.ID != "smtp.rcpt-enum" || f.Outcome != tc.want || f.Severity != tc.sev {
			t.Errorf("%s: %v %s %s/%s, want smtp.rcpt-enum %s/%s", tc.name, found, f.ID, f.Outcome, f.Severity, tc.want, tc.sev)
			continue
		}
		for _, s := range tc.contains {
			if !strings.Contains(f.Detail.EN, s) {
				t.Errorf("%s: detail lacks %q:\n%s", tc.name, s, f.Detail.EN)
			}
		}
		if tc.lacks != "" && strings.Contains(f.Detail.EN, tc.lacks) {
			t.Errorf("%s: detail has %q:\n%s", tc.name, tc.lacks, f.Detail.EN)
		}
		if f.Title.JA == "" || f.Detail.JA == "" || len(f.Evidence) != 1 || f.Evidence[0] != evEnum {
			t.Errorf("%s: title %q, evidence %v", tc.name, f.Title.JA, f.Evidence)
		}
	}
	for name, res := range map[string]*RcptResult{"not run": nil, "no MAIL": rcptRes(nil)} {
		if f, found := evalRcpt(&Observation{RCPT: res}); found {
			t.Errorf("%s: finding %s %s, want none", name, f.ID, f.Outcome)
		}
	}
}

// FuzzParseEnhancedCode: any text parses without panicking, and a code it returns is in
// range and ends where the text's first word ends.
func FuzzParseEnhancedCode(f *testing.F) {
	for _, s := range []string{"5.1.1 User unknown", "2.1.5", "4.7.1\tx", "5.1.10 x", "5.1000.1", "5..1", "9.9.9", "", "5.1.1\x00", "5.0001.1 x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		ec, ok := ParseEnhancedCode(text)
		if !ok {
			if ec != (EnhancedCode{}) {
				t.Errorf("%q: not a code but %v", text, ec)
			}
			return
		}
		word, _, _ := strings.Cut(strings.ReplaceAll(text, "\t", " "), " ")
		if ec.Class != 2 && ec.Class != 4 && ec.Class != 5 || ec.Subject > 999 || ec.Detail > 999 || len(word) > 9 || strings.Count(word, ".") != 2 {
			t.Errorf("%q: parsed %v from %q", text, ec, word)
		}
	})
}

// FuzzClassifyRcpt: any bytes read as a reply classify without panicking, consistently
// with the reply's class, and every verdict built from them is one of the five.
func FuzzClassifyRcpt(f *testing.F) {
	for _, s := range []string{
		"250 2.1.5 Ok\r\n", "550 5.1.1 <x>: Recipient address rejected: User unknown\r\n", "550 Unrouteable address\r\n",
		"554-5.7.1 policy\r\n554 5.1.1 user unknown\r\n", "530 5.7.0 Must issue a STARTTLS command first\r\n", "450 4.2.0 Greylisted\r\n",
		"550 2.1.1 user unknown\r\n", "5501 x\r\n", "\r\n",
	} {
		f.Add([]byte(s))
	}
	verdicts := map[string]bool{rcptTellsApart: true, rcptAcceptsAll: true, rcptRefusedAlike: true, rcptNotTested: true, rcptUndecided: true}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, _ := ReadReply(bufio.NewReaderSize(strings.NewReader(string(data)), MaxLineBytes))
		a := ClassifyRcpt(r)
		if (a == AnswerPositive) != (r.Class() == 2) || a == AnswerUnknownUser && r.Class() != 5 || (a == AnswerDeferred) != (r.Class() == 4) {
			t.Errorf("%q: class %d classified %s", data, r.Class(), a)
		}
		mail := rep(250, "2.1.0 Ok")
		for _, res := range []*RcptResult{rcptRes(&r), rcptRes(&mail, &r, &r, &r), rcptRes(&mail, &mail, &r), rcptRes(&mail, &r, &mail, &r)} {
			if v := rcptVerdict(res); !verdicts[v] {
				t.Errorf("%q: verdict %q", data, v)
			}
			evalRcpt(&Observation{RCPT: res, Dialogues: nil, Status: checks.StatusOK})
		}
	})
}

// TestRcptSession runs the check against fakes and checks the RCPT test's wire exchange:
// on the enum session, after VRFY and EXPN, one MAIL, the three recipients and RSET, never
// DATA and no connection more than before.
func TestRcptSession(t *testing.T) {
	sendmail := func(m *mta) { m.rcpt = func(string) string { return "250 2.1.5 Recipient ok" } }
	tests := []struct {
		name     string
		setup    func(m *mta)
		want     checks.Outcome
		status   checks.Status
		mail     string // the reply to MAIL
		wantEnum string // the enum session's client lines after EHLO, VRFY and EXPN
	}{
		{"accepts every recipient", sendmail, checks.Pass, checks.StatusOK, "250 2.1.0 Ok",
			"MAIL FROM:<ecscan-relay-test@example.org>\r\nRCPT TO:<postmaster@shop.test>\r\nRCPT TO:<root@shop.test>\r\nRCPT TO:<ecscan-5eed5eed5eed@shop.test>\r\nRSET\r\nQUIT\r\n"},
		{"root known", func(m *mta) { m.rcpt = postfixRcpt("554 5.7.1 Relay access denied", "postmaster", "root") }, checks.Fail, checks.StatusOK, "250 2.1.0 Ok",
			"MAIL FROM:<ecscan-relay-test@example.org>\r\nRCPT TO:<postmaster@shop.test>\r\nRCPT TO:<root@shop.test>\r\nRCPT TO:<ecscan-5eed5eed5eed@shop.test>\r\nRSET\r\nQUIT\r\n"},
		{"authentication required at RCPT", func(m *mta) { m.rcpt = func(string) string { return "530 5.7.0 Authentication required" } }, checks.Info, checks.StatusOK, "250 2.1.0 Ok",
			"MAIL FROM:<ecscan-relay-test@example.org>\r\nRCPT TO:<postmaster@shop.test>\r\nRSET\r\nQUIT\r\n"},
		{"sender refused", func(m *mta) {
			m.mail = func(from string, _ bool) string {
				return "553 5.7.1 <" + from + ">: Sender address rejected: not logged in"
			}
		}, checks.Info, checks.StatusOK, "553 5.7.1 <ecscan-relay-test@example.org>: Sender address rejected: not logged in", "MAIL FROM:<ecscan-relay-test@example.org>\r\nQUIT\r\n"},
		{"421 at root", func(m *mta) {
			m.hook = func(c *mtaConn, line string) (bool, bool) {
				if strings.HasPrefix(line, "RCPT TO:<root@") {
					c.write("421 4.7.0 mx.shop.test Error: too many errors")
					return true, true
				}
				return false, false
			}
		}, checks.Info, checks.StatusReset, "250 2.1.0 Ok", "MAIL FROM:<ecscan-relay-test@example.org>\r\nRCPT TO:<postmaster@shop.test>\r\nRCPT TO:<root@shop.test>\r\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := hardened(t)
			tc.setup(m)
			res, obs := runOne(t, Config{}, service(m.start(t), false))
			f := findingByID(t, res.Findings, "smtp.rcpt-enum")
			if f.Outcome != tc.want || res.Status != tc.status {
				t.Errorf("rcpt-enum %s, status %s (%s); want %s, %s\n%s", f.Outcome, res.Status, res.Error, tc.want, tc.status, f.Detail.EN)
			}
			if rc := obs.RCPT; rc.Mail == nil || rc.Mail.String() != tc.mail || tc.status == checks.StatusOK && rc.Mail.Positive() && (rc.Rset == nil || rc.Rset.String() != "250 2.0.0 Ok") {
				t.Errorf("rcpt test: MAIL %v, RSET %v; want MAIL %s", rc.Mail, rc.Rset, tc.mail)
			}
			sent := obs.dialogue("enum").Sent()
			if _, after, found := strings.Cut(sent, "EXPN postmaster\r\n"); !found || after != tc.wantEnum {
				t.Errorf("enum session sent %q, want %q after EXPN", sent, tc.wantEnum)
			}
			if n := m.conns(); n != 4 || strings.Contains(m.clientBytes(), "DATA") {
				t.Errorf("%d connections (want 4), DATA sent: %v", n, strings.Contains(m.clientBytes(), "DATA"))
			}
		})
	}
}

// TestRcptSTARTTLSFirst: MAIL answered 530 "STARTTLS first" is asked again over TLS, as the
// hardened 587 needs; its recipients are then refused for the client, which tests nothing.
func TestRcptSTARTTLSFirst(t *testing.T) {
	m := hardened(t)
	m.mail = func(from string, tls bool) string {
		if !tls {
			return "530 5.7.0 Must issue a STARTTLS command first"
		}
		return "250 2.1.0 Ok"
	}
	m.rcpt = func(string) string { return "554 5.7.1 <unknown[127.0.99.1]>: Client host rejected: Access denied" }
	res, obs := runOne(t, Config{}, service(m.start(t), false))
	if f := findingByID(t, res.Findings, "smtp.rcpt-enum"); f.Outcome != checks.Info || !strings.Contains(f.Title.EN, "could not be tested") {
		t.Errorf("rcpt-enum %s %s", f.Outcome, f.Title.EN)
	}
	rc := obs.RCPT
	if rc.Mail == nil || rc.Mail.Code != 250 || len(rc.Likely) != 2 || rc.Control == nil || rc.Control.Reply.Code != 554 {
		t.Errorf("rcpt test %+v", rc)
	}
	want := "MAIL FROM:<ecscan-relay-test@example.org>\r\nSTARTTLS\r\nEHLO ecscan.invalid\r\nMAIL FROM:<ecscan-relay-test@example.org>\r\nRCPT TO:<postmaster@shop.test>"
	if !strings.Contains(obs.dialogue("enum").Sent(), want) {
		t.Errorf("enum session did not upgrade before MAIL:\n%s", obs.dialogue("enum").Sent())
	}
}

// TestRcptDomain: without the site's domains the recipients go to the server's name; with
// only an address known, the test is not run.
func TestRcptDomain(t *testing.T) {
	m := hardened(t)
	_, obs := runOne(t, Config{Domains: []string{}}, service(m.start(t), false))
	if obs.RCPT == nil || obs.RCPT.Domain != "mx.shop.test" {
		t.Errorf("rcpt test %+v, want the banner's name mx.shop.test", obs.RCPT)
	}
	m = hardened(t)
	m.banner = "220 ESMTP ready"
	ap := m.start(t)
	svc := checks.Service{Addr: ap.Addr(), Port: int(ap.Port()), Protocol: "smtp"}
	res, obs := runOne(t, Config{Domains: []string{}}, svc)
	if obs.RCPT != nil || strings.Contains(m.clientBytes(), "MAIL FROM:<ecscan-relay-test@example.org>\r\nRCPT TO:<postmaster") {
		t.Errorf("rcpt test run without a domain: %+v", obs.RCPT)
	}
	for _, f := range res.Findings {
		if f.ID == "smtp.rcpt-enum" {
			t.Errorf("finding %s %s without a domain", f.ID, f.Outcome)
		}
	}
}

// TestRcptHostile: a server that floods its reply to RCPT ends the test with a protocol
// error, within the reply bounds.
func TestRcptHostile(t *testing.T) {
	m := hardened(t)
	m.hook = func(c *mtaConn, line string) (bool, bool) {
		if strings.HasPrefix(line, "RCPT TO:<postmaster@shop.test>") {
			c.conn.SetDeadline(time.Now().Add(5 * time.Second))
			line := []byte("250-" + strings.Repeat("x", 70) + "\r\n")
			for {
				if _, err := c.conn.Write(line); err != nil {
					return true, true
				}
			}
		}
		return false, false
	}
	res, obs := runOne(t, Config{}, service(m.start(t), false))
	if res.Status != checks.StatusProtocolError || obs.RCPT.Status != checks.StatusProtocolError {
		t.Errorf("status %s (%s), rcpt %s", res.Status, res.Error, obs.RCPT.Status)
	}
	if f := findingByID(t, res.Findings, "smtp.rcpt-enum"); f.Outcome != checks.Info {
		t.Errorf("rcpt-enum %s", f.Outcome)
	}
	if n := len(obs.RCPT.Likely[0].Reply.Lines); n > MaxReplyLines {
		t.Errorf("kept %d lines of a flooded reply", n)
	}
}
