package web

import (
	"net/http"
	"regexp"
	"sort"
	"strings"

	"ecscan/checks"
)

// sessionName recognises cookies that usually carry a session or a login.
var sessionName = regexp.MustCompile(`(?i)(sess|sid|token|auth|login|jsessionid|phpsessid|asp\.net|laravel|wordpress_logged_in|remember|eccube)`)

// Cookie is what a Set-Cookie header set: the cookie's name, its attributes and where.
type Cookie struct {
	Name     string `json:"name"`
	Secure   bool   `json:"secure"`
	HTTPOnly bool   `json:"httponly"`
	SameSite string `json:"samesite,omitempty"`
	URL      string `json:"url"`
}

// cookiesOf reads the Set-Cookie headers of the check's exchanges on the target (the home
// chain and the pages examined), once per cookie name (the first setting).
func cookiesOf(o *Observation) []Cookie {
	var out []Cookie
	seen := map[string]bool{}
	exs := append([]*Exchange(nil), o.Home...)
	for _, p := range o.Pages {
		exs = append(exs, p.Exchange)
	}
	for _, ex := range exs {
		if !ex.OK() {
			continue
		}
		resp := http.Response{Header: ex.Header}
		for _, c := range resp.Cookies() {
			if seen[c.Name] || len(out) >= 50 {
				continue
			}
			seen[c.Name] = true
			ss := map[http.SameSite]string{http.SameSiteLaxMode: "Lax", http.SameSiteStrictMode: "Strict", http.SameSiteNoneMode: "None"}[c.SameSite]
			out = append(out, Cookie{Name: c.Name, Secure: c.Secure, HTTPOnly: c.HttpOnly, SameSite: ss, URL: ex.URL})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// cookieFindings: web.cookie-flags per cookie missing an attribute: Secure (on HTTPS only:
// over HTTP the cookie travels in clear anyway), HttpOnly, SameSite. Medium for a cookie that
// looks like a session (or one without Secure on HTTPS), low otherwise; a pass when every
// cookie has them; nothing when no cookie was set.
func cookieFindings(o *Observation) []checks.Finding {
	cookies := cookiesOf(o)
	if len(cookies) == 0 {
		return nil
	}
	ev := []string{evHome}
	if len(o.Pages) > 0 {
		ev = append(ev, evPages)
	}
	var out []checks.Finding
	for _, c := range cookies {
		var missing []string
		if o.TLS && !c.Secure {
			missing = append(missing, "Secure")
		}
		if !c.HTTPOnly {
			missing = append(missing, "HttpOnly")
		}
		if c.SameSite == "" {
			missing = append(missing, "SameSite")
		}
		if len(missing) == 0 {
			continue
		}
		sev := checks.SevLow
		if sessionName.MatchString(c.Name) || (o.TLS && !c.Secure) {
			sev = checks.SevMedium
		}
		m := strings.Join(missing, ", ")
		out = append(out, checks.Finding{
			ID: "web.cookie-flags", Subject: c.Name, Outcome: checks.Fail, Severity: sev, Evidence: ev,
			Title: checks.T("Cookieに属性がない: "+c.Name+"（"+m+"）", "Cookie without attributes: "+c.Name+" ("+m+")"),
			Detail: checks.T("Secureがないと平文のHTTPでも送られ、HttpOnlyがないとスクリプトから読め、SameSiteがないと他サイトからの要求にも付く（CSRF）。設定元: "+c.URL,
				"Without Secure it is also sent over plain HTTP, without HttpOnly scripts can read it, without SameSite it goes with cross-site requests (CSRF). Set by: "+c.URL),
		})
	}
	if len(out) > 0 {
		return out
	}
	return []checks.Finding{{ID: "web.cookie-flags", Outcome: checks.Pass, Evidence: ev,
		Title: checks.T("Cookieの属性（Secure、HttpOnly、SameSite）は適切", "Cookies have their attributes (Secure, HttpOnly, SameSite)")}}
}

// passwordFindings: web.password-over-http, high, per page that shows a password input over
// plain HTTP or whose form posts to an http:// address; a pass when password inputs were
// seen only on HTTPS pages posting to HTTPS; nothing when no page asked for a password.
func passwordFindings(o *Observation) []checks.Finding {
	var out []checks.Finding
	forms := 0
	for i, p := range o.Pages {
		for _, f := range p.Forms {
			forms++
			page := p.Exchange.URL
			var why checks.Text
			switch {
			case strings.HasPrefix(page, "http://"):
				why = checks.T("パスワード入力欄のあるページがHTTP（暗号化なし）で表示される: "+page, "A page with a password input is served over plain HTTP: "+page)
			case strings.HasPrefix(f.Action, "http://"):
				why = checks.T("フォームの送信先がHTTP（暗号化なし）: "+f.Action, "The form posts to plain HTTP: "+f.Action)
			default:
				continue
			}
			out = append(out, checks.Finding{
				ID: "web.password-over-http", Subject: pathOf(page), Outcome: checks.Fail, Severity: checks.SevHigh,
				Title:  checks.T("パスワードが暗号化されずに送られる: "+pathOf(page), "Password sent without encryption: "+pathOf(page)),
				Detail: why, Evidence: []string{evPage(i)},
			})
		}
	}
	if len(out) > 0 || forms == 0 {
		return dedupeSubjects(out)
	}
	return []checks.Finding{{ID: "web.password-over-http", Outcome: checks.Pass, Evidence: []string{evPages},
		Title: checks.T("パスワード入力はHTTPSで表示・送信される", "Password inputs are served and posted over HTTPS")}}
}

// dedupeSubjects keeps the first finding per subject.
func dedupeSubjects(fs []checks.Finding) []checks.Finding {
	var out []checks.Finding
	seen := map[string]bool{}
	for _, f := range fs {
		if !seen[f.Subject] {
			seen[f.Subject] = true
			out = append(out, f)
		}
	}
	return out
}
