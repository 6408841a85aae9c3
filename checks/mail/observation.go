package mail

import (
	"net/netip"
	"slices"
	"strings"

	"ecscan/checks"
)

// Observation is what the mail check saw of one POP3 or IMAP endpoint. It is the Result's
// Data; Evaluate reads it and nothing else.
type Observation struct {
	Host     string     `json:"host"`
	Addr     netip.Addr `json:"addr"`
	Port     int        `json:"port"`
	Protocol string     `json:"protocol"` // "pop3" or "imap"
	// ImplicitTLS: TLS from the first byte (995, 993).
	ImplicitTLS bool `json:"implicit_tls,omitempty"`
	// TLS is the handshake of an implicit-TLS endpoint.
	TLS *TLSInfo `json:"tls,omitempty"`
	// Status is how the dialogue ended (ok when it ran to its end).
	Status checks.Status `json:"status"`
	Error  string        `json:"error,omitempty"`

	// Greeting is the server's first line; Greeted says it was a positive one (+OK, * OK,
	// * PREAUTH).
	Greeting string `json:"greeting,omitempty"`
	Greeted  bool   `json:"greeted,omitempty"`
	// PreAuth: the IMAP server greeted with PREAUTH, a session authenticated without
	// credentials.
	PreAuth bool `json:"preauth,omitempty"`
	// Capabilities are the capabilities announced on the connection before any upgrade
	// (inside TLS for an implicit-TLS endpoint): POP3 CAPA lines, IMAP CAPABILITY atoms.
	// CapsKnown says the server answered with them (CAPA may be unsupported).
	Capabilities []string `json:"capabilities,omitempty"`
	CapsKnown    bool     `json:"caps_known,omitempty"`
	// APOP is the timestamp of a POP3 greeting (<…@…>): APOP is offered.
	APOP string `json:"apop,omitempty"`
	// Implementation is the POP3 IMPLEMENTATION capability's argument.
	Implementation string `json:"implementation,omitempty"`
	// ID is the IMAP ID response (name, version, …), when the server supports ID.
	ID map[string]string `json:"id,omitempty"`
	// UserProbe is a POP3 USER command with a made-up name (never followed by PASS), sent
	// only when the server did not answer CAPA, to see whether USER is allowed in clear.
	UserProbe *UserProbe `json:"user_probe,omitempty"`
	// StartTLS is the upgrade to TLS on a cleartext endpoint (STLS, STARTTLS).
	StartTLS *StartTLS `json:"starttls,omitempty"`
	// Product and Version are what the server names itself, and From where it did.
	Product string `json:"product,omitempty"`
	Version string `json:"version,omitempty"`
	From    string `json:"from,omitempty"`

	// Transcript is the dialogue; it goes to the evidence.
	Transcript []Line `json:"-"`
}

func (o *Observation) addrPort() netip.AddrPort {
	return netip.AddrPortFrom(o.Addr, uint16(o.Port))
}

// TLSInfo is the outcome of a TLS handshake.
type TLSInfo struct {
	Version string `json:"version,omitempty"`
	Cipher  string `json:"cipher,omitempty"`
	Error   string `json:"error,omitempty"`
}

// UserProbe is the answer to USER with a made-up name.
type UserProbe struct {
	User     string `json:"user"`
	Reply    string `json:"reply"`
	Accepted bool   `json:"accepted"`
}

// StartTLS is what became of the upgrade to TLS.
type StartTLS struct {
	// Offered: the capabilities list STLS (POP3) or STARTTLS (IMAP).
	Offered bool `json:"offered"`
	// Tried: the command was sent (when offered, or blindly when the capabilities are
	// unknown); Reply is the server's answer and Accepted says it was positive.
	Tried    bool   `json:"tried,omitempty"`
	Reply    string `json:"reply,omitempty"`
	Accepted bool   `json:"accepted,omitempty"`
	// Handshake is the TLS handshake after an accepted command.
	Handshake *TLSInfo `json:"handshake,omitempty"`
	// Injected counts bytes the server sent after its answer, before the handshake.
	Injected int `json:"injected,omitempty"`
	// Capabilities are announced again inside TLS.
	Capabilities []string `json:"capabilities,omitempty"`
}

// Upgraded reports whether the connection was upgraded to TLS.
func (st *StartTLS) Upgraded() bool {
	return st != nil && st.Handshake != nil && st.Handshake.Error == ""
}

// Plaintext tells whether the endpoint lets a client send a password in clear on the
// connection before TLS: known says it could be told, and ways lists how ("USER/PASS",
// "SASL PLAIN", "LOGIN command", "AUTHENTICATE PLAIN"). It reads the capabilities only;
// nothing is ever tried.
func (o *Observation) Plaintext() (allowed, known bool, ways []string) {
	if o.ImplicitTLS || !o.Greeted {
		return false, false, nil
	}
	if o.PreAuth {
		return true, true, []string{"PREAUTH"}
	}
	if !o.CapsKnown {
		return o.userProbe()
	}
	caps := o.Capabilities
	switch o.Protocol {
	case "pop3":
		if hasCap(caps, "USER") {
			ways = append(ways, "USER/PASS")
		}
		for _, m := range capArgs(caps, "SASL") {
			if plainMech(m) {
				ways = append(ways, "SASL "+m)
			}
		}
	case "imap":
		if !hasCap(caps, "LOGINDISABLED") {
			ways = append(ways, "LOGIN command")
		}
		for _, c := range caps {
			if m, ok := cutFold(c, "AUTH="); ok && plainMech(strings.ToUpper(m)) {
				ways = append(ways, "AUTHENTICATE "+strings.ToUpper(m))
			}
		}
	}
	return len(ways) > 0, true, ways
}

// userProbe reads the POP3 USER probe: +OK means USER/PASS goes on in clear; an -ERR
// that names the reason (plaintext, TLS, SSL, encryption) means it is refused.
func (o *Observation) userProbe() (allowed, known bool, ways []string) {
	p := o.UserProbe
	if p == nil {
		return false, false, nil
	}
	if p.Accepted {
		return true, true, []string{"USER/PASS"}
	}
	r := strings.ToLower(p.Reply)
	for _, w := range []string{"plaintext", "tls", "ssl", "encrypt", "secure"} {
		if strings.Contains(r, w) {
			return false, true, nil
		}
	}
	return false, false, nil
}

// plainMech reports whether a SASL mechanism sends the password itself.
func plainMech(m string) bool { return slices.Contains([]string{"PLAIN", "LOGIN"}, m) }

func cutFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return "", false
}
