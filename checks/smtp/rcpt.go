package smtp

import (
	"net/netip"
	"slices"
	"strings"

	"ecscan/checks"
)

// roleNames are the addresses every mail domain must accept (postmaster, RFC 5321) or is
// expected to (abuse, RFC 2142): a server that accepts them tells nothing about its users,
// so they never count as enumeration.
var roleNames = []string{"postmaster", "abuse"}

// RcptResult is the RCPT TO test of one service: in the enum session, an outside sender,
// then the likely names and the control name at the server's own domain, then RSET.
type RcptResult struct {
	// Domain is the recipients' domain: the site's own domain, else the server's name.
	Domain string `json:"domain"`
	Sender string `json:"sender"`
	// Mail is the reply to MAIL FROM; nil when the session ended before it.
	Mail    *Reply     `json:"mail,omitempty"`
	Likely  []NameTest `json:"likely"`
	Control *NameTest  `json:"control,omitempty"`
	// Rset is the reply to the RSET that ends the transaction.
	Rset   *Reply        `json:"rset,omitempty"`
	Status checks.Status `json:"status"`
	Error  string        `json:"error,omitempty"`
}

// address returns local@Domain.
func (res *RcptResult) address(local string) string { return local + "@" + res.Domain }

// fail records err as the test's status.
func (res *RcptResult) fail(err error) {
	if res.Status == checks.StatusOK {
		res.Status, res.Error = checks.Classify(err), err.Error()
	}
}

// rcptDomain is the domain the RCPT test addresses: the site's own domain the host belongs
// to, else the server's name (banner, else host name); "" when only an address is known,
// and then the test is not run.
func (r *prober) rcptDomain() string {
	if r.own != "" {
		return r.own
	}
	n := r.serverName()
	if _, err := netip.ParseAddr(n); err == nil || strings.HasPrefix(n, "[") {
		return ""
	}
	return n
}

// newRcpt returns the RCPT test of the service, not yet run, or nil when no domain is
// known.
func (r *prober) newRcpt() *RcptResult {
	d := r.rcptDomain()
	if d == "" {
		return nil
	}
	return &RcptResult{Domain: d, Sender: outsideSender, Status: checks.StatusOK}
}

// rcptTest sends MAIL FROM the outside sender and, when it is accepted, RCPT TO each likely
// name and the control at the domain, then RSET; never DATA. A 530 to MAIL asking for
// STARTTLS first upgrades the session (once) and asks again. A reply that refuses the
// command for any name (500, 502, 503, 504, 530) ends the names.
func (r *prober) rcptTest(s *session, h *Hello, res *RcptResult, control string) {
	mail := "MAIL FROM:<" + res.Sender + ">"
	rep, err := s.cmd(mail)
	if err == nil && r.mayUpgrade(s, h, rep) {
		if err = r.upgrade(s); err == nil {
			rep, err = s.cmd(mail)
		}
	}
	res.Mail = &rep
	if err != nil {
		res.fail(err)
		return
	}
	if !rep.Positive() {
		return
	}
	for _, name := range slices.Concat(likelyNames, []string{control}) {
		rep, err := s.cmd("RCPT TO:<" + res.address(name) + ">")
		t := NameTest{Name: name, Reply: rep}
		if name == control {
			res.Control = &t
		} else {
			res.Likely = append(res.Likely, t)
		}
		if err != nil {
			res.fail(err)
			return
		}
		if notImplemented(rep) || rep.Code == 503 {
			break
		}
	}
	rset, err := s.cmd("RSET")
	res.Rset = &rset
	if err != nil {
		res.fail(err)
	}
}
