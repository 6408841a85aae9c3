package dns

import (
	"fmt"
	"strings"

	"ecscan/checks"
)

// evalDMARC judges the TXT records at _dmarc.<zone>: dns.dmarc (one well-formed record)
// and dns.dmarc-policy (p=none only monitors).
func evalDMARC(zone string, txts []string, ev string) []checks.Finding {
	name := "_dmarc." + zone
	var recs []string
	for _, t := range txts {
		if isDMARC(t) {
			recs = append(recs, t)
		}
	}
	switch len(recs) {
	case 0:
		return []checks.Finding{newFinding("dns.dmarc", checks.Fail, checks.SevMedium,
			checks.T("DMARC レコードがありません", "No DMARC record"),
			checks.T(fmt.Sprintf("%s に v=DMARC1 で始まる TXT レコードがありません。受信側は SPF・DKIM に失敗したメールの扱いを決められず、ドメイン所有者に報告も届きません。", name),
				fmt.Sprintf("No TXT record at %s starts with v=DMARC1: receivers have no policy for mail failing SPF and DKIM, and the owner gets no reports.", name)), ev)}
	case 1:
	default:
		return []checks.Finding{newFinding("dns.dmarc", checks.Fail, checks.SevMedium,
			checks.T("DMARC レコードが複数あります", "More than one DMARC record"),
			checks.T(fmt.Sprintf("%s に DMARC レコードが %d 件あります。RFC 7489 では、この場合 DMARC は適用されません。", name, len(recs)),
				fmt.Sprintf("%s has %d DMARC records; RFC 7489 then applies no DMARC policy at all.", name, len(recs))), ev)}
	}
	txt := clip(recs[0])
	rec := parseDMARC(recs[0])
	if len(rec.Errors) > 0 {
		errs := strings.Join(rec.Errors, "; ")
		return []checks.Finding{newFinding("dns.dmarc", checks.Fail, checks.SevMedium,
			checks.T("DMARC レコードが不正です", "Malformed DMARC record"),
			checks.T(fmt.Sprintf("「%s」: %s。受信側はこのレコードを無視します。", txt, errs),
				fmt.Sprintf("%q: %s. Receivers ignore the record.", txt, errs)), ev)}
	}
	return []checks.Finding{
		newFinding("dns.dmarc", checks.Pass, 0, checks.T("DMARC レコードがあります", "DMARC record present"),
			checks.T("「"+txt+"」", fmt.Sprintf("%q", txt)), ev),
		dmarcPolicy(rec, txt, ev),
	}
}

// dmarcPolicy judges p=: none fails (low), quarantine and reject pass.
func dmarcPolicy(rec dmarcRecord, txt, ev string) checks.Finding {
	if rec.Policy == "none" {
		return newFinding("dns.dmarc-policy", checks.Fail, checks.SevLow,
			checks.T("DMARC ポリシーが p=none です(監視のみ)", "DMARC policy is p=none (monitoring only)"),
			checks.T(fmt.Sprintf("「%s」: 認証に失敗したメールも受信側で通常どおり配送されます。quarantine または reject への移行を検討してください。", txt),
				fmt.Sprintf("%q: mail failing authentication is delivered as usual; consider moving to quarantine or reject.", txt)), ev)
	}
	ja, en := fmt.Sprintf("「%s」", txt), fmt.Sprintf("%q", txt)
	if rec.Pct < 100 {
		ja += fmt.Sprintf(" ただし pct=%d のため、ポリシーは認証に失敗したメールの %d%% にのみ適用されます。", rec.Pct, rec.Pct)
		en += fmt.Sprintf(" Note pct=%d: the policy applies to %d%% of failing mail only.", rec.Pct, rec.Pct)
	}
	return newFinding("dns.dmarc-policy", checks.Pass, 0,
		checks.T("DMARC ポリシーが p="+rec.Policy+" です", "DMARC policy is p="+rec.Policy), checks.T(ja, en), ev)
}
