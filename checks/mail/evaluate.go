package mail

import (
	"fmt"
	"strings"
	"time"

	"ecscan/checks"
)

// evDialogue is the one evidence item of an endpoint: its dialogue.
const evDialogue = "dialogue"

// Evaluate turns an observation into findings (see the package doc for the rules). It is
// pure: the same observation gives the same findings.
func Evaluate(o *Observation, now time.Time) []checks.Finding {
	_ = now // the rules do not depend on time
	var out []checks.Finding
	add := func(f *checks.Finding) {
		if f == nil {
			return
		}
		f.Host, f.Addr, f.Port, f.Subject = o.Host, o.Addr.String(), o.Port, fmt.Sprintf("tcp/%d", o.Port)
		f.Evidence = []string{evDialogue}
		if f.Outcome != checks.Fail {
			f.Severity = checks.SevInfo
		}
		out = append(out, *f)
	}
	add(plaintextFinding(o))
	add(startTLSFinding(o))
	add(apopFinding(o))
	add(versionFinding(o))
	return out
}

// label names the endpoint: "imap tcp/143", "pop3s tcp/995".
func (o *Observation) label() string {
	p := o.Protocol
	if o.ImplicitTLS {
		p += "s"
	}
	return fmt.Sprintf("%s tcp/%d", p, o.Port)
}

func (o *Observation) upgradeCommand() string {
	if o.Protocol == "pop3" {
		return "STLS"
	}
	return "STARTTLS"
}

// plaintextFinding: mail.plaintext-auth.
func plaintextFinding(o *Observation) *checks.Finding {
	f := &checks.Finding{ID: "mail.plaintext-auth"}
	if o.ImplicitTLS {
		if o.TLS == nil || o.TLS.Error != "" || !o.Greeted {
			return nil
		}
		f.Outcome = checks.Pass
		f.Title = checks.T("最初からTLSで接続するため認証情報は暗号化されます: "+o.label(), "TLS from the first byte, credentials are encrypted: "+o.label())
		f.Detail = checks.T(
			fmt.Sprintf("接続直後にTLSハンドシェイクが成立し（%s）、認証を含むすべてのやり取りが暗号化されます。", o.TLS.Version),
			fmt.Sprintf("The TLS handshake completes as soon as the connection opens (%s), so everything, authentication included, is encrypted.", o.TLS.Version))
		return f
	}
	allowed, known, ways := o.Plaintext()
	switch {
	case !known:
		return nil
	case o.PreAuth:
		f.Outcome, f.Severity = checks.Fail, checks.SevHigh
		f.Title = checks.T("認証なしでIMAPセッションが開始されます（PREAUTH）: "+o.label(), "IMAP session pre-authenticated without credentials (PREAUTH): "+o.label())
		f.Detail = checks.T(
			"挨拶が PREAUTH で、利用者の認証を経ずにログイン済みの状態になっています。外部から到達できるサーバではこの設定をやめ、認証を必須にしてください。",
			"The greeting is PREAUTH: the session is logged in without any authentication. A server reachable from outside must require authentication.")
	case allowed:
		f.Outcome, f.Severity = checks.Fail, checks.SevMedium
		w := strings.Join(ways, ", ")
		f.Title = checks.T("TLS開始前の平文の接続でパスワード認証を受け付けます: "+o.label(), "Password authentication accepted in clear before TLS: "+o.label())
		f.Detail = checks.T(
			"暗号化されていない接続で、パスワードをそのまま送る認証方式（"+w+"）が利用可能と広告されています。利用者のパスワードが盗聴される恐れがあります。TLS（"+o.upgradeCommand()+" または暗号化ポート）の後でのみ認証を許可してください（Dovecot: disable_plaintext_auth = yes、2.4 以降は auth_allow_cleartext = no）。ログインは試していません。",
			"On the unencrypted connection the server advertises authentication that sends the password itself ("+w+"), so users' passwords can be sniffed. Allow authentication only after TLS ("+o.upgradeCommand()+" or the encrypted port) — Dovecot: disable_plaintext_auth = yes, auth_allow_cleartext = no from 2.4. No login was attempted.")
	default:
		f.Outcome = checks.Pass
		f.Title = checks.T("TLS開始前の平文の接続ではパスワード認証を受け付けません: "+o.label(), "No password authentication in clear before TLS: "+o.label())
		f.Detail = checks.T(
			"暗号化されていない接続では、パスワードをそのまま送る認証方式が広告されていません（"+refusalJA(o)+"）。これはスキャンの送信元アドレスから見た結果です。サーバは内部ネットワークからの接続を信頼して平文の認証を許すことがあります。",
			"On the unencrypted connection no authentication that sends the password itself is advertised ("+refusalEN(o)+"). This is what the scan's source address sees; servers may trust internal networks and allow cleartext authentication from them.")
	}
	return f
}

func refusalJA(o *Observation) string {
	switch {
	case o.UserProbe != nil:
		return "USER への応答: " + o.UserProbe.Reply
	case o.Protocol == "imap":
		return "LOGINDISABLED あり、AUTH=PLAIN/LOGIN なし"
	}
	return "USER なし、SASL PLAIN/LOGIN なし"
}

func refusalEN(o *Observation) string {
	switch {
	case o.UserProbe != nil:
		return "answer to USER: " + o.UserProbe.Reply
	case o.Protocol == "imap":
		return "LOGINDISABLED present, no AUTH=PLAIN/LOGIN"
	}
	return "no USER, no SASL PLAIN/LOGIN"
}

