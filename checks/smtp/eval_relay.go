package smtp

import (
	"fmt"
	"strings"

	"ecscan/checks"
)

// evalRelay fails (critical) when the server accepted any relay form; passes when every
// form was refused permanently (5xx at MAIL or RCPT); otherwise (4xx, a session that ended
// before every form was tried) it is a fact without a conclusion.
func evalRelay(obs *Observation) checks.Finding {
	const id = "smtp.open-relay"
	rel := obs.Relay
	forms := formList(rel.Forms)
	if acc := rel.Accepted(); len(acc) > 0 {
		ja := fmt.Sprintf("認証していない外部のクライアントから、外部の送信者・外部の宛先への中継を %d/%d 通りの書き方で受け付けました（RCPTで停止し、送信はしていません）:\n%s", len(acc), len(rel.Forms), formList(acc))
		en := fmt.Sprintf("From a client that did not authenticate, the server accepted %d of %d ways of relaying mail from outside to outside (the test stopped at RCPT; nothing was sent):\n%s", len(acc), len(rel.Forms), formList(acc))
		if onlyTricks(acc) {
			ja += "\n受け付けたのは経路指定を含む宛先だけです。サーバが宛先をローカルとして受け取り、後で不達通知を返す場合もあります。テストメール（--smtp-relay-test-to）で確認できます。"
			en += "\nOnly recipients with routing syntax were accepted; the server may take them as local addresses and bounce them later. A test message (--smtp-relay-test-to) confirms it."
		}
		mja, men := messageText(rel.Message)
		note := obs.Origin.Note()
		return finding(id, checks.Fail, checks.SevCritical,
			checks.T("オープンリレー: 外部から外部へのメール中継を受け付けます", "Open relay: the server relays mail from outside to outside"),
			checks.T(ja+mja+"\n"+note.JA+"\n中継は自ドメイン宛てと、認証した利用者（SMTP AUTH）の送信に限ってください。",
				en+men+"\n"+note.EN+"\nRelay only mail to your own domains and mail from authenticated users (SMTP AUTH)."), evRelay)
	}
	if len(rel.with(Refused)) == len(rel.Forms) {
		o := originFacts(obs.Origin)
		return finding(id, checks.Pass, 0,
			checks.T("外部から外部へのメール中継は拒否されました", "Relaying from outside to outside was refused"),
			checks.T(fmt.Sprintf("%d通りの書き方をすべて拒否しました%s:\n%s", len(rel.Forms), o.JA, forms),
				fmt.Sprintf("All %d ways of relaying were refused%s:\n%s", len(rel.Forms), o.EN, forms)), evRelay)
	}
	return finding(id, checks.Info, 0,
		checks.T("中継の可否を判定できませんでした", "Relaying could not be decided"),
		checks.T("受け付けた書き方はありませんが、すべてが恒久的に拒否されたわけではありません（一時エラー、または試験の途中で接続が終了）:\n"+forms,
			"No form was accepted, but not every form was refused permanently (a temporary error, or the session ended before the end of the test):\n"+forms), evRelay)
}

// evalSpoofing judges the own-domain sender form: an unauthenticated client that may send
// as the site's own domain to an outside recipient fails (high); a refusal passes.
func evalSpoofing(obs *Observation) (checks.Finding, bool) {
	const id = "smtp.sender-spoofing"
	f := obs.Relay.Form(FormOwnDomain)
	if f == nil {
		return checks.Finding{}, false
	}
	_, own, _ := strings.Cut(f.From, "@")
	line := formLine(*f)
	switch f.Outcome {
	case Accepted:
		note := obs.Origin.Note()
		return finding(id, checks.Fail, checks.SevHigh,
			checks.T("認証なしで自ドメイン（"+own+"）を名乗って外部へ送信できます", "Anyone can send as "+own+" to outside recipients without authenticating"),
			checks.T("認証していないクライアントが自ドメインの送信者で外部の宛先を指定し、受け付けられました:\n"+line+"\n"+note.JA+"\n外部宛ての送信はSMTP AUTH等で利用者を確認してから許可してください。",
				"A client that did not authenticate gave a sender in the site's own domain and an outside recipient, and was accepted:\n"+line+"\n"+note.EN+"\nAllow mail to outside recipients only after identifying the user (SMTP AUTH or similar)."), evRelay), true
	case Refused:
		return finding(id, checks.Pass, 0,
			checks.T("認証なしの自ドメイン名義での外部送信は拒否されました", "Sending as "+own+" without authenticating was refused"),
			checks.T("認証していないクライアントが自ドメインの送信者で外部の宛先を指定し、拒否されました:\n"+line,
				"A client that did not authenticate gave a sender in the site's own domain and an outside recipient, and was refused:\n"+line), evRelay), true
	}
	return finding(id, checks.Info, 0,
		checks.T("自ドメイン名義の送信制限を判定できませんでした", "The sender restriction could not be decided"),
		checks.T("結果: "+line, "Outcome: "+line), evRelay), true
}

// formLine writes one form's commands and the reply that decided it.
func formLine(f FormResult) string {
	out := f.Outcome
	if r := f.Reply(); r != nil && r.Code != 0 {
		out = r.String()
	}
	if f.Error != "" {
		out += " (" + f.Error + ")"
	}
	return fmt.Sprintf("- %s: %s → %s", f.ID, f.label(), out)
}

func formList(fs []FormResult) string {
	lines := make([]string, len(fs))
	for i, f := range fs {
		lines[i] = formLine(f)
	}
	return strings.Join(lines, "\n")
}

func onlyTricks(fs []FormResult) bool {
	for _, f := range fs {
		if !f.Trick {
			return false
		}
	}
	return true
}

// messageText describes the test message, when one was tried.
func messageText(m *RelayMessage) (ja, en string) {
	if m == nil {
		return "", ""
	}
	if m.Queued {
		return fmt.Sprintf("\n%s 宛てのテストメール（件名「%s」）は配送のため受け付けられました（%s）。届いたか確認してください。", m.To, TestSubject, m.Final),
			fmt.Sprintf("\nThe test message to %s (subject %q) was accepted for delivery (%s): check that it arrived.", m.To, TestSubject, m.Final)
	}
	why := "(no reply)"
	for _, r := range []*Reply{m.Final, m.Data, m.Rcpt, m.Mail} {
		if r != nil && r.Code != 0 {
			why = r.String()
			break
		}
	}
	if m.Error != "" {
		why += " (" + m.Error + ")"
	}
	return fmt.Sprintf("\n%s 宛てのテストメールは受け付けられませんでした: %s", m.To, why),
		fmt.Sprintf("\nThe test message to %s was not accepted: %s", m.To, why)
}

// originFacts names the source of a test that passed.
func originFacts(o *Origin) checks.Text {
	if o == nil || !o.Source.IsValid() {
		return checks.T("", "")
	}
	return checks.T(fmt.Sprintf("（送信元 %s）", o.Source), fmt.Sprintf(" (tested from %s)", o.Source))
}
