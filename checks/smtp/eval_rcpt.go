package smtp

import (
	"fmt"
	"slices"
	"strings"

	"ecscan/checks"
)

// Verdicts of the RCPT TO test.
const (
	rcptTellsApart   = "tells-apart"   // a likely name other than postmaster/abuse accepted, the control refused as an unknown user
	rcptAcceptsAll   = "accepts-all"   // the control accepted: the replies say nothing about users
	rcptRefusedAlike = "refused-alike" // every likely name other than postmaster/abuse refused, like the control
	rcptNotTested    = "not-tested"    // MAIL or the recipients refused for who asks (relay, policy, authentication, TLS)
	rcptUndecided    = "undecided"     // temporary errors, no reply, the session ended
)

// rcptVerdict judges the RCPT TO test by comparing the likely names' replies with the
// control's. Only a definite "unknown user" to the control makes the comparison mean
// anything; postmaster and abuse, which every domain must accept, are left out of it.
func rcptVerdict(res *RcptResult) string {
	if res == nil || res.Mail == nil {
		return rcptUndecided
	}
	if !res.Mail.Positive() {
		if res.Mail.Class() == 5 {
			return rcptNotTested
		}
		return rcptUndecided
	}
	if res.Control == nil {
		// the names ended early: a refusal of the command itself (530, 503, …) or the session
		if n := len(res.Likely); n > 0 && ClassifyRcpt(res.Likely[n-1].Reply) == AnswerRefused {
			return rcptNotTested
		}
		return rcptUndecided
	}
	switch ClassifyRcpt(res.Control.Reply) {
	case AnswerPositive:
		return rcptAcceptsAll
	case AnswerRefused:
		return rcptNotTested
	case AnswerUnknownUser:
	default:
		return rcptUndecided
	}
	asked, refused := 0, 0
	for _, t := range res.Likely {
		if slices.Contains(roleNames, t.Name) {
			continue
		}
		asked++
		switch ClassifyRcpt(t.Reply) {
		case AnswerPositive:
			return rcptTellsApart
		case AnswerUnknownUser, AnswerRefused:
			refused++
		}
	}
	if asked > 0 && refused == asked {
		return rcptRefusedAlike
	}
	return rcptUndecided
}

