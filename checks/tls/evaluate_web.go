package tls

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"ecscan/checks"
)

// upgrade: whether a mail or FTP service can be used with TLS (tls.starttls for SMTP and
// FTP, tls.pop-imap for POP3 and IMAP, so that the POP/IMAP control of the questionnaire is
// not swayed by the SMTP servers).
func (e *evaluator) upgrade() {
	o := e.obs
	id := map[string]string{"smtp": "tls.starttls", "ftp": "tls.starttls", "pop3": "tls.pop-imap", "imap": "tls.pop-imap"}[o.Protocol]
	if id == "" {
		return
	}
	name := strings.ToUpper(o.Protocol)
	var f checks.Finding
	switch {
	case o.Mode == ModePlaintext:
		reply := ""
		if o.StartTLS != nil {
			reply = o.StartTLS.Error
		}
		f = verdict(id, true, checks.SevHigh, checks.T(name+"が平文のみ（TLSなし）", name+" in plaintext only (no TLS)"),
			checks.T("TLSへの切り替えを拒否した: "+reply, "The server refused to upgrade to TLS: "+reply), evStartTLS)
	case e.handshakeWorked():
		how := checks.T("STARTTLSでTLSに切り替えられる", "upgrade to TLS with STARTTLS works")
		if o.Mode == ModeImplicit {
			how = checks.T("接続の最初からTLS", "TLS from the first byte")
		}
		f = verdict(id, false, 0, checks.T(name+"でTLSが使える", name+" offers TLS"), how, evStartTLS, evHandshake)
	case o.StartTLS != nil && o.StartTLS.Upgraded || o.Mode == ModeImplicit && o.Handshake != nil:
		f = verdict(id, true, checks.SevHigh, checks.T(name+"のTLSが機能しない", name+" TLS does not work"),
			checks.T("TLSハンドシェイクが成立しない: "+o.Error, "No TLS handshake completes: "+o.Error), evStartTLS, evHandshake)
	default:
		return // the connection failed before the question could be asked: see the Status
	}
	e.add(f)
}

// web: tls.https for the host's primary web endpoint, tls.https-cert for every HTTPS
// endpoint, tls.hsts from the answer to GET /, tls.http-redirect from port 80.
func (e *evaluator) web() {
	o := e.obs
	if !o.Web {
		return
	}
	if o.PrimaryWeb {
		switch {
		case o.Mode == ModePlaintext:
			e.add(verdict("tls.https", true, checks.SevMedium, checks.T("HTTPSを提供していない", "No HTTPS"),
				checks.T(fmt.Sprintf("%sはHTTP（ポート%d）のみで、HTTPSのサービスがない。", o.Host, o.Port), fmt.Sprintf("%s serves HTTP (port %d) only, no HTTPS service.", o.Host, o.Port))))
		case e.handshakeWorked():
			e.add(verdict("tls.https", false, 0, checks.T("HTTPSを提供", "HTTPS served"),
				checks.T(fmt.Sprintf("ポート%dでTLSハンドシェイクが成立した。", o.Port), fmt.Sprintf("A TLS handshake on port %d succeeded.", o.Port)), evHandshake, evEnumeration))
		case o.Handshake != nil && o.Status != checks.StatusCanceled:
			e.add(verdict("tls.https", true, checks.SevMedium, checks.T("HTTPSのハンドシェイクが成立しない", "HTTPS handshake fails"),
				checks.T(o.Error, o.Error), evHandshake, evEnumeration))
		}
	}
	if ch := o.Chain; o.Mode == ModeImplicit && ch != nil && len(ch.Certs) > 0 {
		problems := certProblems(ch, e.now)
		grade := ""
		if e.grade != nil {
			grade = " Grade " + e.grade.Letter + " (" + GuideVersion + ")."
		}
		if len(problems) == 0 {
			e.add(verdict("tls.https-cert", false, 0, checks.T("HTTPSの証明書は有効", "HTTPS certificate valid"),
				checks.T("信頼でき、名前が一致し、有効期間内。"+grade, "Trusted, matching the name, within its validity."+grade), evChain, evGrade))
		} else {
			list := strings.Join(problems, "; ")
			e.add(verdict("tls.https-cert", true, checks.SevHigh, checks.T("HTTPSの証明書が無効", "HTTPS certificate not valid"),
				checks.T("問題: "+list+"。"+grade, "Problems: "+list+"."+grade), evChain, evGrade))
		}
	}
	e.hsts()
	e.redirect()
}

