package smtp

import "strings"

// AnswerUnknownUser is a reply to RCPT TO that says the mailbox does not exist (ClassifyRcpt).
const AnswerUnknownUser Answer = "unknown-user"

// EnhancedCode is an enhanced mail system status code (RFC 3463) at the start of a reply
// line: "5.1.1 <x@shop.test>: Recipient address rejected: User unknown".
type EnhancedCode struct {
	Class   int `json:"class"`   // 2, 4 or 5
	Subject int `json:"subject"` // 0–999: 1 addressing, 7 security or policy, …
	Detail  int `json:"detail"`  // 0–999
}

// ParseEnhancedCode reads the enhanced status code that begins text: a class digit 2, 4 or
// 5, a dot, a subject of one to three digits, a dot and a detail of one to three digits,
// followed by the end of the text, a space or a tab.
func ParseEnhancedCode(text string) (EnhancedCode, bool) {
	if len(text) < 5 || (text[0] != '2' && text[0] != '4' && text[0] != '5') || text[1] != '.' {
		return EnhancedCode{}, false
	}
	subject, rest, ok := digits(text[2:])
	if !ok || rest == "" || rest[0] != '.' {
		return EnhancedCode{}, false
	}
	detail, rest, ok := digits(rest[1:])
	if !ok || rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return EnhancedCode{}, false
	}
	return EnhancedCode{Class: int(text[0] - '0'), Subject: subject, Detail: detail}, true
}

// digits reads one to three decimal digits at the start of s.
func digits(s string) (n int, rest string, ok bool) {
	i := 0
	for i < len(s) && i < 3 && s[i] >= '0' && s[i] <= '9' {
		n = n*10 + int(s[i]-'0')
		i++
	}
	if i == 0 || i < len(s) && s[i] >= '0' && s[i] <= '9' {
		return 0, s, false
	}
	return n, s[i:], true
}

// enhanced returns the enhanced code of a reply's last line when its class agrees with the
// reply's (RFC 2034 requires it; a code that disagrees is not trusted).
func (r Reply) enhanced() (EnhancedCode, bool) {
	if len(r.Lines) == 0 {
		return EnhancedCode{}, false
	}
	ec, ok := ParseEnhancedCode(r.Lines[len(r.Lines)-1])
	if !ok || ec.Class != r.Class() {
		return EnhancedCode{}, false
	}
	return ec, true
}

// unknownPhrases say that a mailbox does not exist, in replies without an enhanced code
// (Postfix and Sendmail "User unknown", Exim "Unrouteable address", qmail "no mailbox here",
// Courier "User unknown.", …).
var unknownPhrases = []string{
	"user unknown", "unknown user", "unknown recipient", "recipient unknown", "unknown mailbox",
	"mailbox unknown", "no such user", "no such mailbox", "no such recipient", "no mailbox",
	"unrouteable address", "does not exist", "recipient not found", "user not found",
	"mailbox not found", "invalid recipient", "invalid mailbox",
}

// policyPhrases mark a refusal for who is asking rather than for the recipient: the
// client, the sender, relaying, authentication. Postfix checks the client and the sender at
// RCPT (smtpd_delay_reject), so their refusals come there.
var policyPhrases = []string{
	"client host", "sender address", "relaying", "relay access", "relay not permitted",
	"authenticat", "access denied",
}

// ClassifyRcpt says what a reply to RCPT TO answered: AnswerPositive (any 2xx: the
// recipient accepted), AnswerUnknownUser (a 5xx saying the mailbox does not exist: the
// enhanced code 5.1.1 or 5.1.10, or without an enhanced code a 550 or 553 with a phrase
// such as "User unknown"), AnswerRefused (any other 5xx: relay, policy, authentication,
// syntax), AnswerDeferred (4xx) or AnswerNone. A reply that names the client, the sender,
// relaying or authentication is never an unknown user.
func ClassifyRcpt(r Reply) Answer {
	switch r.Class() {
	case 2:
		return AnswerPositive
	case 4:
		return AnswerDeferred
	case 5:
		if unknownUser(r) {
			return AnswerUnknownUser
		}
		return AnswerRefused
	}
	return AnswerNone
}

// unknownUser reports a 5xx reply that says the mailbox does not exist.
func unknownUser(r Reply) bool {
	text := strings.ToLower(r.Text())
	for _, p := range policyPhrases {
		if strings.Contains(text, p) {
			return false
		}
	}
	if ec, ok := r.enhanced(); ok {
		return ec.Subject == 1 && (ec.Detail == 1 || ec.Detail == 10)
	}
	if r.Code != 550 && r.Code != 553 {
		return false
	}
	for _, p := range unknownPhrases {
		if strings.Contains(text, p) {
			return true
		}
	}
	return false
}
