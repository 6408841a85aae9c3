package web

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"ecscan/checks"
)

// minHSTS is the shortest HSTS max-age taken as a pass: 180 days.
const minHSTS = 180 * 24 * 3600

// siteFindings are the findings of the check's own requests: soft 404, version disclosure,
// security headers of the home page, cookie attributes and password forms.
func siteFindings(o *Observation) []checks.Finding {
	var out []checks.Finding
	out = append(out, soft404Finding(o)...)
	out = append(out, versionFindings(o)...)
	out = append(out, headerFindings(o)...)
	out = append(out, cookieFindings(o)...)
	out = append(out, passwordFindings(o)...)
	return out
}

// soft404Finding: web.soft-404, a fact: what random paths got.
func soft404Finding(o *Observation) []checks.Finding {
	var codes []string
	soft := false
	for _, b := range o.Baseline {
		if !b.OK() {
			continue
		}
		codes = append(codes, fmt.Sprintf("%s → %d", pathOf(b.URL), b.Status))
		soft = soft || (b.Status >= 200 && b.Status < 300)
	}
	if len(codes) == 0 {
		return nil
	}
	f := checks.Finding{ID: "web.soft-404", Outcome: checks.Info, Evidence: []string{evBaseline}}
	list := strings.Join(codes, ", ")
	if soft {
		f.Title = checks.T("存在しないパスに2xxを返す（ソフト404）", "Answers 2xx to paths that do not exist (soft 404)")
		f.Detail = checks.T("ランダムなパスへの応答: "+list+"。ステータスコードだけでは存在を判断できないため、内容で判定できない検査結果は採用していない。",
			"Random paths got: "+list+". A status code alone proves nothing here, so matches without characteristic content were discarded.")
	} else {
		f.Title = checks.T("存在しないパスに2xx以外を返す", "Answers non-2xx to paths that do not exist")
		f.Detail = checks.T("ランダムなパスへの応答: "+list+"。", "Random paths got: "+list+".")
	}
	return []checks.Finding{f}
}

// versionRe finds a version number in a header or an error page signature.
var (
	versionRe   = regexp.MustCompile(`[A-Za-z][\w.-]*/\s*v?\d+(\.\d+)+|\b\d+\.\d+(\.\d+)+\b`)
	signatureRe = regexp.MustCompile(`(?i)<address>([^<]{0,200}\d+\.\d+[^<]{0,200})</address>`)
)

// versionFindings: web.version-disclosure per header (Server, X-Powered-By, X-AspNet-Version,
// X-AspNetMvc-Version, X-Generator) or error page signature that names a version.
func versionFindings(o *Observation) []checks.Finding {
	type disclosure struct{ value, ev string }
	found := map[string]disclosure{}
	var order []string
	add := func(subject, value, ev string) {
		if _, ok := found[subject]; !ok {
			found[subject] = disclosure{value, ev}
			order = append(order, subject)
		}
	}
	seen := false
	for _, part := range []struct {
		ev string
		ex []*Exchange
	}{{evHome, o.Home}, {evBaseline, o.Baseline}} {
		for _, ex := range part.ex {
			if !ex.OK() {
				continue
			}
			seen = true
			for _, h := range []string{"Server", "X-Powered-By", "X-AspNet-Version", "X-AspNetMvc-Version", "X-Generator"} {
				if v := ex.Header.Get(h); v != "" && versionRe.MatchString(v) {
					add(h, v, part.ev)
				}
			}
			if m := signatureRe.FindStringSubmatch(ex.Body); m != nil && ex.Status >= 400 {
				add("error-page", strings.TrimSpace(m[1]), part.ev)
			}
		}
	}
	if !seen {
		return nil
	}
	if len(order) == 0 {
		ev := []string{evHome}
		if len(o.Baseline) > 0 {
			ev = append(ev, evBaseline)
		}
		return []checks.Finding{{ID: "web.version-disclosure", Outcome: checks.Pass, Evidence: ev,
			Title: checks.T("応答ヘッダ・エラーページにソフトウェアのバージョンを表示しない", "No software version in response headers or error pages")}}
	}
	var out []checks.Finding
	for _, s := range order {
		d := found[s]
		out = append(out, checks.Finding{
			ID: "web.version-disclosure", Subject: s, Outcome: checks.Fail, Severity: checks.SevLow,
			Title:    checks.T("ソフトウェアのバージョンを表示している: "+s+": "+d.value, "Software version disclosed: "+s+": "+d.value),
			Detail:   checks.T("バージョンが分かると既知の脆弱性を狙いやすくなる。ソフトウェアを最新に保ち、表示を抑止すること（ServerTokens Prod、ServerSignature Off、expose_php Off等）。", "A version tells attackers which known holes to try: keep the software up to date and hide it (ServerTokens Prod, ServerSignature Off, expose_php Off, …)."),
			Evidence: []string{d.ev},
		})
	}
	return out
}

