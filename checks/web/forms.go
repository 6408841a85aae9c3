package web

import (
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/html"
)

// Bounds of the HTML scan: pages are at most maxBody bytes already; these bound what is
// kept from them.
const (
	maxForms      = 20
	maxLoginLinks = 4
	maxLinkText   = 200
)

// PasswordForms finds the inputs of type password in a page and the forms they belong to,
// with each form's action resolved against the page's URL (an empty action posts to the page
// itself). A password input outside any form is reported with the page as its action (a
// script will send it somewhere the page does not say). The scan is a tokenizer pass: it
// never builds a tree and tolerates any malformed input.
func PasswordForms(page string, body string) []PasswordForm {
	base, _ := url.Parse(page)
	z := html.NewTokenizer(strings.NewReader(body))
	var out []PasswordForm
	var form *PasswordForm // the open form
	formHasPassword := false
	for len(out) < maxForms {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		switch {
		case tt == html.EndTagToken && tok.Data == "form":
			form, formHasPassword = nil, false
		case tt != html.StartTagToken && tt != html.SelfClosingTagToken:
		case tok.Data == "form":
			form = &PasswordForm{Action: resolve(base, attr(tok, "action")), Method: strings.ToUpper(attr(tok, "method"))}
			if form.Method == "" {
				form.Method = "GET"
			}
			formHasPassword = false
		case tok.Data == "input" && strings.EqualFold(strings.TrimSpace(attr(tok, "type")), "password"):
			switch {
			case form == nil:
				out = append(out, PasswordForm{Action: resolve(base, ""), Field: attr(tok, "name")})
			case !formHasPassword:
				f := *form
				f.Field = attr(tok, "name")
				out = append(out, f)
				formHasPassword = true
			}
		}
	}
	return out
}

// loginWords are the words of links to login pages (English and Japanese shops).
var loginWords = regexp.MustCompile(`(?i)(log-?in|sign-?in|log-?on|my-?account|mypage|member|auth|ログイン|サインイン|マイページ|会員)`)

// LoginLinks returns the absolute URLs of the links of a page whose address or text looks
// like a login page, at most maxLoginLinks, without duplicates.
func LoginLinks(page string, body string) []string {
	base, _ := url.Parse(page)
	z := html.NewTokenizer(strings.NewReader(body))
	var out []string
	seen := map[string]bool{}
	href, text := "", ""
	inLink := false
	for len(out) < maxLoginLinks {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		switch {
		case tt == html.StartTagToken && tok.Data == "a":
			href, text, inLink = attr(tok, "href"), "", true
		case tt == html.TextToken && inLink && len(text) < maxLinkText:
			text += tok.Data
		case tt == html.EndTagToken && tok.Data == "a" && inLink:
			inLink = false
			u := resolve(base, href)
			if u != "" && !seen[u] && (loginWords.MatchString(href) || loginWords.MatchString(text)) {
				seen[u] = true
				out = append(out, u)
			}
		}
	}
	return out
}

func attr(t html.Token, name string) string {
	for _, a := range t.Attr {
		if a.Key == name {
			return strings.TrimSpace(a.Val)
		}
	}
	return ""
}

// resolve returns ref resolved against base as an absolute http(s) URL without fragment,
// or "" (a javascript: or mailto: link, an unparsable one).
func resolve(base *url.URL, ref string) string {
	if base == nil {
		return ""
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	u := base.ResolveReference(r)
	if u.Scheme != "http" && u.Scheme != "https" {
		return ""
	}
	u.Fragment = ""
	return u.String()
}
