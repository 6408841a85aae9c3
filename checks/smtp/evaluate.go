package smtp

import (
	"fmt"
	"strings"
	"time"

	"ecscan/checks"
)

// Evidence IDs, one per dialogue.
const (
	evSession = "session"
	evRelay   = "relay"
	evEnum    = "enum"
)

// Evaluate judges one service's observation. It is pure: the same observation gives the
// same findings. A test that did not run (the server never greeted, the session ended
// first) gives no finding, or an Info finding when it ran without a conclusion; the
// Result's status says why.
func Evaluate(obs *Observation, now time.Time) []checks.Finding {
	_ = now // nothing here depends on the time yet; kept for the evaluation contract
	var out []checks.Finding
	if obs.Banner != nil && obs.Banner.Code != 0 {
		out = append(out, evalService(obs), evalVersion(obs))
	}
	if obs.Hello.OK() {
		out = append(out, evalStartTLS(obs), evalAuth(obs), evalSize(obs))
	}
	if obs.Relay != nil && len(obs.Relay.Forms) > 0 {
		out = append(out, evalRelay(obs))
		if f, ok := evalSpoofing(obs); ok {
			out = append(out, f)
		}
	}
	for _, e := range []*EnumResult{obs.VRFY, obs.EXPN} {
		if f, ok := evalEnum(e); ok {
			out = append(out, f)
		}
	}
	if f, ok := evalRcpt(obs); ok {
		out = append(out, f)
	}
	for i := range out {
		out[i].Check, out[i].Host, out[i].Addr, out[i].Port = "smtp", obs.Host, obs.Addr.String(), obs.Port
	}
	return out
}

func finding(id string, o checks.Outcome, sev checks.Severity, title, detail checks.Text, evidence ...string) checks.Finding {
	return checks.Finding{ID: id, Outcome: o, Severity: sev, Title: title, Detail: detail, Evidence: evidence}
}

// evalService states what the service is: banner, greeting and capabilities.
func evalService(obs *Observation) checks.Finding {
	what := "SMTP"
	if obs.Product != "" {
		what = strings.TrimSpace(obs.Product + " " + obs.Version)
	}
	ja := []string{"バナー: " + obs.Banner.String()}
	en := []string{"Banner: " + obs.Banner.String()}
	if obs.Hello != nil {
		if obs.Hello.EHLORefused != nil {
			ja = append(ja, "EHLOは拒否されました（"+obs.Hello.EHLORefused.String()+"）。HELOの応答: "+obs.Hello.Reply.String())
			en = append(en, "EHLO was refused ("+obs.Hello.EHLORefused.String()+"); HELO answered: "+obs.Hello.Reply.String())
		} else if len(obs.Hello.Capabilities.Extensions) > 0 {
			ja = append(ja, "EHLOの拡張: "+strings.Join(obs.Hello.Capabilities.Extensions, ", "))
			en = append(en, "EHLO extensions: "+strings.Join(obs.Hello.Capabilities.Extensions, ", "))
		}
	}
	if st := obs.StartTLS; st.Upgraded() && st.Hello.OK() {
		ja = append(ja, "STARTTLS後の拡張: "+strings.Join(st.Hello.Capabilities.Extensions, ", "))
		en = append(en, "Extensions after STARTTLS: "+strings.Join(st.Hello.Capabilities.Extensions, ", "))
	}
	return finding("smtp.service", checks.Info, 0,
		checks.T("SMTPサービス: "+what, "SMTP service: "+what),
		checks.T(strings.Join(ja, "\n"), strings.Join(en, "\n")), evSession)
}