// homePage returns the last response of the home chain when it is a page served by the
// target (not a redirect elsewhere), or nil.
func homePage(o *Observation) *Exchange {
	if len(o.Home) == 0 {
		return nil
	}
	last := o.Home[len(o.Home)-1]
	if !last.OK() || (last.Status >= 300 && last.Status < 400) {
		return nil
	}
	return last
}

// headerFindings: HSTS (HTTPS targets, on the first answer, which may be a redirect), and
// on the home page served by the target: CSP, frame options, nosniff, Referrer-Policy.
func headerFindings(o *Observation) []checks.Finding {
	var out []checks.Finding
	if o.TLS && len(o.Home) > 0 && o.Home[0].OK() {
		out = append(out, hstsFinding(o.Home[0].Header.Get("Strict-Transport-Security")))
	}
	p := homePage(o)
	if p == nil {
		return out
	}
	h := p.Header
	csp := strings.Join(h.Values("Content-Security-Policy"), "; ")
	xfo := strings.ToUpper(strings.TrimSpace(h.Get("X-Frame-Options")))
	frameOK := xfo == "DENY" || xfo == "SAMEORIGIN" || strings.Contains(strings.ToLower(csp), "frame-ancestors")
	rp := strings.ToLower(strings.TrimSpace(h.Get("Referrer-Policy")))
	rpOK := rp != "" && !strings.Contains(rp, "unsafe-url") && !strings.Contains(rp, "no-referrer-when-downgrade")
	out = append(out,
		headerFinding("web.csp", csp != "", "Content-Security-Policy", csp),
		headerFinding("web.frame-options", frameOK, "X-Frame-Options / frame-ancestors", firstNonEmpty(h.Get("X-Frame-Options"), csp)),
		headerFinding("web.content-type-options", strings.EqualFold(strings.TrimSpace(h.Get("X-Content-Type-Options")), "nosniff"), "X-Content-Type-Options: nosniff", h.Get("X-Content-Type-Options")),
		headerFinding("web.referrer-policy", rpOK, "Referrer-Policy", h.Get("Referrer-Policy")),
	)
	return out
}

func headerFinding(id string, ok bool, name, value string) checks.Finding {
	f := checks.Finding{ID: id, Evidence: []string{evHome}}
	if ok {
		f.Outcome = checks.Pass
		f.Title = checks.T(name+"が設定されている", name+" is set")
		f.Detail = checks.T("値: "+clip(value, 300), "Value: "+clip(value, 300))
		return f
	}
	f.Outcome, f.Severity = checks.Fail, checks.SevLow
	if value == "" {
		f.Title = checks.T(name+"が設定されていない", name+" is not set")
	} else {
		f.Title = checks.T(name+"の値が不十分: "+clip(value, 100), name+" is too weak: "+clip(value, 100))
	}
	return f
}

// hstsFinding: web.hsts: missing (medium), max-age under 180 days (low), else pass.
func hstsFinding(v string) checks.Finding {
	f := checks.Finding{ID: "web.hsts", Evidence: []string{evHome}}
	age := -1
	for _, part := range strings.Split(v, ";") {
		k, val, _ := strings.Cut(strings.TrimSpace(part), "=")
		if strings.EqualFold(k, "max-age") {
			if n, err := strconv.Atoi(strings.Trim(val, `" `)); err == nil {
				age = n
			}
		}
	}
	switch {
	case v == "" || age < 0:
		f.Outcome, f.Severity = checks.Fail, checks.SevMedium
		f.Title = checks.T("HSTS（Strict-Transport-Security）が設定されていない", "HSTS (Strict-Transport-Security) is not set")
		f.Detail = checks.T("ブラウザは次回もHTTPで接続しうるため、通信の盗聴・改ざん（SSLストリップ）を防げない。", "Browsers may connect over plain HTTP next time, open to SSL stripping.")
	case age < minHSTS:
		f.Outcome, f.Severity = checks.Fail, checks.SevLow
		f.Title = checks.T(fmt.Sprintf("HSTSの有効期間が短い（max-age=%d）", age), fmt.Sprintf("HSTS max-age is short (%d)", age))
	default:
		f.Outcome = checks.Pass
		f.Title = checks.T("HSTSが設定されている: "+clip(v, 100), "HSTS is set: "+clip(v, 100))
	}
	return f
}
