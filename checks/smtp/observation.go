package smtp

import (
	"net/netip"
	"strconv"
	"strings"

	"ecscan/checks"
)

// endpoint is one SMTP service of the service map.
type endpoint struct {
	host        string // the name used for SNI and reports (or the address)
	addr        netip.Addr
	port        int
	implicitTLS bool
}

func (e endpoint) addrPort() netip.AddrPort { return netip.AddrPortFrom(e.addr, uint16(e.port)) }

// literal is the server's address as an SMTP address literal: "[192.0.2.1]",
// "[IPv6:2001:db8::1]".
func (e endpoint) literal() string { return addrLiteral(e.addr) }

func addrLiteral(a netip.Addr) string {
	if a.Is4() || a.Is4In6() {
		return "[" + a.Unmap().String() + "]"
	}
	return "[IPv6:" + a.String() + "]"
}

// target is the Result's target: "host:port".
func (e endpoint) target() string {
	h := e.host
	if h == "" {
		h = e.addr.String()
	}
	if strings.Contains(h, ":") {
		h = "[" + h + "]"
	}
	return h + ":" + strconv.Itoa(e.port)
}

// Observation is what the check saw of one SMTP service: the session (banner, EHLO,
// STARTTLS), the relay test and the VRFY, EXPN and RCPT TO tests, with every dialogue.
// Evaluate turns it into findings.
type Observation struct {
	Host        string     `json:"host"`
	Addr        netip.Addr `json:"addr"`
	Port        int        `json:"port"`
	ImplicitTLS bool       `json:"implicit_tls"` // TLS from the first byte (465)
	// Origin is where the tests came from, as the server sees it.
	Origin *Origin `json:"origin,omitempty"`

	Banner   *Reply          `json:"banner,omitempty"`
	Hello    *Hello          `json:"hello,omitempty"`
	TLS      *TLSInfo        `json:"tls,omitempty"` // the implicit TLS handshake
	StartTLS *StartTLSResult `json:"starttls,omitempty"`
	Product  string          `json:"product,omitempty"`
	Version  string          `json:"version,omitempty"`

	Relay *RelayResult `json:"relay,omitempty"`
	VRFY  *EnumResult  `json:"vrfy,omitempty"`
	EXPN  *EnumResult  `json:"expn,omitempty"`
	// RCPT is the RCPT TO test of the enum session; nil when no domain was known for it.
	RCPT *RcptResult `json:"rcpt,omitempty"`

	// Status is how the service's dialogues ended: the first one that did not end well
	// decides, Error says which and why.
	Status    checks.Status `json:"status"`
	Error     string        `json:"error,omitempty"`
	Dialogues []*Dialogue   `json:"dialogues"`
}

// StartTLSResult is the upgrade of a cleartext session: the reply to STARTTLS, the
// handshake, and the EHLO sent over TLS.
type StartTLSResult struct {
	Reply  Reply         `json:"reply"`
	Status checks.Status `json:"status"` // of the upgrade and the EHLO after it
	Error  string        `json:"error,omitempty"`
	TLS    *TLSInfo      `json:"tls,omitempty"`
	Hello  *Hello        `json:"hello,omitempty"` // EHLO over TLS
}

// Upgraded reports a completed handshake.
func (r *StartTLSResult) Upgraded() bool { return r != nil && r.TLS != nil }

// record keeps the first failure of the service's dialogues as its status.
func (o *Observation) record(what string, err error) {
	if err != nil {
		o.setStatus(checks.Classify(err), what+": "+err.Error())
	}
}

// setStatus keeps the first status other than ok.
func (o *Observation) setStatus(st checks.Status, msg string) {
	if st != checks.StatusOK && (o.Status == checks.StatusOK || o.Status == "") {
		o.Status, o.Error = st, msg
	}
}

// Capabilities returns the latest capabilities seen: over TLS after STARTTLS, else the
// first EHLO's.
func (o *Observation) Capabilities() Capabilities {
	if o.StartTLS != nil && o.StartTLS.Hello.OK() {
		return o.StartTLS.Hello.Capabilities
	}
	if o.Hello != nil {
		return o.Hello.Capabilities
	}
	return Capabilities{}
}

// dialogue returns the dialogue with an ID, or nil.
func (o *Observation) dialogue(id string) *Dialogue {
	for _, d := range o.Dialogues {
		if d.ID == id {
			return d
		}
	}
	return nil
}