// evalRcpt turns the verdict into smtp.rcpt-enum: a likely name accepted while the control
// is refused as unknown fails (low, as VRFY); refusing the likely names like the control, or
// accepting the control too, passes; the rest is a fact. No finding when the test did not
// get to MAIL (the Result's status says why) or was not run (no domain known).
func evalRcpt(obs *Observation) (checks.Finding, bool) {
	const id = "smtp.rcpt-enum"
	res := obs.RCPT
	if res == nil || res.Mail == nil {
		return checks.Finding{}, false
	}
	answers := rcptAnswers(res)
	roles := checks.T("postmasterとabuseはすべてのドメインに必要な宛先のため、判定には使っていません。",
		"postmaster and abuse, which every domain must accept, are not counted.")
	switch rcptVerdict(res) {
	case rcptTellsApart:
		names := strings.Join(acceptedNames(res), ", ")
		return finding(id, checks.Fail, checks.SevLow,
			checks.T("RCPT TOで利用者の有無がわかります", "RCPT TO tells which users exist"),
			checks.T(fmt.Sprintf("外部の送信者から %s 宛てに試したところ、よくある名前（%s）は受け付け、存在しない名前は「利用者不明」として拒否しました。応答の違いから、名前を順に試して利用者を調べられます（nmapのsmtp-enum-users等）。%s存在しない宛先をRCPTで拒否すること自体は、受け付けた後で不達通知を返すより望ましい動作です。外部から受け付ける宛先を必要なものに絞り（rootのような管理用の名前を外部に公開しない）、拒否が続くクライアントを制限してください（Postfix: smtpd_hard_error_limit、smtpd_client_recipient_rate_limit、postscreen）。\n%s", res.Domain, names, roles.JA, answers),
				fmt.Sprintf("From an outside sender to %s, likely names (%s) were accepted while a name nobody has was refused as an unknown user: the difference lets anyone try names one after another and learn which users exist (nmap's smtp-enum-users). %s Refusing unknown recipients at RCPT is in itself better than accepting them and bouncing later: accept from outside only the addresses that need mail from outside (do not expose administrative names such as root), and limit clients that keep getting refusals (Postfix smtpd_hard_error_limit, smtpd_client_recipient_rate_limit, postscreen).\n%s", res.Domain, names, roles.EN, answers)), evEnum), true
	case rcptAcceptsAll:
		ja, en := "", ""
		if o := obs.Origin; o != nil && o.MayBeTrusted {
			ja = fmt.Sprintf("試験の送信元 %s はサーバがローカルとして信頼している可能性があり、インターネットからの接続には存在しない宛先を拒否するかもしれません。\n", o.Source)
			en = fmt.Sprintf("The tests came from %s, which the server may trust as local: from the Internet it may refuse unknown recipients.\n", o.Source)
		}
		return finding(id, checks.Pass, 0,
			checks.T("RCPT TOは存在しない名前も受け付けます（利用者を判別できません）", "RCPT TO accepts a name nobody has: users are not told apart"),
			checks.T(fmt.Sprintf("%s 宛ての存在しない名前も受け付けたため、RCPTの応答から利用者の有無はわかりません。受け付けた宛先を後で不達にする場合、不達通知は詐称された送信者に返ります（バックスキャッタ）。\n%s%s", res.Domain, ja, answers),
				fmt.Sprintf("A name nobody has at %s was accepted too, so the replies to RCPT tell nothing about users. Recipients accepted and bounced later send the bounce to a sender that may be forged (backscatter).\n%s%s", res.Domain, en, answers)), evEnum), true
	case rcptRefusedAlike:
		return finding(id, checks.Pass, 0,
			checks.T("RCPT TOはよくある名前を存在しない名前と同じく拒否しました", "RCPT TO refuses likely names like a name nobody has"),
			checks.T(fmt.Sprintf("%s 宛てのよくある名前は存在しない名前と同じく拒否され、試した名前からは利用者の有無はわかりませんでした。%s実在する宛先は受け付けるため、ほかの名前を試せば利用者を判別できる可能性は残ります。\n%s", res.Domain, roles.JA, answers),
				fmt.Sprintf("Likely names at %s were refused like a name nobody has, so the names tried told no user apart. %s The server accepts its real addresses, so other names may still tell users apart.\n%s", res.Domain, roles.EN, answers)), evEnum), true
	case rcptNotTested:
		return finding(id, checks.Info, 0,
			checks.T("RCPT TOでの利用者の判別は試験できませんでした", "User enumeration by RCPT TO could not be tested"),
			checks.T("送信者または宛先が、利用者の有無と関係のない理由（中継の制限、認証やTLSの要求、送信者の制限等）で拒否されたため、名前を比べられませんでした。\n"+answers,
				"The sender or the recipients were refused for reasons unrelated to whether users exist (relay restrictions, authentication or TLS required, sender restrictions, …), so the names could not be compared.\n"+answers), evEnum), true
	}
	return finding(id, checks.Info, 0,
		checks.T("RCPT TOでの利用者の判別を判定できませんでした", "User enumeration by RCPT TO could not be decided"),
		checks.T("応答から判定できませんでした（一時エラー、応答なし、試験の途中で接続が終了等）。\n"+answers,
			"The replies do not decide it (temporary errors, no reply, the session ended part-way, …).\n"+answers), evEnum), true
}

// acceptedNames lists the likely names other than postmaster/abuse that were accepted.
func acceptedNames(res *RcptResult) []string {
	var out []string
	for _, t := range res.Likely {
		if !slices.Contains(roleNames, t.Name) && ClassifyRcpt(t.Reply) == AnswerPositive {
			out = append(out, t.Name)
		}
	}
	return out
}

// rcptAnswers lists MAIL and each recipient asked with its reply.
func rcptAnswers(res *RcptResult) string {
	lines := []string{fmt.Sprintf("- MAIL FROM:<%s> → %s", res.Sender, res.Mail)}
	for _, t := range res.Likely {
		lines = append(lines, fmt.Sprintf("- RCPT TO:<%s> → %s", res.address(t.Name), t.Reply))
	}
	switch {
	case res.Control != nil:
		lines = append(lines, fmt.Sprintf("- RCPT TO:<%s> (control) → %s", res.address(res.Control.Name), res.Control.Reply))
	case res.Mail.Positive():
		lines = append(lines, "- control name not asked")
	}
	if res.Error != "" {
		lines = append(lines, "- "+res.Error)
	}
	return strings.Join(lines, "\n")
}
