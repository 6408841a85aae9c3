package smtp

import (
	"context"
	"slices"
	"strings"

	"ecscan/checks"
)

// likelyNames are names every mail domain has (RFC 5321 requires postmaster) or nearly
// every Unix host: a server that discloses addresses discloses these.
var likelyNames = []string{"postmaster", "root"}

// EnumResult is the EXPN or VRFY test of one service: the replies to the likely names and
// to a random name nobody has (the control).
type EnumResult struct {
	Command string     `json:"command"` // "EXPN" or "VRFY"
	Likely  []NameTest `json:"likely"`
	Control *NameTest  `json:"control,omitempty"`
	// Advertised reports the keyword in the EHLO reply.
	Advertised bool          `json:"advertised"`
	Status     checks.Status `json:"status"`
	Error      string        `json:"error,omitempty"`
}

// NameTest is one name asked and the reply.
type NameTest struct {
	Name  string `json:"name"`
	Reply Reply  `json:"reply"`
}

// Answer classifies a reply to EXPN or VRFY (NameTest.Classify) or to RCPT TO
// (ClassifyRcpt).
type Answer string

// The answers.
const (
	AnswerAddress  Answer = "address"   // 250/251 naming an address (an @ or <…>)
	AnswerPositive Answer = "positive"  // 250/251 without an address, or 252; to RCPT: any 2xx
	AnswerRefused  Answer = "refused"   // 5xx; to RCPT: a 5xx other than an unknown user
	AnswerDeferred Answer = "deferred"  // 4xx
	AnswerNone     Answer = "no-answer" // no reply, or a reply of another class
)

// Classify says what a reply to EXPN or VRFY answered.
func (t NameTest) Classify() Answer {
	r := t.Reply
	switch {
	case r.Code == 250 || r.Code == 251:
		if txt := r.Text(); strings.Contains(txt, "@") || strings.Contains(txt, "<") {
			return AnswerAddress
		}
		return AnswerPositive
	case r.Class() == 2:
		return AnswerPositive
	case r.Class() == 5:
		return AnswerRefused
	case r.Class() == 4:
		return AnswerDeferred
	}
	return AnswerNone
}

// notImplemented reports a reply that refuses the command itself, whatever the name: 500,
// 502, 504 (not recognized, not implemented) and 530 (authentication required). The other
// names are not asked after it.
func notImplemented(r Reply) bool {
	return r.Code == 500 || r.Code == 502 || r.Code == 504 || r.Code == 530
}

// enumTest asks VRFY, then EXPN, of the likely names and the control, then tries them as
// recipients (rcptTest), all on one session. rcpt is nil when no domain is known for the
// recipients.
func (r *prober) enumTest(ctx context.Context, caps Capabilities) (vrfy, expn *EnumResult, rcpt *RcptResult) {
	d := r.newDialogue("enum", "VRFY, EXPN and RCPT TO of likely names and of a random control name")
	s, h, err := r.open(ctx, d)
	vrfy = &EnumResult{Command: "VRFY", Advertised: caps.VRFY, Status: checks.StatusOK}
	expn = &EnumResult{Command: "EXPN", Advertised: caps.EXPN, Status: checks.StatusOK}
	rcpt = r.newRcpt()
	fail := func(err error, results ...*EnumResult) {
		for _, e := range results {
			e.Status, e.Error = checks.Classify(err), err.Error()
		}
		if rcpt != nil {
			rcpt.fail(err)
		}
	}
	if err != nil {
		fail(err, vrfy, expn)
		return vrfy, expn, rcpt
	}
	defer s.quit()
	control := "ecscan-" + r.random()
	if err := r.askNames(s, h, vrfy, likelyNames, control); err != nil {
		fail(err, expn)
		return vrfy, expn, rcpt
	}
	// EXPN asks one likely name: sendmail slows every VRFY or EXPN of a session down by a
	// second from the sixth on (MAXVRFYCOMMANDS), so the two tests stay at five.
	if err := r.askNames(s, h, expn, likelyNames[:1], control); err != nil {
		fail(err)
		return vrfy, expn, rcpt
	}
	if rcpt != nil {
		r.rcptTest(s, h, rcpt, control)
	}
	return vrfy, expn, rcpt
}

// askNames asks the likely names, then the control, stopping after a reply that refuses
// the command itself. A reply that asks for STARTTLS first upgrades the session (once) and
// asks again.
func (r *prober) askNames(s *session, h *Hello, e *EnumResult, likely []string, control string) error {
	for _, name := range slices.Concat(likely, []string{control}) {
		rep, err := s.cmd(e.Command + " " + name)
		if err == nil && r.mayUpgrade(s, h, rep) {
			if err = r.upgrade(s); err == nil {
				rep, err = s.cmd(e.Command + " " + name)
			}
		}
		t := NameTest{Name: name, Reply: rep}
		if name == control {
			e.Control = &t
		} else {
			e.Likely = append(e.Likely, t)
		}
		if err != nil {
			e.Status, e.Error = checks.Classify(err), err.Error()
			return err
		}
		if notImplemented(rep) {
			return nil
		}
	}
	return nil
}
