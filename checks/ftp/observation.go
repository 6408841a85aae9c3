package ftp

import (
	"net/netip"

	"ecscan/checks"
)

// Observation is what the FTP check saw of one endpoint. It is the Result's Data; Evaluate
// reads it and nothing else.
type Observation struct {
	Host string     `json:"host"`
	Addr netip.Addr `json:"addr"`
	Port int        `json:"port"`
	// ImplicitTLS: TLS from the first byte (990); TLS is that handshake.
	ImplicitTLS bool     `json:"implicit_tls,omitempty"`
	TLS         *TLSInfo `json:"tls,omitempty"`
	// Status is how the main dialogue ended (ok when it ran to its end).
	Status checks.Status `json:"status"`
	Error  string        `json:"error,omitempty"`

	// Banner is the greeting's text; Greeted says it was a 220.
	Banner  string `json:"banner,omitempty"`
	Greeted bool   `json:"greeted,omitempty"`
	// Features are the FEAT lines; FeatKnown says the server answered FEAT with 211.
	Features  []string `json:"features,omitempty"`
	FeatKnown bool     `json:"feat_known,omitempty"`
	Syst      string   `json:"syst,omitempty"`
	// Stat is the reply to STAT after an anonymous login (it often names the server).
	Stat []string `json:"stat,omitempty"`
	// Product and Version are what the server names itself, and From where it did.
	Product string `json:"product,omitempty"`
	Version string `json:"version,omitempty"`
	From    string `json:"from,omitempty"`

	Anonymous *Login    `json:"anonymous,omitempty"`
	Pwd       string    `json:"pwd,omitempty"`
	Listing   *Listing  `json:"listing,omitempty"`
	Passive   []Passive `json:"passive,omitempty"`
	// AuthTLS is the upgrade to TLS on a second connection; TLSRequired the third.
	AuthTLS     *AuthTLS     `json:"auth_tls,omitempty"`
	TLSRequired *TLSRequired `json:"tls_required,omitempty"`
	// WriteTest and Bounce run only with --intrusive.
	WriteTest *WriteTest `json:"write_test,omitempty"`
	Bounce    *Bounce    `json:"bounce,omitempty"`

	// Transcript is the main dialogue, TLSTranscript the AUTH TLS connections'; they go to
	// the evidence.
	Transcript    []Line `json:"-"`
	TLSTranscript []Line `json:"-"`
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

// Exchange is a command and its reply.
type Exchange struct {
	Command string `json:"command"`
	Reply   string `json:"reply"`
	Code    int    `json:"code"`
}

// Login is the anonymous login: USER anonymous, PASS with an e-mail-like password when
// asked (331), ACCT when asked (332).
type Login struct {
	Steps []Exchange `json:"steps"`
	// Decided says the server gave a final answer; LoggedIn that it was 230 (or 202, "no
	// password needed").
	Decided  bool `json:"decided"`
	LoggedIn bool `json:"logged_in"`
}

// Final is the last reply of the login.
func (l *Login) Final() Exchange {
	if l == nil || len(l.Steps) == 0 {
		return Exchange{}
	}
	return l.Steps[len(l.Steps)-1]
}

// Listing is the top directory's listing after an anonymous login.
type Listing struct {
	Command string `json:"command"` // LIST or MLSD
	Reply   string `json:"reply,omitempty"`
	Final   string `json:"final,omitempty"`
	Error   string `json:"error,omitempty"`
	// Entries are the first entries (maxEntries); Total counts every line read, and
	// Truncated says more came than maxData bytes.
	Entries   []Entry `json:"entries,omitempty"`
	Total     int     `json:"total"`
	Truncated bool    `json:"truncated,omitempty"`
	// Writable are the entries that look writable by the anonymous user (bounded).
	Writable []Entry `json:"writable,omitempty"`
	// Read says the listing came (the data connection delivered and closed).
	Read bool `json:"read"`
}

// Passive is one passive-mode reply: the port handed out and, for PASV, the address named.
type Passive struct {
	Command string     `json:"command"` // PASV or EPSV
	Reply   string     `json:"reply"`
	Addr    netip.Addr `json:"addr,omitzero"`
	Port    int        `json:"port,omitempty"`
	// Other: the PASV address is not the control connection's peer. The data connection,
	// if any, went to the peer instead.
	Other bool `json:"other,omitempty"`
}

// AuthTLS is the upgrade of a cleartext control connection with AUTH TLS (then AUTH SSL).
type AuthTLS struct {
	Command   string        `json:"command,omitempty"`
	Reply     string        `json:"reply,omitempty"`
	Accepted  bool          `json:"accepted"`
	Handshake *TLSInfo      `json:"handshake,omitempty"`
	Status    checks.Status `json:"status"`
	Error     string        `json:"error,omitempty"`
}

// Upgraded reports whether the handshake completed.
func (a *AuthTLS) Upgraded() bool { return a != nil && a.Handshake != nil && a.Handshake.Error == "" }

// TLSRequired is USER with a made-up name on a cleartext connection, never followed by
// PASS: a 530 that names encryption says non-anonymous logins need TLS first; 331 says
// a password would be taken in clear.
type TLSRequired struct {
	User     string        `json:"user"`
	Reply    string        `json:"reply"`
	Code     int           `json:"code"`
	Required *bool         `json:"required,omitempty"`
	Status   checks.Status `json:"status"`
}
