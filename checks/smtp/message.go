package smtp

import (
	"fmt"
	"strings"
	"time"
)

// TestSubject marks the one message the relay test sends with Config.RelayTestTo.
const TestSubject = "ecscan relay test, safe to delete"

// RelayMessage is the marked test message sent through a server that accepted a relay
// form, to the operator's own address.
type RelayMessage struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Form  string `json:"form"` // the accepted form whose sender was used
	Mail  *Reply `json:"mail,omitempty"`
	Rcpt  *Reply `json:"rcpt,omitempty"`
	Data  *Reply `json:"data,omitempty"`  // the reply to DATA (354 to go on)
	Final *Reply `json:"final,omitempty"` // the reply to the message's end
	// Queued reports a 2xx to the end of the message: the server took it for delivery.
	Queued bool   `json:"queued"`
	Error  string `json:"error,omitempty"`
}

// sendTestMessage sends one clearly marked message to Config.RelayTestTo through s, with
// the sender of the accepted form, and only when RCPT for that address is accepted too.
func (r *prober) sendTestMessage(s *session, form FormResult) *RelayMessage {
	m := &RelayMessage{From: form.From, To: r.cfg.RelayTestTo, Form: form.ID}
	step := func(line string) (*Reply, bool) {
		rep, err := s.cmd(line)
		if err != nil {
			m.Error = err.Error()
			return &rep, false
		}
		return &rep, true
	}
	if _, ok := step("RSET"); !ok {
		return m
	}
	var ok bool
	if m.Mail, ok = step("MAIL FROM:<" + m.From + ">"); !ok || !m.Mail.Positive() {
		return m
	}
	if m.Rcpt, ok = step("RCPT TO:<" + m.To + ">"); !ok || !m.Rcpt.Positive() {
		return m
	}
	if m.Data, ok = step("DATA"); !ok || m.Data.Code != 354 {
		return m
	}
	body := testMessage(m, r.ep, s.local.Addr().String(), r.now(), r.random())
	if err := s.send(body); err != nil {
		m.Error = err.Error()
		return m
	}
	if m.Final, ok = step("."); ok {
		m.Queued = m.Final.Positive()
	}
	return m
}

// testMessage is the message's lines, dot-stuffed, without the final ".".
func testMessage(m *RelayMessage, ep endpoint, source string, now time.Time, token string) []string {
	from := m.From
	if from == "" {
		from = "mailer-daemon@example.org"
	}
	lines := []string{
		"From: ecscan relay test <" + from + ">",
		"To: <" + m.To + ">",
		"Subject: " + TestSubject,
		"Date: " + now.UTC().Format(time.RFC1123Z),
		"Message-ID: <" + token + "@ecscan.invalid>",
		"X-Ecscan-Test: relay",
		"MIME-Version: 1.0",
		"Content-Type: text/plain; charset=us-ascii",
		"",
		"This message is an ecscan relay test, safe to delete.",
		"",
		fmt.Sprintf("It was handed to %s (%s) by a client that did not", ep.host, ep.addrPort()),
		fmt.Sprintf("authenticate, connecting from %s, with the relay form %q:", source, m.Form),
		"MAIL FROM:<" + m.From + "> and an outside recipient, which the server accepted.",
		"Its arrival shows that the server relays mail for anyone.",
	}
	for i, l := range lines {
		if strings.HasPrefix(l, ".") {
			lines[i] = "." + l
		}
	}
	return lines
}
