package tls

import (
	"fmt"
	"strings"

	"ecscan/checks"
)

// protocolRules: the old protocols fail when offered, with these severities.
var protocolRules = []struct {
	id  string
	v   Version
	sev checks.Severity
}{
	{"tls.protocol.sslv2", SSL20, checks.SevCritical},
	{"tls.protocol.sslv3", SSL30, checks.SevHigh},
	{"tls.protocol.tls10", TLS10, checks.SevMedium},
	{"tls.protocol.tls11", TLS11, checks.SevMedium},
}

func (e *evaluator) protocols() {
	en := e.obs.Enumeration
	for _, r := range protocolRules {
		on := en.Offered(r.v)
		title := checks.T(r.v.String()+"は無効", r.v.String()+" disabled")
		if on {
			title = checks.T(r.v.String()+"が有効", r.v.String()+" enabled")
		}
		e.add(verdict(r.id, on, r.sev, title, protocolDetail(en, r.v), evEnumeration))
	}
	f := checks.Finding{ID: "tls.protocol.tls12", Outcome: checks.Pass, Title: checks.T("TLS 1.2が有効", "TLS 1.2 enabled"),
		Detail: protocolDetail(en, TLS12), Evidence: []string{evEnumeration}}
	switch {
	case !en.Offered(TLS12) && en.Offered(TLS13):
		f.Outcome, f.Title = checks.Info, checks.T("TLS 1.2は無効（TLS 1.3のみ）", "TLS 1.2 disabled (TLS 1.3 only)")
	case !en.Offered(TLS12):
		f.Outcome, f.Severity = checks.Fail, checks.SevMedium
		f.Title = checks.T("TLS 1.2もTLS 1.3も使えない", "Neither TLS 1.2 nor TLS 1.3 available")
	}
	e.add(f)
	on := en.Offered(TLS13)
	title := checks.T("TLS 1.3が有効", "TLS 1.3 enabled")
	if !on {
		title = checks.T("TLS 1.3に未対応", "TLS 1.3 not supported")
	}
	e.add(verdict("tls.protocol.tls13", !on, checks.SevLow, title, protocolDetail(en, TLS13), evEnumeration))
}

// protocolDetail says how version v fared, telling a refusal, a hello answered with
// another version, and a version without a usable suite apart.
func protocolDetail(en *Enumeration, v Version) checks.Text {
	p := en.Protocol(v)
	switch {
	case p == nil:
		return checks.T(v.String()+"は試験していない。", v.String()+" was not tested.")
	case p.Offered:
		n := len(p.Suites)
		if v == SSL20 {
			return checks.T(fmt.Sprintf("SSLv2でハンドシェイクが成立した（暗号%d種）。", n), fmt.Sprintf("An SSLv2 handshake succeeded (%s).", plural(n, "cipher", "ciphers")))
		}
		return checks.T(fmt.Sprintf("%sでハンドシェイクが成立した（受け入れた暗号スイート%d種）。", v, n),
			fmt.Sprintf("A %s handshake succeeded (%s accepted).", v, plural(n, "cipher suite", "cipher suites")))
	case p.NoUsableSuite && v == SSL20:
		return checks.T("SSLv2は有効だが使える暗号がない。SSL Labsの基準（2009l、DROWN）では有効とみなす。",
			"SSLv2 is enabled but offers no usable cipher; the SSL Labs guide (2009l, DROWN) counts it as enabled.")
	case p.NoUsableSuite:
		return checks.T(v.String()+"には応答したが、使える暗号スイートがない（ハンドシェイク不成立）。",
			v.String()+" is answered but no cipher suite is usable (no handshake completes).")
	case p.AnsweredWith != 0:
		return checks.T(fmt.Sprintf("%sのClientHelloに%sで応答した（%sは使われない）。", v, p.AnsweredWith, v),
			fmt.Sprintf("A %s ClientHello was answered with %s (%s is not used).", v, p.AnsweredWith, v))
	}
	return checks.T(v.String()+"のClientHelloは拒否された。", "A "+v.String()+" ClientHello was refused.")
}

