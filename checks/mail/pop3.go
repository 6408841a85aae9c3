package mail

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"

	"ecscan/checks"
)

// pop3 runs the POP3 dialogue on an open session (inside TLS already for an implicit-TLS
// endpoint): greeting, CAPA, STLS with a handshake and CAPA again, a USER probe only when
// CAPA is unsupported, QUIT. No password is ever sent.
func pop3(s *session, o *Observation) error {
	if err := s.begin(); err != nil {
		return fmt.Errorf("read greeting: %w", err)
	}
	g, err := readPOP3(s.lr, false)
	if err != nil {
		return fmt.Errorf("read greeting: %w", err)
	}
	o.Greeting = g.Text
	if !g.OK {
		return checks.Protocolf("the server refused the session: -ERR %s", clean(g.Text))
	}
	o.Greeted = true
	o.APOP = apopTimestamp(g.Text)
	caps, known, err := pop3Capa(s)
	if err != nil {
		return err
	}
	o.Capabilities, o.CapsKnown = caps, known
	o.Implementation = capText(caps, "IMPLEMENTATION")
	if !o.ImplicitTLS {
		if err := pop3STLS(s, o); err != nil {
			return err
		}
		if !o.CapsKnown && !o.StartTLS.Upgraded() {
			if err := pop3User(s, o); err != nil {
				return err
			}
		}
	}
	goodbye(s, func() error { _, err := readPOP3(s.lr, false); return err }, "QUIT")
	return nil
}

// pop3Capa asks for the capabilities; known is false when the server has no CAPA (-ERR).
func pop3Capa(s *session) (caps []string, known bool, err error) {
	if err := s.send("CAPA"); err != nil {
		return nil, false, err
	}
	r, err := readPOP3(s.lr, true)
	if err != nil {
		return nil, false, fmt.Errorf("read CAPA: %w", err)
	}
	if !r.OK {
		return nil, false, nil
	}
	for _, l := range r.Lines {
		if l = strings.TrimSpace(l); l != "" {
			caps = append(caps, l)
		}
	}
	return caps, true, nil
}

// pop3STLS upgrades to TLS when STLS is offered, or tries it when the capabilities are
// unknown, then asks for the capabilities again inside TLS.
func pop3STLS(s *session, o *Observation) error {
	st := &StartTLS{Offered: hasCap(o.Capabilities, "STLS")}
	o.StartTLS = st
	if !st.Offered && o.CapsKnown {
		return nil
	}
	st.Tried = true
	if err := s.send("STLS"); err != nil {
		return err
	}
	r, err := readPOP3(s.lr, false)
	if err != nil {
		return fmt.Errorf("read STLS reply: %w", err)
	}
	st.Reply, st.Accepted = replyText(r.OK, "+OK", "-ERR", r.Text), r.OK
	if !r.OK {
		return nil
	}
	if err := upgrade(s, o.Host, st); err != nil {
		return err
	}
	caps, _, err := pop3Capa(s)
	st.Capabilities = caps
	return err
}

// pop3User sends USER with a made-up name and never PASS: +OK says USER/PASS would go on
// in clear. Sent only when CAPA could not say.
func pop3User(s *session, o *Observation) error {
	p := &UserProbe{User: probeName()}
	o.UserProbe = p
	if err := s.send("USER " + p.User); err != nil {
		return err
	}
	r, err := readPOP3(s.lr, false)
	if err != nil {
		return fmt.Errorf("read USER reply: %w", err)
	}
	p.Reply, p.Accepted = replyText(r.OK, "+OK", "-ERR", r.Text), r.OK
	return nil
}

// upgrade runs the handshake after an accepted STLS/STARTTLS and records it in st.
func upgrade(s *session, host string, st *StartTLS) error {
	cs, injected, err := s.upgrade(host)
	st.Injected = injected
	if err != nil {
		st.Handshake = &TLSInfo{Error: err.Error()}
		return err
	}
	st.Handshake = &TLSInfo{Version: tlsVersion(cs), Cipher: tlsCipher(cs)}
	return nil
}

// goodbye sends the quit command and reads its answer; a server that just closes is fine.
func goodbye(s *session, read func() error, cmd string) {
	if s.send(cmd) == nil {
		if err := read(); err != nil {
			s.tr.Add("#", "no answer to "+cmd+": "+err.Error())
		}
	}
}

// capText returns the text after a capability's keyword, as the server wrote it.
func capText(caps []string, name string) string {
	for _, c := range caps {
		if w, rest, _ := strings.Cut(c, " "); strings.EqualFold(w, name) {
			return strings.TrimSpace(rest)
		}
	}
	return ""
}

func replyText(ok bool, yes, no, text string) string {
	if ok {
		return strings.TrimSpace(yes + " " + text)
	}
	return strings.TrimSpace(no + " " + text)
}

// probeName is a user name that exists nowhere: "ecscan-probe-" and 8 random hex digits.
func probeName() string {
	b := make([]byte, 4)
	rand.Read(b)
	return "ecscan-probe-" + hex.EncodeToString(b)
}
