package smtp

import (
	"fmt"
	"strings"

	"ecscan/checks"
)

// Verdicts of an EXPN or VRFY test.
const (
	enumDiscloses     = "discloses"     // a likely name got an address, the control was refused
	enumDistinguishes = "distinguishes" // a likely name got 252 or 250 without an address, the control was refused
	enumAnswersAll    = "answers-all"   // the control got 250/251/252 too: the answers say nothing
	enumRefused       = "refused"       // every name asked was refused (5xx)
	enumUndecided     = "undecided"     // temporary errors, no reply
)

// enumVerdict judges an EXPN or VRFY test by comparing the likely names' replies with the
// control's: only a server that answers a likely name and refuses a name nobody has tells
// anything about its users.
func enumVerdict(e *EnumResult) string {
	if e == nil || len(e.Likely) == 0 {
		return enumUndecided
	}
	var address, positive, refusedAll = false, false, true
	for _, t := range e.Likely {
		switch t.Classify() {
		case AnswerAddress:
			address = true
		case AnswerPositive:
			positive = true
		}
		if t.Classify() != AnswerRefused {
			refusedAll = false
		}
	}
	control := AnswerNone
	if e.Control != nil {
		control = e.Control.Classify()
	}
	switch {
	case control == AnswerAddress || control == AnswerPositive:
		return enumAnswersAll
	case refusedAll:
		return enumRefused
	case control == AnswerRefused && address:
		return enumDiscloses
	case control == AnswerRefused && positive:
		return enumDistinguishes
	}
	return enumUndecided
}

// evalEnum turns the verdict into smtp.expn (fail medium when it discloses addresses) or
// smtp.vrfy (fail low); a server that only tells names apart with 252 fails low for either.
// Refusals and answering every name alike pass; the rest is a fact.
func evalEnum(e *EnumResult) (checks.Finding, bool) {
	if e == nil || len(e.Likely) == 0 {
		return checks.Finding{}, false
	}
	id := "smtp." + strings.ToLower(e.Command)
	sev := checks.SevLow
	if e.Command == "EXPN" {
		sev = checks.SevMedium
	}
	answers := enumAnswers(e)
	switch enumVerdict(e) {
	case enumDiscloses:
		return finding(id, checks.Fail, sev,
			checks.T(e.Command+"でメールアドレスが開示されます", e.Command+" discloses mail addresses"),
			checks.T("よくある名前にはアドレスを返し、存在しない名前は拒否しました。利用者や転送先の一覧を第三者が調べられます。"+e.Command+"を無効にしてください（Sendmail: PrivacyOptions=goaway、Postfix: disable_vrfy_command = yes）。\n"+answers,
				"Likely names were answered with addresses while a name nobody has was refused: anyone can enumerate users and where their mail goes. Disable "+e.Command+" (Sendmail PrivacyOptions=goaway, Postfix disable_vrfy_command = yes).\n"+answers), evEnum), true
	case enumDistinguishes:
		return finding(id, checks.Fail, checks.SevLow,
			checks.T(e.Command+"で利用者の有無がわかります", e.Command+" tells which users exist"),
			checks.T("よくある名前は受け付け（252等）、存在しない名前は拒否したため、応答の違いから利用者の有無を調べられます。\n"+answers,
				"Likely names were accepted (252 or similar) and a name nobody has was refused, so the difference tells which users exist.\n"+answers), evEnum), true
	case enumAnswersAll:
		return finding(id, checks.Pass, 0,
			checks.T(e.Command+"はどの名前にも同じ応答を返します", e.Command+" answers every name alike"),
			checks.T("存在しない名前にも肯定的な応答を返すため、応答から利用者はわかりません。\n"+answers,
				"Even a name nobody has got a positive reply, so the replies disclose nothing about users.\n"+answers), evEnum), true
	case enumRefused:
		return finding(id, checks.Pass, 0,
			checks.T(e.Command+"は拒否されました", e.Command+" is refused"),
			checks.T("問い合わせた名前はすべて拒否されました。\n"+answers, "Every name asked was refused.\n"+answers), evEnum), true
	}
	return finding(id, checks.Info, 0,
		checks.T(e.Command+"の制限を判定できませんでした", e.Command+" restriction could not be decided"),
		checks.T("応答から判定できませんでした（一時エラー、応答なし等）。\n"+answers,
			"The replies do not decide it (temporary errors, no reply, …).\n"+answers), evEnum), true
}

// enumAnswers lists each name asked and its reply.
func enumAnswers(e *EnumResult) string {
	var lines []string
	for _, t := range e.Likely {
		lines = append(lines, fmt.Sprintf("- %s %s → %s", e.Command, t.Name, t.Reply))
	}
	if e.Control != nil {
		lines = append(lines, fmt.Sprintf("- %s %s (control) → %s", e.Command, e.Control.Name, e.Control.Reply))
	} else {
		lines = append(lines, "- control name not asked")
	}
	return strings.Join(lines, "\n")
}