// evalVersion fails (low) when the banner or greeting names the product and its version.
func evalVersion(obs *Observation) checks.Finding {
	const id = "smtp.version-disclosure"
	if obs.Product != "" && obs.Version != "" {
		return finding(id, checks.Fail, checks.SevLow,
			checks.T("SMTPサーバが製品名とバージョンを開示しています", "The SMTP server discloses its product and version"),
			checks.T(fmt.Sprintf("バナーまたはEHLO応答に %s %s とあります。既知の脆弱性を持つバージョンを探す手がかりになるため、バナーからバージョンを外してください（Postfix: smtpd_banner、Sendmail: SmtpGreetingMessage、Exim: smtp_banner）。", obs.Product, obs.Version),
				fmt.Sprintf("The banner or EHLO reply says %s %s, which helps an attacker pick known vulnerabilities. Leave the version out of the banner (Postfix smtpd_banner, Sendmail SmtpGreetingMessage, Exim smtp_banner).", obs.Product, obs.Version)), evSession)
	}
	ja, en := "バナーとEHLO応答に製品名もバージョンもありません。", "Neither the banner nor the EHLO reply names a product or version."
	if obs.Product != "" {
		ja = fmt.Sprintf("バナーは製品名（%s）を示しますが、バージョンは示しません。", obs.Product)
		en = fmt.Sprintf("The banner names the product (%s) but not its version.", obs.Product)
	}
	return finding(id, checks.Pass, 0,
		checks.T("SMTPサーバはバージョンを開示していません", "The SMTP server does not disclose its version"),
		checks.T(ja+"バナー: "+obs.Banner.String(), en+" Banner: "+obs.Banner.String()), evSession)
}

// evalStartTLS judges encryption of a cleartext session: STARTTLS offered and the upgrade
// done passes; not offered, refused or a failed handshake fails (medium). A service with
// TLS from the first byte passes.
func evalStartTLS(obs *Observation) checks.Finding {
	const id = "smtp.starttls"
	pass := func(ja, en string) checks.Finding {
		return finding(id, checks.Pass, 0, checks.T("SMTPの通信を暗号化できます", "SMTP sessions can be encrypted"), checks.T(ja, en), evSession)
	}
	fail := func(ja, en string) checks.Finding {
		return finding(id, checks.Fail, checks.SevMedium, checks.T("SMTPの通信を暗号化できません（STARTTLSなし）", "SMTP sessions cannot be encrypted (no STARTTLS)"),
			checks.T(ja+"メールの本文と認証情報が平文で流れます。", en+" Messages and credentials cross the network in clear."), evSession)
	}
	if obs.ImplicitTLS {
		return pass("接続の最初からTLSです"+tlsTextJA(obs.TLS)+"。", "The service speaks TLS from the first byte"+tlsText(obs.TLS)+".")
	}
	st := obs.StartTLS
	switch {
	case !obs.Hello.Capabilities.StartTLS:
		return fail("EHLO応答にSTARTTLSがありません。", "The EHLO reply does not offer STARTTLS.")
	case st == nil || st.Reply.Code != 220:
		rep := "（応答なし）"
		if st != nil {
			rep = st.Reply.String()
		}
		return fail("STARTTLSは提示されましたが、コマンドは拒否されました: "+rep, "STARTTLS is offered but the command was refused: "+strings.Replace(rep, "（応答なし）", "(no reply)", 1))
	case !st.Upgraded():
		return fail("STARTTLSは提示されましたが、TLSハンドシェイクに失敗しました: "+st.Error, "STARTTLS is offered but the TLS handshake failed: "+st.Error)
	}
	return pass("STARTTLSでTLSに切り替えました"+tlsTextJA(st.TLS)+"。証明書と暗号の評価はTLSチェックが行います。",
		"The session was upgraded with STARTTLS"+tlsText(st.TLS)+". The TLS check judges the certificate and ciphers.")
}

func tlsText(t *TLSInfo) string {
	if t == nil {
		return ""
	}
	return " (" + t.Version + ", " + t.Cipher + ")"
}

func tlsTextJA(t *TLSInfo) string {
	if t == nil {
		return ""
	}
	return "（" + t.Version + "、" + t.Cipher + "）"
}

