package smtp

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"syscall"
	"time"

	"ecscan/checks"
)

// prober observes one SMTP service.
type prober struct {
	cfg     Config // defaults applied
	dialer  *checks.Dialer
	ep      endpoint
	own     string // the site's own domain for the own-domain sender, or ""
	now     func() time.Time
	random  func() string
	timeout time.Duration // one exchange
	budget  time.Duration // one connection, all its exchanges together
	obs     *Observation
}

// sessionBudget is how many exchange timeouts one connection may last in all.
const sessionBudget = 30

// refusedError is a server that will not talk: a banner or a greeting reply other than
// 220/250. It unwraps to ECONNREFUSED, so the status is "refused".
type refusedError struct {
	what  string
	reply Reply
}

func (e *refusedError) Error() string    { return fmt.Sprintf("%s refused: %s", e.what, e.reply) }
func (e *refusedError) Unwrap() error    { return syscall.ECONNREFUSED }
func refused(what string, r Reply) error { return &refusedError{what: what, reply: r} }

// observe runs the session test, then the relay test and the enum session (VRFY, EXPN,
// RCPT TO) when the server greeted.
func (r *prober) observe(ctx context.Context) *Observation {
	r.sessionTest(ctx)
	if !r.obs.Hello.OK() || ctx.Err() != nil {
		return r.obs
	}
	r.obs.Relay = r.relayTest(ctx)
	r.obs.setStatus(r.obs.Relay.Status, "relay test: "+r.obs.Relay.Error)
	if ctx.Err() != nil {
		return r.obs
	}
	r.obs.VRFY, r.obs.EXPN, r.obs.RCPT = r.enumTest(ctx, r.obs.Capabilities())
	for _, e := range []*EnumResult{r.obs.VRFY, r.obs.EXPN} {
		r.obs.setStatus(e.Status, e.Command+" test: "+e.Error)
	}
	if rc := r.obs.RCPT; rc != nil {
		r.obs.setStatus(rc.Status, "RCPT test: "+rc.Error)
	}
	return r.obs
}

func (r *prober) newDialogue(id, title string) *Dialogue {
	d := &Dialogue{ID: id, Title: title}
	r.obs.Dialogues = append(r.obs.Dialogues, d)
	return d
}

// open connects, reads a 220 banner and greets (EHLO, HELO if refused).
func (r *prober) open(ctx context.Context, d *Dialogue) (*session, *Hello, error) {
	s, err := dial(ctx, r.dialer, r.ep, r.timeout, r.budget, r.now, d)
	if err != nil {
		return nil, nil, err
	}
	r.noteOrigin(s)
	banner, err := s.greeting()
	if err == nil && banner.Code != 220 {
		err = refused("session", banner)
	}
	var h *Hello
	if err == nil {
		h, err = s.hello(r.cfg.HeloName)
		if err == nil && !h.OK() {
			err = refused("greeting", h.Reply)
		}
	}
	if err != nil {
		s.quit()
		return nil, nil, err
	}
	return s, h, nil
}

// noteOrigin assesses the source address of the service's first session; the evidence
// header states it.
func (r *prober) noteOrigin(s *session) {
	if r.obs.Origin == nil {
		r.obs.Origin = assessOrigin(s.local.Addr(), r.ep.addr)
	}
}

// sessionTest reads the banner, greets, and upgrades a cleartext session with STARTTLS
// when offered, greeting again over TLS.
func (r *prober) sessionTest(ctx context.Context) {
	d := r.newDialogue("session", "Banner, EHLO and STARTTLS")
	s, err := dial(ctx, r.dialer, r.ep, r.timeout, r.budget, r.now, d)
	if err != nil {
		r.obs.record("connect", err)
		return
	}
	defer s.quit()
	r.obs.TLS = s.tls
	r.noteOrigin(s)
	banner, err := s.greeting()
	r.obs.Banner = &banner
	r.obs.Product, r.obs.Version = ProductOf(banner.Text())
	if err == nil && banner.Code != 220 {
		err = refused("session", banner)
	}
	if err != nil {
		r.obs.record("banner", err)
		return
	}
	h, err := s.hello(r.cfg.HeloName)
	r.obs.Hello = h
	if err == nil && !h.OK() {
		err = refused("greeting", h.Reply)
	}
	if err != nil {
		r.obs.record("greeting", err)
		return
	}
	if len(h.Reply.Lines) > 0 {
		r.obs.Product, r.obs.Version = ProductOf(banner.Text(), h.Reply.Lines[0])
	}
	if !r.ep.implicitTLS && h.Capabilities.StartTLS {
		r.obs.StartTLS = r.startTLS(s)
	}
}

// startTLS upgrades the session and greets again.
func (r *prober) startTLS(s *session) *StartTLSResult {
	st := &StartTLSResult{Status: checks.StatusOK}
	rep, err := s.startTLS()
	st.Reply = rep
	if err == nil && rep.Code == 220 {
		st.TLS = s.tls
		st.Hello, err = s.hello(r.cfg.HeloName)
	}
	if err != nil {
		st.Status, st.Error = checks.Classify(err), err.Error()
	}
	return st
}

// serverName is the name the relay forms give the server: the one its banner announces,
// else the service's host name, else its address literal.
func (r *prober) serverName() string {
	if r.obs.Banner != nil {
		if n := serverName(*r.obs.Banner); n != "" {
			return n
		}
	}
	if isHostName(r.ep.host) && strings.Contains(r.ep.host, ".") {
		if _, err := netip.ParseAddr(r.ep.host); err != nil {
			return strings.ToLower(strings.TrimSuffix(r.ep.host, "."))
		}
	}
	return r.ep.literal()
}
