package main

import (
	"strings"
	"testing"

	"ecscan/checks"
	"ecscan/report"
)

// findingAt returns the finding id on host:port, or nil.
func findingAt(rep *report.Report, id, host string, port int) *checks.Finding {
	for i, f := range rep.Findings {
		if f.ID == id && f.Host == host && f.Port == port {
			return &rep.Findings[i]
		}
	}
	return nil
}

// evidenceData returns the data of the evidence items with these IDs, joined.
func evidenceData(rep *report.Report, ids []string) string {
	var b strings.Builder
	for _, r := range rep.Results {
		for _, e := range r.Evidence {
			for _, id := range ids {
				if e.ID == id {
					b.WriteString(e.Data)
				}
			}
		}
	}
	return b.String()
}

// TestLabSMTPRCPT scans the lab's mail servers from 127.0.99.1 and checks smtp.rcpt-enum:
// the misconfigured postfix accepts root@ecshop.test and refuses a made-up name as unknown
// (fail); sendmail accepts every recipient (pass: nothing told apart); the hardened postfix
// refuses root like a made-up name on 25 (pass: postmaster, which it accepts, does not
// count) and refuses every recipient of an unauthenticated client on 587 (info). The
// finding's detail and the enum evidence hold the dialogue.
func TestLabSMTPRCPT(t *testing.T) {
	needLab(t)
	_, rep, _ := labScan(t, "--checks", "smtp", "--ports", "25,587", "--source-address", "127.0.99.1", "--names", "mail,mail2", "ecshop.test", "safe-shop.test")
	tests := []struct {
		host     string
		port     int
		outcome  checks.Outcome
		severity checks.Severity
		detail   []string // lines the finding's detail must hold
		dialogue []string // lines the enum transcript must hold
	}{
		{"mail.ecshop.test", 25, checks.Fail, checks.SevLow,
			[]string{"- MAIL FROM:<ecscan-relay-test@example.org> → 250 2.1.0 Ok", "- RCPT TO:<root@ecshop.test> → 250 2.1.5 Ok", "(control) → 550 5.1.1", "User unknown"},
			[]string{"C: MAIL FROM:<ecscan-relay-test@example.org>", "C: RCPT TO:<root@ecshop.test>", "S: 250 2.1.5 Ok", "C: RSET"}},
		{"mail.ecshop.test", 587, checks.Fail, checks.SevLow,
			[]string{"- RCPT TO:<root@ecshop.test> → 250 2.1.5 Ok", "(control) → 550 5.1.1"}, nil},
		{"mail2.ecshop.test", 25, checks.Pass, checks.SevInfo,
			[]string{"→ 250 2.1.0 <ecscan-relay-test@example.org>... Sender ok", "- RCPT TO:<root@ecshop.test> → 250 2.1.5", "(control) → 250 2.1.5", "Recipient ok"},
			[]string{"C: RCPT TO:<postmaster@ecshop.test>", "C: RSET"}},
		{"mail.safe-shop.test", 25, checks.Pass, checks.SevInfo,
			[]string{"- RCPT TO:<postmaster@safe-shop.test> → 250 2.1.5 Ok", "- RCPT TO:<root@safe-shop.test> → 550 5.1.1", "(control) → 550 5.1.1"},
			[]string{"C: RCPT TO:<root@safe-shop.test>", "C: RSET"}},
		{"mail.safe-shop.test", 587, checks.Info, checks.SevInfo,
			[]string{"→ 554 5.7.1", "Access denied"},
			[]string{"C: STARTTLS", "C: MAIL FROM:<ecscan-relay-test@example.org>"}},
	}
	for _, tc := range tests {
		f := findingAt(rep, "smtp.rcpt-enum", tc.host, tc.port)
		if f == nil {
			t.Errorf("%s:%d: no smtp.rcpt-enum (results: %v)", tc.host, tc.port, rcptStatuses(rep))
			continue
		}
		if f.Outcome != tc.outcome || f.Severity != tc.severity {
			t.Errorf("%s:%d: %s/%s, want %s/%s\n%s", tc.host, tc.port, f.Outcome, f.Severity, tc.outcome, tc.severity, f.Detail.EN)
		}
		for _, s := range tc.detail {
			if !strings.Contains(f.Detail.EN, s) {
				t.Errorf("%s:%d: detail lacks %q:\n%s", tc.host, tc.port, s, f.Detail.EN)
			}
		}
		ev := evidenceData(rep, f.Evidence)
		for _, s := range tc.dialogue {
			if !strings.Contains(ev, s) {
				t.Errorf("%s:%d: evidence lacks %q:\n%s", tc.host, tc.port, s, ev)
			}
		}
		if strings.Contains(ev, "C: DATA") {
			t.Errorf("%s:%d: DATA sent:\n%s", tc.host, tc.port, ev)
		}
	}
}

// rcptStatuses lists the SMTP results' targets and statuses, for messages.
func rcptStatuses(rep *report.Report) []string {
	var out []string
	for _, r := range rep.Results {
		if r.Check == "smtp" {
			out = append(out, r.Target+" "+string(r.Status))
		}
	}
	return out
}