func (e *evaluator) hsts() {
	h := e.obs.HTTPS
	if h == nil || h.StatusCode == 0 {
		return // no answer to GET /: not tested (the evidence says why)
	}
	s := h.HSTS
	days := func(sec int64) int64 { return sec / 86400 }
	switch {
	case s == nil:
		e.add(verdict("tls.hsts", true, checks.SevMedium, checks.T("HSTSヘッダなし", "No HSTS header"),
			checks.T("GET / の応答にStrict-Transport-Securityがない。", "The answer to GET / has no Strict-Transport-Security header."), evHTTPS))
	case s.MaxAge <= 0:
		e.add(verdict("tls.hsts", true, checks.SevMedium, checks.T("HSTSが無効（max-ageが0または不正）", "HSTS disabled (max-age 0 or invalid)"),
			checks.T("ヘッダ: "+s.Header, "Header: "+s.Header), evHTTPS))
	default:
		extra := fmt.Sprintf("max-age=%d (%d days), includeSubDomains: %v, preload: %v", s.MaxAge, days(s.MaxAge), s.IncludeSubDomains, s.Preload)
		short := s.MaxAge < HSTSMinAge
		title := checks.T(fmt.Sprintf("HSTSあり（%d日）", days(s.MaxAge)), fmt.Sprintf("HSTS enabled (%d days)", days(s.MaxAge)))
		if short {
			title = checks.T(fmt.Sprintf("HSTSのmax-ageが短い（%d日、180日未満）", days(s.MaxAge)), fmt.Sprintf("HSTS max-age short (%d days, under 180)", days(s.MaxAge)))
		}
		e.add(verdict("tls.hsts", short, checks.SevLow, title, checks.T(extra, extra), evHTTPS))
	}
}

func (e *evaluator) redirect() {
	r := e.obs.Redirect
	if r == nil || r.StatusCode == 0 {
		return
	}
	f := verdict("tls.http-redirect", false, 0, checks.T("HTTPからHTTPSへリダイレクト", "HTTP redirects to HTTPS"),
		checks.T(fmt.Sprintf("%s → %d %s", r.URL, r.StatusCode, r.Location), fmt.Sprintf("%s → %d %s", r.URL, r.StatusCode, r.Location)), evRedirect)
	if !redirectsToHTTPS(r) {
		f = verdict("tls.http-redirect", true, checks.SevMedium, checks.T("HTTPがHTTPSへリダイレクトしない", "HTTP does not redirect to HTTPS"),
			f.Detail, evRedirect)
	}
	f.Port, f.Subject = r.Port, r.URL
	e.add(f)
}

// gradeFinding: the letter, passing for A+, A and A-.
func (e *evaluator) gradeFinding() {
	g := e.grade
	if g == nil {
		return
	}
	sev := map[string]checks.Severity{"B": checks.SevLow, "C": checks.SevMedium}[g.Letter]
	if rank(g.Letter) > rank("C") {
		sev = checks.SevHigh
	}
	letter := g.Letter
	if g.IfTrusted != "" {
		letter += " (" + g.IfTrusted + " if trusted)"
	}
	var rules []string
	for _, a := range g.Applied {
		rules = append(rules, a.Effect+": "+a.Reason)
	}
	detail := fmt.Sprintf("Score %d (protocol %d, key exchange %d, cipher %d); %s", g.Score, g.Protocol, g.KeyExchange, g.Cipher, GuideVersion)
	if len(rules) > 0 {
		detail += "; " + strings.Join(rules, "; ")
	}
	e.add(verdict("tls.grade", rank(g.Letter) > rank("A-"), sev, checks.T("TLS評価 "+letter, "TLS grade "+letter),
		checks.T(detail, detail), evGrade, evEnumeration, evChain))
}

// gradeInputOf takes what the grade needs from an observation.
func gradeInputOf(obs *Observation, now time.Time) GradeInput {
	in := GradeInput{Enumeration: obs.Enumeration, Web: obs.Web, HSTSMaxAge: -1}
	if obs.HTTPS != nil && obs.HTTPS.HSTS != nil {
		in.HSTSMaxAge = obs.HTTPS.HSTS.MaxAge
	}
	if ch := obs.Chain; ch != nil && len(ch.Certs) > 0 {
		leaf := ch.Certs[0]
		in.KeyType, in.KeyBits, in.RSAExp1 = leaf.KeyType, leaf.KeyBits, leaf.RSAExp1
		in.Untrusted, in.SelfSigned, in.NameMismatch = !ch.Trusted, leaf.SelfSigned, !ch.NameMatch
		in.Expired = expired(ch, now)
		for i, c := range ch.Certs {
			if i > 0 && c.SelfSigned {
				continue
			}
			switch sigWeakness(c.SigAlg) {
			case "SHA-1":
				in.SHA1Signature = true
			case "MD5", "MD2":
				in.MD5Signature = true
			}
		}
	}
	in.Revoked = obs.OCSP != nil && obs.OCSP.Status == "revoked" && obs.OCSP.ForLeaf
	in.SecureRenegotiation = secureRenegotiation(obs.Enumeration)
	return in
}

// secureRenegotiation reports whether the server's TLS 1.2-and-older hellos carried the
// renegotiation_info extension (RFC 5746); nil when no such version is offered.
func secureRenegotiation(en *Enumeration) *bool {
	seen, ri := false, false
	for _, v := range []Version{SSL30, TLS10, TLS11, TLS12} {
		if p := en.Protocol(v); p != nil && p.Offered {
			seen = true
			ri = ri || slices.Contains(p.Extensions, extRenegotiationInfo)
		}
	}
	if !seen {
		return nil
	}
	return &ri
}
