package ftp

import (
	"context"
	"crypto/tls"
	"fmt"
	"strings"
	"time"

	"ecscan/checks"
)

// The anonymous login's password and account: the conventional e-mail-like password of
// anonymous FTP, at a domain that cannot exist (RFC 6761), not a credential.
const (
	anonUser     = "anonymous"
	anonPassword = "ecscan@example.invalid"
	anonAccount  = "anonymous"
)

// prober runs the dialogues with one endpoint.
type prober struct {
	ctx       context.Context
	dialer    *checks.Dialer
	o         *Observation
	cfg       Config
	timeout   time.Duration
	now       func() time.Time
	tls       *tls.Config
	s         *session // the main control connection
	mainTr    *transcript
	tlsTr     *transcript
	protected bool // PROT P accepted: data connections speak TLS
}

// main runs the main dialogue: greeting, FEAT, SYST, the anonymous login and, when it
// works, PWD, STAT, the listing, the passive samples and the intrusive tests; then QUIT.
func (p *prober) main() error {
	s, err := p.connect(p.mainTr)
	if err != nil {
		return err
	}
	p.s = s
	defer s.close()
	err = p.dialogue()
	s.noteEnd(err)
	return err
}

// connect opens a control connection, with the TLS handshake on an implicit-TLS endpoint.
func (p *prober) connect(tr *transcript) (*session, error) {
	ap := p.o.addrPort().String()
	conn, err := p.dialer.DialContext(p.ctx, "tcp", ap)
	if err != nil {
		tr.Add("#", "connect to "+ap+": "+err.Error())
		return nil, fmt.Errorf("connect: %w", err)
	}
	tr.Add("#", "connected to "+ap+" from "+conn.LocalAddr().String())
	s := newSession(p.ctx, conn, p.timeout, tr)
	if p.o.ImplicitTLS {
		cs, err := s.upgrade(p.tls)
		if err != nil {
			p.o.TLS = &TLSInfo{Error: err.Error()}
			s.close()
			return nil, err
		}
		p.o.TLS = &TLSInfo{Version: tls.VersionName(cs.Version), Cipher: tls.CipherSuiteName(cs.CipherSuite)}
	}
	return s, nil
}

func (p *prober) dialogue() error {
	o := p.o
	g, err := p.greeting(p.s)
	if err != nil {
		return err
	}
	o.Banner, o.Greeted = strings.Join(g.Lines, "\n"), true
	r, err := p.s.cmd("FEAT")
	if err != nil {
		return err
	}
	o.Features, o.FeatKnown = features(r), r.Code == 211
	if r, err = p.s.cmd("SYST"); err != nil {
		return err
	}
	if r.Code == 215 {
		o.Syst = r.Text()
	}
	if err := p.login(); err != nil || !o.Anonymous.LoggedIn {
		return p.quit(err)
	}
	return p.quit(p.loggedIn())
}

// greeting reads the server's greeting: 220, possibly after 120 ("ready in n minutes").
func (p *prober) greeting(s *session) (Reply, error) {
	r, err := s.reply()
	if err == nil && r.Code == 120 {
		r, err = s.reply()
	}
	if err != nil {
		return r, fmt.Errorf("greeting: %w", err)
	}
	if r.Code != 220 {
		return r, checks.Protocolf("greeting: %s", r)
	}
	return r, nil
}

// login tries the anonymous login, following the server's reply codes: 331 → PASS, 332 →
// ACCT, 230 (or 202 to PASS/ACCT) → logged in; anything else is a refusal.
func (p *prober) login() error {
	l := &Login{}
	p.o.Anonymous = l
	next := "USER " + anonUser
	sent := map[string]bool{}
	for range 4 {
		r, err := p.s.cmd(next)
		l.Steps = append(l.Steps, Exchange{Command: next, Reply: r.String(), Code: r.Code})
		if err != nil {
			return err
		}
		sent[verb(next)] = true
		switch {
		case r.Code == 230 || r.Code == 202 && verb(next) != "USER":
			l.Decided, l.LoggedIn = true, true
			return nil
		case r.Code == 331 && !sent["PASS"]:
			next = "PASS " + anonPassword
		case r.Code == 332 && !sent["ACCT"]:
			next = "ACCT " + anonAccount
		default:
			l.Decided = true
			return nil
		}
	}
	l.Decided = true
	return nil
}

// loggedIn looks around after an anonymous login.
func (p *prober) loggedIn() error {
	o := p.o
	r, err := p.s.cmd("PWD")
	if err != nil {
		return err
	}
	if r.Code == 257 {
		o.Pwd = r.Text()
	}
	if o.Syst == "" { // vsftpd answers SYST only after a login
		if r, err = p.s.cmd("SYST"); err != nil {
			return err
		}
		if r.Code == 215 {
			o.Syst = r.Text()
		}
	}
	if r, err = p.s.cmd("STAT"); err != nil {
		return err
	}
	if r.Code >= 211 && r.Code <= 213 {
		o.Stat = r.Lines[:min(len(r.Lines), 20)]
	}
	if o.ImplicitTLS {
		if err := p.protect(); err != nil {
			return err
		}
	}
	if _, err := p.s.cmd("TYPE A"); err != nil {
		return err
	}
	if err := p.list(); err != nil {
		return err
	}
	if err := p.samples(); err != nil {
		return err
	}
	if !p.cfg.Intrusive {
		return nil
	}
	if err := p.writeTest(); err != nil {
		return err
	}
	return p.bounce()
}

// protect asks for TLS on the data connections of an implicit-TLS session (RFC 4217).
func (p *prober) protect() error {
	if _, err := p.s.cmd("PBSZ 0"); err != nil {
		return err
	}
	r, err := p.s.cmd("PROT P")
	p.protected = err == nil && r.Code == 200
	return err
}

// quit says goodbye unless the dialogue already failed; a server that just closes is fine.
func (p *prober) quit(err error) error {
	if err != nil {
		return err
	}
	if _, qerr := p.s.cmd("QUIT"); qerr != nil {
		p.s.tr.Add("#", "no answer to QUIT: "+qerr.Error())
	}
	return nil
}