// evalAuth fails (medium) when a cleartext session offers AUTH PLAIN or LOGIN before
// STARTTLS: a client would send the password in clear. AUTH offered only over TLS, only
// challenge-response mechanisms, or no AUTH at all pass.
func evalAuth(obs *Observation) checks.Finding {
	const id = "smtp.auth-plaintext"
	afterJA, afterEN := "", ""
	if st := obs.StartTLS; st.Upgraded() && st.Hello.OK() {
		m := strings.Join(st.Hello.Capabilities.Auth, " ")
		if m == "" {
			m = "-"
		}
		afterJA, afterEN = "STARTTLS後のAUTH: "+m+"。", " AUTH after STARTTLS: "+m+"."
	}
	first := obs.Hello.Capabilities
	if obs.ImplicitTLS {
		return finding(id, checks.Pass, 0, checks.T("認証情報はTLSで保護されます", "Credentials are protected by TLS"),
			checks.T("接続の最初からTLSのため、AUTH（"+orNone(first.Auth)+"）のパスワードは暗号化されて送られます。",
				"The service speaks TLS from the first byte, so AUTH ("+orNone(first.Auth)+") passwords travel encrypted."), evSession)
	}
	if plain := first.PlaintextAuth(); len(plain) > 0 {
		m := strings.Join(plain, " ")
		return finding(id, checks.Fail, checks.SevMedium,
			checks.T("暗号化前の平文の接続でパスワード認証（AUTH "+m+"）を提示しています", "Password authentication (AUTH "+m+") offered on a cleartext connection"),
			checks.T("STARTTLSの前のEHLO応答に AUTH "+strings.Join(first.Auth, " ")+" があり、利用者のパスワードが平文で送られ得ます。TLSの後にだけAUTHを提示してください（Postfix: smtpd_tls_auth_only = yes）。"+afterJA,
				"The EHLO reply before STARTTLS offers AUTH "+strings.Join(first.Auth, " ")+", so users' passwords may be sent in clear. Offer AUTH only after TLS (Postfix: smtpd_tls_auth_only = yes)."+afterEN), evSession)
	}
	ja, en := "STARTTLSの前のEHLO応答にAUTHはありません。", "The EHLO reply before STARTTLS offers no AUTH."
	if len(first.Auth) > 0 {
		ja = "STARTTLSの前に提示されるAUTHはチャレンジレスポンス方式だけです（" + strings.Join(first.Auth, " ") + "）。"
		en = "Before STARTTLS only challenge-response mechanisms are offered (" + strings.Join(first.Auth, " ") + ")."
	}
	return finding(id, checks.Pass, 0,
		checks.T("平文の接続でパスワード認証を提示していません", "No password authentication offered on the cleartext connection"),
		checks.T(ja+afterJA, en+afterEN), evSession)
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, " ")
}

// evalSize passes when EHLO announces a SIZE limit and fails (low) when it announces none
// (no SIZE, SIZE without a value, SIZE 0).
func evalSize(obs *Observation) checks.Finding {
	const id = "smtp.size-limit"
	c := obs.Capabilities()
	if c.SizeAdvertised && c.Size > 0 {
		return finding(id, checks.Pass, 0,
			checks.T("メール1通のサイズ上限があります", "A message size limit is announced"),
			checks.T("EHLO応答の SIZE "+describeSize(c.Size)+"。", "The EHLO reply announces SIZE "+describeSize(c.Size)+"."), evSession)
	}
	ja, en := "EHLO応答にSIZEがありません。", "The EHLO reply has no SIZE line."
	switch {
	case !c.ESMTP:
		ja, en = "サーバはEHLOを拒否しHELOだけを受け付けるため、サイズ上限を告知できません。", "The server refuses EHLO and speaks only HELO, so it cannot announce a size limit."
	case c.SizeAdvertised:
		ja, en = "EHLO応答のSIZEに上限値がありません（SIZE 0または値なし）。", "The EHLO reply's SIZE carries no limit (SIZE 0 or no value)."
	}
	return finding(id, checks.Fail, checks.SevLow,
		checks.T("メール1通のサイズ上限が告知されていません", "No message size limit is announced"),
		checks.T(ja+"上限がなければ巨大なメールでディスクや帯域を使い尽くされるおそれがあります（Postfix: message_size_limit）。サーバが告知せずに上限を設けている場合もあります。",
			en+" Without a limit, huge messages can exhaust disk and bandwidth (Postfix: message_size_limit). A server may enforce a limit it does not announce."), evSession)
}
