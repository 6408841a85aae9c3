package web

import (
	"context"
	"net/url"
	"strings"

	"ecscan/checks/web/wire"
)

// loginPaths are the usual addresses of login pages (EC-CUBE, Magento, WooCommerce,
// WordPress and plain ones), tried on every target for the password-over-HTTP test.
var loginPaths = []string{
	"/login", "/login.php", "/signin", "/mypage/login", "/mypage/login.php",
	"/member/login", "/account/login", "/customer/account/login/", "/my-account/", "/wp-login.php",
}

// observeSite makes the check's own requests on one target: the soft-404 baseline (random
// paths at the root, as a directory and under /cgi-bin/), GET / with the redirects that stay
// on the target, and the pages that may ask for a password (the home page's login links
// and loginPaths).
func (f *fetcher) observeSite(ctx context.Context, t target, o *Observation, random func() string) {
	root := t.URL()
	r := random()
	for _, p := range []string{"/ecscan-" + r + ".html", "/ecscan-" + r + "/", "/cgi-bin/ecscan-" + r} {
		o.Baseline = append(o.Baseline, f.Do(ctx, "GET", root+p, nil, nil))
	}
	o.Home = f.followHome(ctx, t, root+"/")
	if ctx.Err() != nil {
		return
	}
	var candidates []string
	if last := o.Home[len(o.Home)-1]; last.Status == 200 {
		o.Pages = appendPage(o.Pages, last)
		candidates = LoginLinks(last.URL, last.Body)
	}
	for _, p := range loginPaths {
		candidates = append(candidates, root+p)
	}
	seen := map[string]bool{o.Home[len(o.Home)-1].URL: true}
	for _, u := range candidates {
		if seen[u] || !f.onTarget(u) || ctx.Err() != nil {
			continue
		}
		seen[u] = true
		ex := f.Do(ctx, "GET", u, nil, nil)
		if ex.Status == 200 {
			o.Pages = appendPage(o.Pages, ex)
		}
	}
}

// followHome requests / and follows the redirects that stay on the same target.
func (f *fetcher) followHome(ctx context.Context, t target, start string) []*Exchange {
	var out []*Exchange
	u := start
	for i := 0; i <= maxRedirects; i++ {
		ex := f.Do(ctx, "GET", u, nil, nil)
		out = append(out, ex)
		next := redirectTarget(ex)
		if next == "" || !sameTarget(next, t) {
			break
		}
		u = next
	}
	return out
}

// appendPage adds a page that answered 200, with its password forms.
func appendPage(pages []*Page, ex *Exchange) []*Page {
	if !looksHTML(ex) {
		return pages
	}
	return append(pages, &Page{Exchange: ex, Forms: PasswordForms(ex.URL, ex.Body)})
}

func looksHTML(ex *Exchange) bool {
	ct := strings.ToLower(ex.Header.Get("Content-Type"))
	return strings.Contains(ct, "html") || (ct == "" && strings.Contains(strings.ToLower(ex.Body), "<html"))
}

// redirectTarget returns the absolute Location of a 3xx answer, or "".
func redirectTarget(ex *Exchange) string {
	if ex.Status < 300 || ex.Status > 399 {
		return ""
	}
	loc := ex.Header.Get("Location")
	base, err := url.Parse(ex.URL)
	if loc == "" || err != nil {
		return ""
	}
	return resolve(base, loc)
}

// sameTarget says whether u is on target t (scheme, host and port).
func sameTarget(u string, t target) bool {
	k, ok := urlKey(u)
	return ok && k == t.key()
}

// onTarget says whether u is on any target of the scan.
func (f *fetcher) onTarget(u string) bool {
	p, err := url.Parse(u)
	if err != nil {
		return false
	}
	_, ok := f.routes[strings.ToLower(hostPortOf(p))]
	return ok
}

// urlKey returns "scheme://host:port" of an absolute URL (wire.URLKey).
func urlKey(u string) (string, bool) { return wire.URLKey(u) }

// hostPortOf returns "host:port" of a URL, with the scheme's default port (wire.HostPort).
func hostPortOf(p *url.URL) string { return wire.HostPort(p) }
