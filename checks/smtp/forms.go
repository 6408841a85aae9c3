package smtp

// The reserved names and addresses of the relay test: mail "from outside to outside" is from
// example.org to example.net (RFC 2606), and the outside address literal is in TEST-NET-1
// (RFC 5737). Nothing is ever delivered to them: the test stops at RCPT.
const (
	outsideSender    = "ecscan-relay-test@example.org"
	outsideUser      = "relaytest"
	outsideDomain    = "example.net"
	outsideRecipient = outsideUser + "@" + outsideDomain
	outsideLiteral   = "[192.0.2.1]"
	testLocalPart    = "ecscan-relay-test"
)

// Form is one way of asking a server to relay: a reverse path and a forward path (written
// without the angle brackets), as nmap's smtp-open-relay tries them.
type Form struct {
	ID    string `json:"id"`
	From  string `json:"from"`
	To    string `json:"to"`
	Trick bool   `json:"trick,omitempty"` // the recipient hides the outside address in routing syntax
}

// The form IDs that other code refers to.
const (
	FormPlain     = "plain"
	FormOwnDomain = "own-domain-sender"
)

// RelayForms returns the forms tried against a server: own is the site's own domain ("" to
// leave out the own-domain sender), srv the server's name (from its banner, else the
// service's host name, else its address literal) and lit its address literal.
//
// The senders probe weak rules that trust the sender's address: an outside sender, the
// empty reverse path, the site's own domain, postmaster at the server, the server's own
// address literal. The recipients probe parsers that route an outside address hidden in a
// local-looking one: the %-hack, a quoted local part, a second @, a source route, a !-path,
// and an outside address literal.
func RelayForms(own, srv, lit string) []Form {
	forms := []Form{
		{ID: FormPlain, From: outsideSender, To: outsideRecipient},
		{ID: "empty-sender", From: "", To: outsideRecipient},
	}
	if own != "" {
		forms = append(forms, Form{ID: FormOwnDomain, From: testLocalPart + "@" + own, To: outsideRecipient})
	}
	forms = append(forms,
		Form{ID: "postmaster-sender", From: "postmaster@" + srv, To: outsideRecipient},
		Form{ID: "literal-sender", From: testLocalPart + "@" + lit, To: outsideRecipient},
		Form{ID: "outside-literal", From: outsideSender, To: outsideUser + "@" + outsideLiteral},
	)
	tricks := []Form{
		{ID: "percent-hack", To: outsideUser + "%" + outsideDomain + "@" + srv},
		{ID: "percent-hack-literal", To: outsideUser + "%" + outsideDomain + "@" + lit},
		{ID: "quoted", To: `"` + outsideRecipient + `"`},
		{ID: "quoted-at-server", To: `"` + outsideRecipient + `"@` + srv},
		{ID: "quoted-percent", To: `"` + outsideUser + "%" + outsideDomain + `"`},
		{ID: "double-at", To: outsideRecipient + "@" + srv},
		{ID: "source-route", To: "@" + srv + ":" + outsideRecipient},
		{ID: "source-route-literal", To: "@" + lit + ":" + outsideRecipient},
		{ID: "bang-path", To: outsideDomain + "!" + outsideUser},
		{ID: "bang-path-at-server", To: outsideDomain + "!" + outsideUser + "@" + srv},
	}
	for _, f := range tricks {
		f.From, f.Trick = outsideSender, true
		forms = append(forms, f)
	}
	return forms
}

// label describes a form as the commands it sends.
func (f Form) label() string { return "MAIL FROM:<" + f.From + "> RCPT TO:<" + f.To + ">" }
