package tls

import (
	"fmt"
	"strings"
	"time"

	"ecscan/checks"
)

// certificate: the leaf's dates, trust, name, self-signature, key and the chain's
// signatures.
func (e *evaluator) certificate() {
	ch := e.obs.Chain
	if ch == nil || len(ch.Certs) == 0 {
		return
	}
	leaf := ch.Certs[0]
	e.expiry(leaf, ch)
	title := checks.T("証明書チェーンは信頼できる", "Certificate chain trusted")
	detail := checks.T("発行者: "+leaf.Issuer, "Issuer: "+leaf.Issuer)
	if !ch.Trusted {
		title = checks.T("証明書チェーンが信頼できない", "Certificate chain not trusted")
		detail = checks.T("理由: "+ch.TrustError, "Reason: "+ch.TrustError)
	}
	e.add(verdict("tls.cert.untrusted", !ch.Trusted, checks.SevHigh, title, detail, evChain))

	names := strings.Join(append(append([]string{}, leaf.DNSNames...), leaf.IPs...), ", ")
	title = checks.T("証明書がホスト名に一致", "Certificate matches the host name")
	if !ch.NameMatch {
		title = checks.T("証明書がホスト名に一致しない", "Certificate does not match the host name")
	}
	e.add(verdict("tls.cert.name-mismatch", !ch.NameMatch, checks.SevHigh, title,
		checks.T(fmt.Sprintf("ホスト名 %s、証明書の名前: %s", e.obs.Host, names), fmt.Sprintf("Host %s; names in the certificate: %s", e.obs.Host, names)), evChain))

	title = checks.T("自己署名証明書ではない", "Not a self-signed certificate")
	if leaf.SelfSigned {
		title = checks.T("自己署名証明書", "Self-signed certificate")
	}
	e.add(verdict("tls.cert.self-signed", leaf.SelfSigned, checks.SevMedium, title, checks.T("主体者: "+leaf.Subject, "Subject: "+leaf.Subject), evChain))
	e.weakKey(leaf)
	e.weakSignature(ch)
}

// expiry: tls.cert.expired (outside its validity, or a served certificate above it) and
// tls.cert.expiring (fewer days left than the policy's warning).
func (e *evaluator) expiry(leaf CertInfo, ch *Chain) {
	days := int(leaf.NotAfter.Sub(e.now).Hours() / 24)
	until := leaf.NotAfter.UTC().Format(time.DateOnly)
	var why checks.Text
	switch {
	case e.now.After(leaf.NotAfter):
		why = checks.T(fmt.Sprintf("%sに期限切れ（%d日経過）。", until, -days), fmt.Sprintf("Expired on %s (%d days ago).", until, -days))
	case e.now.Before(leaf.NotBefore):
		from := leaf.NotBefore.UTC().Format(time.DateOnly)
		why = checks.T(from+"まで有効にならない。", "Not valid before "+from+".")
	case ch.ChainExpired != "":
		why = checks.T("チェーン内の証明書が有効期間外: "+ch.ChainExpired, "A certificate of the chain is outside its validity: "+ch.ChainExpired)
	}
	if why.EN != "" {
		e.add(verdict("tls.cert.expired", true, checks.SevHigh, checks.T("証明書が有効期間外", "Certificate expired or not yet valid"), why, evChain))
		return
	}
	e.add(verdict("tls.cert.expired", false, 0, checks.T("証明書は有効期間内", "Certificate within its validity"),
		checks.T(until+"まで有効。", "Valid until "+until+"."), evChain))
	left := leaf.NotAfter.Sub(e.now)
	warn := int(e.p.ExpiryWarning.Hours() / 24)
	title := checks.T(fmt.Sprintf("証明書の残り有効期間%d日", days), fmt.Sprintf("Certificate valid for %d more days", days))
	detail := checks.T(fmt.Sprintf("%sまで（警告の閾値%d日）。", until, warn), fmt.Sprintf("Until %s (warning threshold %d days).", until, warn))
	e.add(verdict("tls.cert.expiring", left < e.p.ExpiryWarning, checks.SevMedium, title, detail, evChain))
}

