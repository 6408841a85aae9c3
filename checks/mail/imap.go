package mail

import (
	"crypto/tls"
	"fmt"
	"io"
	"strings"

	"ecscan/checks"
)

// closingError is a server ending the session with an untagged BYE.
type closingError struct{ text string }

func (e *closingError) Error() string { return "the server closed the session: BYE " + e.text }

// Unwrap makes a BYE classify as the peer closing (checks.StatusReset).
func (e *closingError) Unwrap() error { return io.EOF }

// imapConn sends tagged commands: E1, E2, …
type imapConn struct {
	s *session
	n int
}

func (c *imapConn) command(cmd string) (imapReply, error) {
	c.n++
	tag := fmt.Sprintf("E%d", c.n)
	if err := c.s.send(tag + " " + cmd); err != nil {
		return imapReply{}, err
	}
	r, err := readIMAP(c.s.lr, tag)
	if err != nil {
		return r, fmt.Errorf("read %s reply: %w", firstWord(cmd), err)
	}
	if r.Status == "BYE" {
		return r, fmt.Errorf("%s: %w", firstWord(cmd), &closingError{text: r.Text})
	}
	return r, nil
}

// imap runs the IMAP dialogue on an open session (inside TLS already for an implicit-TLS
// endpoint): greeting, CAPABILITY unless the greeting listed them, ID when offered,
// STARTTLS with a handshake and CAPABILITY again, LOGOUT. Nothing logs in.
func imap(s *session, o *Observation) error {
	if err := s.begin(); err != nil {
		return fmt.Errorf("read greeting: %w", err)
	}
	g, err := imapLine(s.lr)
	if err != nil {
		return fmt.Errorf("read greeting: %w", err)
	}
	o.Greeting = g
	cond, _, _ := strings.Cut(strings.TrimPrefix(g, "* "), " ")
	switch cond = strings.ToUpper(cond); {
	case !strings.HasPrefix(g, "* "):
		return checks.Protocolf("not an IMAP greeting: %q", clean(g))
	case cond == "OK" || cond == "PREAUTH":
		o.Greeted, o.PreAuth = true, cond == "PREAUTH"
	case cond == "BYE":
		return fmt.Errorf("greeting: %w", &closingError{text: strings.TrimSpace(g[5:])})
	default:
		return checks.Protocolf("not an IMAP greeting: %q", clean(g))
	}
	c := &imapConn{s: s}
	caps, known, err := imapCaps(c, g)
	if err != nil {
		return err
	}
	o.Capabilities, o.CapsKnown = caps, known
	if hasCap(caps, "ID") {
		r, err := c.command("ID NIL")
		if err != nil {
			return err
		}
		o.ID = parseID(r.Untagged)
	}
	if !o.ImplicitTLS && !o.PreAuth {
		if err := imapSTARTTLS(c, o); err != nil {
			return err
		}
	}
	goodbye(s, func() error { _, err := readIMAP(s.lr, fmt.Sprintf("E%d", c.n+1)); return err }, fmt.Sprintf("E%d LOGOUT", c.n+1))
	return nil
}

// imapCaps reads the capabilities from the greeting's [CAPABILITY …] or asks for them.
func imapCaps(c *imapConn, greeting string) ([]string, bool, error) {
	if caps, ok := imapCapabilities(greeting, nil); ok {
		return caps, true, nil
	}
	r, err := c.command("CAPABILITY")
	if err != nil {
		return nil, false, err
	}
	if r.Status != "OK" {
		return nil, false, nil
	}
	caps, ok := imapCapabilities(r.Text, r.Untagged)
	return caps, ok, nil
}

// imapSTARTTLS upgrades to TLS when STARTTLS is offered, or tries it when the capabilities
// are unknown, then asks for the capabilities again (RFC 3501: the client must discard
// what it learned before TLS).
func imapSTARTTLS(c *imapConn, o *Observation) error {
	st := &StartTLS{Offered: hasCap(o.Capabilities, "STARTTLS")}
	o.StartTLS = st
	if !st.Offered && o.CapsKnown {
		return nil
	}
	st.Tried = true
	r, err := c.command("STARTTLS")
	if err != nil {
		return err
	}
	st.Reply, st.Accepted = strings.TrimSpace(r.Status+" "+r.Text), r.Status == "OK"
	if !st.Accepted {
		return nil
	}
	if err := upgrade(c.s, o.Host, st); err != nil {
		return err
	}
	r, err = c.command("CAPABILITY")
	if err != nil {
		return err
	}
	st.Capabilities, _ = imapCapabilities(r.Text, r.Untagged)
	return nil
}

func tlsVersion(cs tls.ConnectionState) string { return tls.VersionName(cs.Version) }

func tlsCipher(cs tls.ConnectionState) string { return tls.CipherSuiteName(cs.CipherSuite) }