// cipherRules: classes of weak suites, each a finding that fails when the server accepts one.
var cipherRules = []struct {
	id     string
	sev    checks.Severity
	ja, en string
	match  func(Suite) bool
}{
	{"tls.cipher.export", checks.SevCritical, "輸出用（40/56ビット）暗号", "export-grade (40/56-bit) cipher suites", func(s Suite) bool { return s.Export }},
	{"tls.cipher.null", checks.SevCritical, "暗号化なし（NULL）の暗号", "NULL (unencrypted) cipher suites", func(s Suite) bool { return s.Null }},
	{"tls.cipher.anon", checks.SevHigh, "認証なし（匿名）の暗号", "anonymous (unauthenticated) cipher suites", func(s Suite) bool { return s.Anon }},
	{"tls.cipher.des", checks.SevHigh, "単一DES（56ビット）", "single DES (56-bit) cipher suites", func(s Suite) bool { return s.DES && !s.Export }},
	{"tls.cipher.rc4", checks.SevMedium, "RC4", "RC4 cipher suites", func(s Suite) bool { return s.RC4 }},
	{"tls.cipher.3des", checks.SevMedium, "64ビットブロック暗号（3DES、IDEA等、SWEET32）", "64-bit block ciphers (3DES, IDEA, …; SWEET32)",
		func(s Suite) bool { return s.Block64 && !s.DES && !s.Export }},
	{"tls.cipher.cbc", checks.SevLow, "CBCモードの暗号", "CBC-mode cipher suites", func(s Suite) bool { return s.CBC }},
}

func (e *evaluator) ciphers() {
	en := e.obs.Enumeration
	total := countSuites(en)
	for _, r := range cipherRules {
		list := suitesWhere(en, r.match)
		title := checks.T(r.ja+"を受け入れない", "No "+r.en+" accepted")
		detail := checks.T(fmt.Sprintf("受け入れた暗号スイート%d種に該当なし。", total),
			fmt.Sprintf("None of the %s accepted is one.", plural(total, "cipher suite", "cipher suites")))
		if list != "" {
			title = checks.T(r.ja+"を受け入れる", r.en+" accepted")
			detail = checks.T("受け入れた: "+list, "Accepted: "+list)
		}
		e.add(verdict(r.id, list != "", r.sev, title, detail, evEnumeration))
	}
}

func (e *evaluator) forwardSecrecy() {
	en := e.obs.Enumeration
	fs := func(s Suite) bool { return s.ForwardSecrecy }
	list := suitesWhere(en, fs)
	groups := groupList(en)
	switch {
	case list == "" && !en.Offered(TLS13):
		e.add(verdict("tls.forward-secrecy", true, checks.SevMedium, checks.T("前方秘匿性（PFS）のある暗号スイートがない", "No cipher suite with forward secrecy"),
			checks.T("受け入れた暗号スイートはすべてRSA鍵交換等で、秘密鍵が漏れると過去の通信も解読される。", "Every accepted suite uses RSA (or static) key exchange: a leaked private key decrypts past traffic."), evEnumeration))
		return
	}
	for _, v := range []Version{TLS12, TLS11, TLS10, SSL30} {
		p := en.Protocol(v)
		if p != nil && p.Offered && p.ServerOrder && p.Preferred != nil && !p.Preferred.ForwardSecrecy {
			e.add(verdict("tls.forward-secrecy", true, checks.SevLow, checks.T("前方秘匿性のない暗号スイートを優先", "Server prefers a suite without forward secrecy"),
				checks.T(fmt.Sprintf("%sでサーバが%sを優先する。", v, p.Preferred.Name), fmt.Sprintf("On %s the server prefers %s.", v, p.Preferred.Name)), evEnumeration))
			return
		}
	}
	e.add(verdict("tls.forward-secrecy", false, 0, checks.T("前方秘匿性（PFS）に対応", "Forward secrecy supported"),
		checks.T("鍵交換グループ: "+groups, "Key exchange groups: "+groups), evEnumeration))
}

// groupList names the groups and DH sizes the server accepts.
func groupList(en *Enumeration) string {
	var names []string
	seen := map[string]bool{}
	for _, p := range en.Protocols {
		for _, g := range p.Groups {
			if !seen[g.Name] {
				seen[g.Name] = true
				names = append(names, g.Name)
			}
		}
		if d := fmt.Sprintf("DHE %d bits", p.DHBits); p.DHBits > 0 && !seen[d] {
			seen[d] = true
			names = append(names, d)
		}
	}
	if len(names) == 0 {
		return "-"
	}
	return strings.Join(names, ", ")
}