// weakKey: RSA and DSA keys below 2048 bits (below 1024: high), EC keys below 256 bits, and
// an RSA public exponent of 1.
func (e *evaluator) weakKey(leaf CertInfo) {
	desc := fmt.Sprintf("%s %d bits", leaf.KeyType, leaf.KeyBits)
	sev := checks.SevInfo
	switch {
	case leaf.RSAExp1:
		sev, desc = checks.SevHigh, desc+", public exponent 1"
	case (leaf.KeyType == "RSA" || leaf.KeyType == "DSA") && leaf.KeyBits < 1024:
		sev = checks.SevHigh
	case (leaf.KeyType == "RSA" || leaf.KeyType == "DSA") && leaf.KeyBits < 2048, leaf.KeyType == "EC" && leaf.KeyBits < 256:
		sev = checks.SevMedium
	}
	title := checks.T("証明書の鍵は十分な強度: "+desc, "Certificate key strong enough: "+desc)
	if sev > checks.SevInfo {
		title = checks.T("証明書の鍵が弱い: "+desc, "Weak certificate key: "+desc)
	}
	e.add(verdict("tls.cert.weak-key", sev > checks.SevInfo, sev, title,
		checks.T("RSAは2048ビット以上、楕円曲線は256ビット以上が必要。", "RSA needs 2048 bits or more, elliptic curves 256 bits or more."), evChain))
}

// weakSignature: SHA-1 (medium) or MD5/MD2 (high) signatures on the served certificates,
// a self-signed root at the end excepted (its signature is never checked).
func (e *evaluator) weakSignature(ch *Chain) {
	var weak []string
	sev := checks.SevInfo
	for i, c := range ch.Certs {
		if i > 0 && c.SelfSigned {
			continue
		}
		switch w := sigWeakness(c.SigAlg); w {
		case "MD5", "MD2":
			weak, sev = append(weak, c.Subject+": "+c.SigAlg), checks.SevHigh
		case "SHA-1":
			weak, sev = append(weak, c.Subject+": "+c.SigAlg), max(sev, checks.SevMedium)
		}
	}
	if len(weak) == 0 {
		e.add(verdict("tls.cert.weak-signature", false, 0, checks.T("証明書の署名アルゴリズムは安全", "Certificate signatures use secure algorithms"),
			checks.T("署名: "+ch.Certs[0].SigAlg, "Signature: "+ch.Certs[0].SigAlg), evChain))
		return
	}
	list := strings.Join(weak, "; ")
	e.add(verdict("tls.cert.weak-signature", true, sev, checks.T("弱い署名アルゴリズム（SHA-1/MD5）", "Weak signature algorithm (SHA-1/MD5)"),
		checks.T(list, list), evChain))
}

// ocsp: whether the server staples a good OCSP response for its leaf.
func (e *evaluator) ocsp() {
	st := e.obs.OCSP
	if st == nil {
		return
	}
	f := verdict("tls.ocsp-stapling", true, checks.SevLow, checks.T("OCSPステープリングなし", "No OCSP stapling"),
		checks.T("ハンドシェイクにOCSP応答が添付されていない。", "The handshake carried no OCSP response."), evHandshake)
	switch {
	case !st.Present:
	case st.Status == "revoked":
		f.Severity, f.Title = checks.SevHigh, checks.T("OCSP応答: 証明書は失効", "OCSP response: certificate revoked")
		f.Detail = checks.T("添付されたOCSP応答が証明書の失効を示す。", "The stapled OCSP response says the certificate is revoked.")
	case st.Status == "good" && st.ForLeaf:
		f = verdict("tls.ocsp-stapling", false, 0, checks.T("OCSPステープリングあり（有効）", "OCSP stapling: good"),
			checks.T(fmt.Sprintf("証明書に対する応答、発行者の署名確認: %v。", st.Verified), fmt.Sprintf("Response for the leaf; signed by its issuer: %v.", st.Verified)), evHandshake)
	default:
		f.Title = checks.T("OCSP応答が使えない", "Stapled OCSP response not usable")
		f.Detail = checks.T(fmt.Sprintf("状態 %s、証明書に対する応答: %v %s", st.Status, st.ForLeaf, st.Error),
			fmt.Sprintf("Status %s, for the leaf: %v %s", st.Status, st.ForLeaf, st.Error))
	}
	e.add(f)
}

// certProblems lists what makes the chain invalid for a browser: untrusted, name, dates.
func certProblems(ch *Chain, now time.Time) []string {
	var out []string
	if !ch.Trusted {
		out = append(out, "not trusted ("+ch.TrustError+")")
	}
	if !ch.NameMatch {
		out = append(out, "name mismatch")
	}
	if expired(ch, now) {
		out = append(out, "expired or not yet valid")
	}
	return out
}

func expired(ch *Chain, now time.Time) bool {
	leaf := ch.Certs[0]
	return now.After(leaf.NotAfter) || now.Before(leaf.NotBefore) || ch.ChainExpired != ""
}