// apopFinding: mail.apop, a fact.
func apopFinding(o *Observation) *checks.Finding {
	if o.Protocol != "pop3" || o.APOP == "" {
		return nil
	}
	return &checks.Finding{
		ID: "mail.apop", Outcome: checks.Info,
		Title: checks.T("APOP認証が提供されています: "+o.label(), "APOP authentication offered: "+o.label()),
		Detail: checks.T(
			"挨拶にAPOP用のタイムスタンプ "+o.APOP+" があり、パスワードを送らないチャレンジ・レスポンス認証（APOP）が使えます。ただしAPOPはMD5に基づき、現在では安全とはいえません。TLS上での認証を推奨します。",
			"The greeting carries an APOP timestamp "+o.APOP+": challenge-response authentication (APOP), which does not send the password, is available. APOP rests on MD5 and is no longer considered safe; authentication over TLS is preferable."),
	}
}

// versionFinding: mail.version-disclosure.
func versionFinding(o *Observation) *checks.Finding {
	if !o.Greeted {
		return nil
	}
	f := &checks.Finding{ID: "mail.version-disclosure"}
	if o.Version != "" {
		what := strings.TrimSpace(o.Product + " " + o.Version)
		f.Outcome, f.Severity = checks.Fail, checks.SevLow
		f.Title = checks.T("ソフトウェアのバージョンが表示されています: "+o.label()+" ("+what+")", "Software version disclosed: "+o.label()+" ("+what+")")
		f.Detail = checks.T(
			"表示箇所: "+o.From+"。製品名とバージョンは既知の脆弱性を狙う攻撃の手がかりになります。挨拶や応答からバージョンを外してください。",
			"Shown in: "+o.From+". A product and version point attackers to known vulnerabilities; remove the version from the greeting and replies.")
		return f
	}
	f.Outcome = checks.Pass
	f.Title = checks.T("バージョンは表示されていません: "+o.label(), "No version disclosed: "+o.label())
	named := checks.T("製品名も表示されていません。", "No product is named either.")
	if o.Product != "" {
		named = checks.T("製品名 "+o.Product+" は表示されています（"+o.From+"）。", "The product "+o.Product+" is named ("+o.From+").")
	}
	f.Detail = checks.T("挨拶と応答にバージョンは含まれていませんでした。"+named.JA, "The greeting and replies carry no version. "+named.EN)
	return f
}

// startTLSFinding: mail.starttls, on cleartext endpoints.
func startTLSFinding(o *Observation) *checks.Finding {
	st := o.StartTLS
	if o.ImplicitTLS || st == nil {
		return nil
	}
	cmd := o.upgradeCommand()
	f := &checks.Finding{ID: "mail.starttls"}
	switch {
	case st.Upgraded():
		f.Outcome = checks.Pass
		f.Title = checks.T(cmd+"でTLSに切り替えられます: "+o.label(), cmd+" offered and the upgrade to TLS works: "+o.label())
		f.Detail = checks.T(
			fmt.Sprintf("%s を送りTLSハンドシェイクが成立しました（%s、%s）。", cmd, st.Handshake.Version, st.Handshake.Cipher),
			fmt.Sprintf("%s was accepted and the TLS handshake completed (%s, %s).", cmd, st.Handshake.Version, st.Handshake.Cipher))
		if st.Injected > 0 {
			f.Detail.JA += fmt.Sprintf(" なお、サーバは応答の後、ハンドシェイクの前に %d バイトを送ってきました（破棄しました）。", st.Injected)
			f.Detail.EN += fmt.Sprintf(" The server sent %d bytes after its answer, before the handshake (discarded).", st.Injected)
		}
	case st.Accepted:
		f.Outcome, f.Severity = checks.Fail, checks.SevMedium
		f.Title = checks.T(cmd+"は受け付けられましたがTLSハンドシェイクに失敗しました: "+o.label(), cmd+" accepted but the TLS handshake failed: "+o.label())
		f.Detail = checks.T("ハンドシェイクのエラー: "+st.Handshake.Error+"。利用者は暗号化された接続に切り替えられません。", "Handshake error: "+st.Handshake.Error+". Clients cannot switch to an encrypted connection.")
	default:
		allowed, _, _ := o.Plaintext()
		f.Outcome, f.Severity = checks.Fail, checks.SevLow
		if allowed {
			f.Severity = checks.SevMedium
		}
		why := checks.T("能力一覧に "+cmd+" がありません", "the capabilities do not list "+cmd)
		if st.Tried {
			why = checks.T(cmd+" への応答: "+st.Reply, "answer to "+cmd+": "+st.Reply)
		}
		f.Title = checks.T(cmd+"でTLSに切り替えられません: "+o.label(), "No upgrade to TLS with "+cmd+": "+o.label())
		f.Detail = checks.T(
			"このポートの通信は暗号化できません（"+why.JA+"）。"+cmd+" を有効にするか、暗号化ポート（POP3S 995、IMAPS 993）だけを公開してください。平文でのパスワード認証を受け付けている場合は重大度を中としています。",
			"Traffic on this port cannot be encrypted ("+why.EN+"). Enable "+cmd+", or expose only the encrypted ports (POP3S 995, IMAPS 993). The severity is medium when the port also accepts passwords in clear.")
	}
	return f
}
