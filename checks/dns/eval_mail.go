package dns

import (
	"fmt"
	"strings"

	"ecscan/checks"
)

// newFinding builds a finding; passes and facts are severity info.
func newFinding(id string, o checks.Outcome, sev checks.Severity, title, detail checks.Text, ev ...string) checks.Finding {
	if o != checks.Fail {
		sev = checks.SevInfo
	}
	return checks.Finding{ID: id, Outcome: o, Severity: sev, Title: title, Detail: detail, Evidence: ev}
}

// evalSPF judges the TXT records at the apex: dns.spf (one valid SPF record) and
// dns.spf-permissive (what it does with unlisted senders).
func evalSPF(zone string, txts []string, ev string) []checks.Finding {
	var spfs []string
	for _, t := range txts {
		if isSPF(t) {
			spfs = append(spfs, t)
		}
	}
	switch len(spfs) {
	case 0:
		return []checks.Finding{newFinding("dns.spf", checks.Fail, checks.SevMedium,
			checks.T("SPF レコードがありません", "No SPF record"),
			checks.T(fmt.Sprintf("%s の TXT レコードに v=spf1 で始まるものがありません。受信側はこのドメインを名乗るメールの正当な送信元を判別できず、なりすましメールを防げません。", zone),
				fmt.Sprintf("No TXT record at %s starts with v=spf1: receivers cannot tell which hosts may send mail for the domain, so forged senders are not stopped.", zone)), ev)}
	case 1:
	default:
		return []checks.Finding{newFinding("dns.spf", checks.Fail, checks.SevMedium,
			checks.T("SPF レコードが複数あります(permerror)", "More than one SPF record (permerror)"),
			checks.T(fmt.Sprintf("%s に SPF レコードが %d 件あります。RFC 7208 ではこれは permerror となり、SPF は機能しません。", zone, len(spfs)),
				fmt.Sprintf("%s has %d SPF records; RFC 7208 makes this a permerror, so SPF does not work at all.", zone, len(spfs))), ev)}
	}
	rec := parseSPF(spfs[0])
	if len(rec.Errors) > 0 {
		errs := strings.Join(rec.Errors, "; ")
		return []checks.Finding{newFinding("dns.spf", checks.Fail, checks.SevMedium,
			checks.T("SPF レコードに構文エラーがあります(permerror)", "The SPF record has syntax errors (permerror)"),
			checks.T(fmt.Sprintf("「%s」: %s。受信側では permerror となり、SPF は機能しません。", clip(spfs[0]), errs),
				fmt.Sprintf("%q: %s. Receivers treat this as a permerror, so SPF does not work at all.", clip(spfs[0]), errs)), ev)}
	}
	return []checks.Finding{
		newFinding("dns.spf", checks.Pass, 0, checks.T("SPF レコードがあります", "SPF record present"),
			checks.T("「"+clip(spfs[0])+"」", fmt.Sprintf("%q", clip(spfs[0]))), ev),
		spfPermissive(rec, clip(spfs[0]), ev),
	}
}

// spfPermissive judges the record's catch-all: +all is high, ?all and no catch-all are
// medium, ~all and -all pass, redirect= is a fact (this check does not follow it).
func spfPermissive(rec spfRecord, txt, ev string) checks.Finding {
	const id = "dns.spf-permissive"
	switch rec.policy() {
	case spfPass:
		return newFinding(id, checks.Fail, checks.SevHigh,
			checks.T("SPF がすべての送信元を許可しています(+all)", "SPF authorises every sender (+all)"),
			checks.T(fmt.Sprintf("「%s」は all に + の判定を付けており、インターネット上のどのホストからの送信も正当とします。なりすましメールが SPF を通過します。", txt),
				fmt.Sprintf("%q gives all the + qualifier, declaring every host on the Internet a legitimate sender: forged mail passes SPF.", txt)), ev)
	case spfNeutral:
		return newFinding(id, checks.Fail, checks.SevMedium,
			checks.T("SPF の既定の判定が neutral です(?all)", "SPF default result is neutral (?all)"),
			checks.T(fmt.Sprintf("「%s」の ?all は一覧にない送信元について何も主張しないため、受信側がなりすましメールを拒否する根拠になりません。", txt),
				fmt.Sprintf("In %q, ?all makes no statement about unlisted senders, so receivers have no grounds to reject forged mail.", txt)), ev)
	case spfNone:
		return newFinding(id, checks.Fail, checks.SevMedium,
			checks.T("SPF に all も redirect もありません", "SPF has neither all nor redirect="),
			checks.T(fmt.Sprintf("「%s」では一覧にない送信元の判定が既定の neutral となり、受信側がなりすましメールを拒否する根拠になりません。", txt),
				fmt.Sprintf("With %q, unlisted senders get the default result, neutral: receivers have no grounds to reject forged mail.", txt)), ev)
	case spfRedirect:
		return newFinding(id, checks.Info, 0,
			checks.T("SPF の判定は redirect 先に委ねられています", "SPF policy is delegated by redirect="),
			checks.T(fmt.Sprintf("一覧にない送信元の扱いは %s の SPF レコードが決めます。このチェックは redirect 先をたどりません。", clipTerm(rec.Redirect)),
				fmt.Sprintf("The SPF record of %s decides what happens to unlisted senders; this check does not follow the redirect.", clipTerm(rec.Redirect))), ev)
	case spfSoftFail:
		return newFinding(id, checks.Pass, 0,
			checks.T("SPF は一覧にない送信元を softfail とします(~all)", "SPF soft-fails unlisted senders (~all)"),
			checks.T(fmt.Sprintf("「%s」", txt), fmt.Sprintf("%q", txt)), ev)
	}
	return newFinding(id, checks.Pass, 0,
		checks.T("SPF は一覧にない送信元を fail とします(-all)", "SPF fails unlisted senders (-all)"),
		checks.T(fmt.Sprintf("「%s」", txt), fmt.Sprintf("%q", txt)), ev)
}

// evalCAA judges the CAA records at the domain itself (RFC 8659 would also climb to the
// parent domains; the scan looks at the domain it was given).
func evalCAA(zone string, caa []string, ev string) checks.Finding {
	if len(caa) == 0 {
		return newFinding("dns.caa", checks.Fail, checks.SevLow,
			checks.T("CAA レコードがありません", "No CAA record"),
			checks.T(fmt.Sprintf("%s に CAA レコードがないため、どの認証局でもこのドメインの証明書を発行できます。", zone),
				fmt.Sprintf("%s has no CAA record, so any certificate authority may issue certificates for it.", zone)), ev)
	}
	list := strings.Join(caa, "; ")
	return newFinding("dns.caa", checks.Pass, 0,
		checks.T("CAA レコードがあります", "CAA records present"),
		checks.T("証明書の発行を許可された認証局: "+list, "Certificate issuance is restricted: "+list), ev)
}
