package smtp

import (
	"context"
	"strings"

	"ecscan/checks"
)

// Outcomes of one relay form.
const (
	Accepted   = "accepted"   // RCPT got 2xx: the server took an outside recipient
	Refused    = "refused"    // MAIL or RCPT got 5xx
	Deferred   = "deferred"   // MAIL or RCPT got 4xx (greylisting, a lookup that failed)
	Unexpected = "unexpected" // a reply of another class
	Errored    = "error"      // the session ended during the form
	NotTried   = "not-tried"  // the test ended before the form
)

// formsPerSession bounds the forms tried on one connection: servers count refused commands
// and slow down past a limit (Postfix sleeps a second per error after its 10th), so the
// forms are spread over connections that stay under it.
const formsPerSession = 8

// maxReconnects bounds the extra connections of one relay test: a server that closes the
// session part-way (421 "too many errors") is reconnected to, from the next form on, as
// long as the last session got through a form.
const maxReconnects = 2

// FormResult is what the server said to one form.
type FormResult struct {
	Form
	Mail    *Reply `json:"mail,omitempty"`
	Rcpt    *Reply `json:"rcpt,omitempty"`
	Outcome string `json:"outcome"`
	Error   string `json:"error,omitempty"`
}

// Reply returns the reply that decided the form: RCPT's, else MAIL's.
func (f FormResult) Reply() *Reply {
	if f.Rcpt != nil {
		return f.Rcpt
	}
	return f.Mail
}

// RelayResult is the relay test of one service.
type RelayResult struct {
	Forms    []FormResult  `json:"forms"`
	Sessions int           `json:"sessions"`
	Status   checks.Status `json:"status"`
	Error    string        `json:"error,omitempty"`
	// Message is the marked test message sent with Config.RelayTestTo.
	Message *RelayMessage `json:"message,omitempty"`
}

// Accepted returns the forms the server accepted.
func (r *RelayResult) Accepted() []FormResult { return r.with(Accepted) }

func (r *RelayResult) with(outcome string) []FormResult {
	var out []FormResult
	for _, f := range r.Forms {
		if f.Outcome == outcome {
			out = append(out, f)
		}
	}
	return out
}

// Form returns the result of the form with an ID, or nil.
func (r *RelayResult) Form(id string) *FormResult {
	for i := range r.Forms {
		if r.Forms[i].ID == id {
			return &r.Forms[i]
		}
	}
	return nil
}

// relayTest tries every form, RSET between them, formsPerSession per connection, never
// DATA (unless RelayTestTo, through the last connection).
func (r *prober) relayTest(ctx context.Context) *RelayResult {
	d := r.newDialogue("relay", "Relay test: MAIL FROM / RCPT TO from outside to outside, stopped at RCPT")
	res := &RelayResult{Status: checks.StatusOK}
	next, reconnects := 0, 0
	for ctx.Err() == nil && (res.Forms == nil || next < len(res.Forms)) {
		s, h, err := r.open(ctx, d)
		res.Sessions++
		if err != nil {
			res.fail(err)
			break
		}
		if res.Forms == nil {
			res.Forms = notTried(RelayForms(r.own, r.serverName(), r.ep.literal()))
		}
		start := next
		if next, err = r.tryForms(s, h, res.Forms, next); err != nil {
			res.fail(err)
			s.close()
			if next == start+1 || checks.Classify(err) != checks.StatusReset || reconnects == maxReconnects {
				break // the server ended a session that got nowhere, or too often: do not insist
			}
			reconnects++
			continue
		}
		if next == len(res.Forms) && r.cfg.RelayTestTo != "" && len(res.Accepted()) > 0 {
			res.Message = r.sendTestMessage(s, res.Accepted()[0])
			if s.dead != nil {
				res.fail(s.dead)
			}
		}
		s.quit()
	}
	return res
}

// tryForms tries forms from next on, at most formsPerSession, and returns the index of the
// next form to try.
func (r *prober) tryForms(s *session, h *Hello, forms []FormResult, next int) (int, error) {
	for n := 0; next < len(forms) && n < formsPerSession; n, next = n+1, next+1 {
		if err := r.tryForm(s, h, &forms[next], n > 0); err != nil {
			return next + 1, err
		}
	}
	return next, nil
}

func notTried(forms []Form) []FormResult {
	out := make([]FormResult, len(forms))
	for i, f := range forms {
		out[i] = FormResult{Form: f, Outcome: NotTried}
	}
	return out
}

// fail keeps the first error of the test as its status.
func (r *RelayResult) fail(err error) {
	if r.Status == checks.StatusOK {
		r.Status, r.Error = checks.Classify(err), err.Error()
	}
}

// tryForm sends [RSET,] MAIL FROM and, when the sender is accepted, RCPT TO. A 530 that
// asks for STARTTLS first upgrades the session (once) and asks again.
func (r *prober) tryForm(s *session, h *Hello, fr *FormResult, rset bool) error {
	if rset {
		if _, err := s.cmd("RSET"); err != nil {
			fr.Outcome, fr.Error = Errored, err.Error()
			return err
		}
	}
	mail := "MAIL FROM:<" + fr.From + ">"
	rep, err := s.cmd(mail)
	if err == nil && r.mayUpgrade(s, h, rep) {
		if err = r.upgrade(s); err == nil {
			rep, err = s.cmd(mail)
		}
	}
	fr.Mail = &rep
	if err != nil {
		fr.Outcome, fr.Error = Errored, err.Error()
		return err
	}
	if !rep.Positive() {
		fr.Outcome = outcomeOf(rep)
		return nil
	}
	rep, err = s.cmd("RCPT TO:<" + fr.To + ">")
	fr.Rcpt = &rep
	if err != nil {
		fr.Outcome, fr.Error = Errored, err.Error()
		return err
	}
	fr.Outcome = outcomeOf(rep)
	return nil
}

func outcomeOf(rep Reply) string {
	switch rep.Class() {
	case 2:
		return Accepted
	case 4:
		return Deferred
	case 5:
		return Refused
	}
	return Unexpected
}

// needsTLS reports a 530 (or 5.7.0) reply that asks for STARTTLS first.
func needsTLS(rep Reply) bool {
	t := strings.ToUpper(rep.Text())
	return rep.Class() == 5 && strings.Contains(t, "STARTTLS") || rep.Code == 530 && strings.Contains(t, "TLS")
}

// mayUpgrade reports a reply asking for STARTTLS on a cleartext session that offers it.
func (r *prober) mayUpgrade(s *session, h *Hello, rep Reply) bool {
	return needsTLS(rep) && s.tls == nil && h.Capabilities.StartTLS
}

// upgrade runs STARTTLS and EHLO again on a session.
func (r *prober) upgrade(s *session) error {
	rep, err := s.startTLS()
	if err != nil {
		return err
	}
	if rep.Code != 220 {
		return nil
	}
	_, err = s.hello(r.cfg.HeloName)
	return err
}
