package ftp

import (
	"crypto/tls"
	"strings"

	"ecscan/checks"
)

// authTLS tries the upgrade of a fresh cleartext control connection: AUTH TLS, then AUTH
// SSL if that was refused; on 234 the TLS handshake, then QUIT inside TLS. It is tried
// whatever FEAT said (servers do not always list AUTH).
func (p *prober) authTLS() {
	a := &AuthTLS{}
	p.o.AuthTLS = a
	err := p.authTLSDialogue(a)
	a.Status = checks.Classify(err)
	if err != nil {
		a.Error = err.Error()
	}
}

func (p *prober) authTLSDialogue(a *AuthTLS) error {
	p.tlsTr.Add("#", "connection 2: AUTH TLS")
	s, err := p.connect(p.tlsTr)
	if err != nil {
		return err
	}
	defer s.close()
	err = func() error {
		if _, err := p.greeting(s); err != nil {
			return err
		}
		for _, cmd := range []string{"AUTH TLS", "AUTH SSL"} {
			r, err := s.cmd(cmd)
			if err != nil {
				return err
			}
			a.Command, a.Reply, a.Accepted = cmd, r.String(), r.Code == 234
			if a.Accepted {
				break
			}
		}
		if !a.Accepted {
			return nil
		}
		cs, err := s.upgrade(clientTLS(p.o.Host))
		if err != nil {
			a.Handshake = &TLSInfo{Error: err.Error()}
			return err
		}
		a.Handshake = &TLSInfo{Version: tls.VersionName(cs.Version), Cipher: tls.CipherSuiteName(cs.CipherSuite)}
		if _, err := s.cmd("QUIT"); err != nil {
			s.tr.Add("#", "no answer to QUIT: "+err.Error())
		}
		return nil
	}()
	s.noteEnd(err)
	return err
}

// tlsRequired sends USER with a made-up name on a fresh cleartext connection and never
// PASS: vsftpd, ProFTPD and Pure-FTPd answer 530 (or 534) naming TLS/SSL/encryption when
// non-anonymous logins must use TLS, and 331 when a password would be taken in clear.
func (p *prober) tlsRequired() {
	t := &TLSRequired{User: "ecscan-probe-" + randomHex(4)}
	p.o.TLSRequired = t
	p.tlsTr.Add("#", "connection 3: is TLS required before USER?")
	s, err := p.connect(p.tlsTr)
	if err == nil {
		err = func() error {
			defer s.close()
			if _, err := p.greeting(s); err != nil {
				return err
			}
			r, err := s.cmd("USER " + t.User)
			t.Reply, t.Code = r.String(), r.Code
			if err != nil {
				return err
			}
			if _, err := s.cmd("QUIT"); err != nil {
				s.tr.Add("#", "no answer to QUIT: "+err.Error())
			}
			return nil
		}()
	}
	t.Status = checks.Classify(err)
	t.Required = requiresTLS(t.Code, t.Reply)
}

// requiresTLS reads the answer to USER: nil when it does not tell.
func requiresTLS(code int, reply string) *bool {
	yes, no := true, false
	switch {
	case code == 331 || code == 332 || code == 230:
		return &no
	case code == 530 || code == 534 || code == 550:
		r := strings.ToLower(reply)
		for _, w := range []string{"tls", "ssl", "encrypt", "secure"} {
			if strings.Contains(r, w) {
				return &yes
			}
		}
	}
	return nil
}
