package web

import (
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"ecscan/checks"
)

// summary renders findings as "id subject outcome/severity" lines for comparison.
func summary(fs []checks.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, strings.Join(strings.Fields(f.ID+" "+f.Subject+" "+string(f.Outcome)+"/"+f.Severity.String()), " "))
	}
	return out
}

func newObs(tls bool) *Observation {
	return &Observation{Host: "www.shop.test", Addr: netip.MustParseAddr("192.0.2.10"), Port: 443, TLS: tls, URL: "https://www.shop.test"}
}

func ok(url string, status int, hdr http.Header, body string) *Exchange {
	if hdr == nil {
		hdr = http.Header{}
	}
	return &Exchange{Method: "GET", URL: url, Status: status, Header: hdr, Body: body}
}

func TestTemplateFindings(t *testing.T) {
	tests := []struct {
		name    string
		results []*TemplateResult
		want    []string
	}{
		{
			name: "a match is a failure per path with the template's severity",
			results: []*TemplateResult{
				{Template: "ecscan-files-vcs", Finding: "web.vcs-exposed", Severity: "high", Matched: true, Matcher: "git", URL: "https://www.shop.test/.git/HEAD"},
				{Template: "ecscan-files-vcs", Finding: "web.vcs-exposed", Severity: "high", Matched: true, Matcher: "git", URL: "https://www.shop.test/.git/config"},
			},
			want: []string{"web.vcs-exposed /.git/HEAD fail/high", "web.vcs-exposed /.git/config fail/high"},
		},
		{
			name: "two matchers on one path make one failure",
			results: []*TemplateResult{
				{Template: "ecscan-files-secrets", Finding: "web.exposed-file", Severity: "high", Matched: true, Matcher: "env", URL: "https://www.shop.test/.env"},
				{Template: "ecscan-files-secrets", Finding: "web.exposed-file", Severity: "high", Matched: true, Matcher: "config", URL: "https://www.shop.test/.env"},
			},
			want: []string{"web.exposed-file /.env fail/high"},
		},
		{
			name: "templates that ran without a match pass",
			results: []*TemplateResult{
				{Template: "ecscan-dir-listing-common", Finding: "web.dir-listing", Severity: "medium"},
				{Template: "ecscan-dir-listing-linked", Finding: "web.dir-listing", Severity: "medium", Error: "timeout"},
			},
			want: []string{"web.dir-listing pass/info"},
		},
		{
			name: "templates that all failed give no finding",
			results: []*TemplateResult{
				{Template: "ecscan-methods-trace", Finding: "web.trace", Severity: "medium", Error: "connection refused"},
			},
			want: nil,
		},
		{
			name: "suppressed matches do not fail: the template ran and nothing real matched",
			results: []*TemplateResult{
				{Template: "ecscan-cgi-interpreters", Finding: "web.cgi-interpreter", Severity: "high", Matched: true, Matcher: "reachable", URL: "https://www.shop.test/cgi-bin/perl", Suppressed: "soft 404"},
				{Template: "ecscan-cgi-interpreters", Finding: "web.cgi-interpreter", Severity: "high", Matched: true, Matcher: "reachable", URL: "https://www.shop.test/cgi-bin/sh", Suppressed: "soft 404"},
			},
			want: []string{"web.cgi-interpreter pass/info"},
		},
		{
			name: "the methods claim is a fact listing the methods",
			results: []*TemplateResult{
				{Template: "ecscan-methods-options", Finding: "web.methods-claimed", Severity: "info", Matched: true, Extracted: []string{"GET,POST,OPTIONS,HEAD,TRACE"}, URL: "https://www.shop.test/"},
			},
			want: []string{"web.methods-claimed info/info"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newObs(true)
			o.Templates = tt.results
			got := summary(templateFindings(o))
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestClaimedNamesRiskyMethods(t *testing.T) {
	o := newObs(true)
	o.Templates = []*TemplateResult{{Template: "ecscan-methods-options", Finding: "web.methods-claimed", Matched: true, Extracted: []string{"GET, HEAD, PUT, DELETE"}}}
	fs := templateFindings(o)
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1", len(fs))
	}
	if got := fs[0].Title.EN; !strings.Contains(got, "GET, HEAD, PUT, DELETE") {
		t.Errorf("title %q does not list the methods", got)
	}
	if got := fs[0].Detail.EN; !strings.Contains(got, "PUT, DELETE") {
		t.Errorf("detail %q does not name PUT and DELETE as risky", got)
	}
}

func TestSoftMatch(t *testing.T) {
	baseline := []*Exchange{
		ok("https://www.shop.test/ecscan-r1.html", 200, nil, "<html>Sorry, /ecscan-r1.html is not here</html>"),
		ok("https://www.shop.test/cgi-bin/ecscan-r1", 404, nil, "not found"),
	}
	tests := []struct {
		name string
		r    *TemplateResult
		want bool
	}{
		{"reachable match where the baseline got the same status", &TemplateResult{Matcher: "reachable", URL: "https://www.shop.test/test.cgi", Response: "HTTP/1.1 200 OK\r\n\r\nwhatever"}, true},
		{"reachable match in cgi-bin where the cgi-bin baseline got 404", &TemplateResult{Matcher: "reachable", URL: "https://www.shop.test/cgi-bin/perl", Response: "HTTP/1.1 500 Internal\r\n\r\nerror"}, false},
		{"content match whose body is the soft-404 page with its path", &TemplateResult{Matcher: "git", URL: "https://www.shop.test/.git/HEAD", Response: "HTTP/1.1 200 OK\r\n\r\n<html>Sorry, /.git/HEAD is not here</html>"}, true},
		{"content match with its own body", &TemplateResult{Matcher: "git", URL: "https://www.shop.test/.git/HEAD", Response: "HTTP/1.1 200 OK\r\n\r\nref: refs/heads/main\n"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := softMatch(tt.r, baseline) != ""
			if got != tt.want {
				t.Errorf("softMatch = %v (%q), want %v", got, softMatch(tt.r, baseline), tt.want)
			}
		})
	}
}

func TestSiteFindings(t *testing.T) {
	secure := http.Header{
		"Strict-Transport-Security": {"max-age=31536000; includeSubDomains"},
		"Content-Security-Policy":   {"default-src 'self'; frame-ancestors 'none'"},
		"X-Content-Type-Options":    {"nosniff"},
		"Referrer-Policy":           {"strict-origin-when-cross-origin"},
		"Server":                    {"Apache"},
		"Set-Cookie":                {"SID=1; Secure; HttpOnly; SameSite=Lax"},
	}
	weak := http.Header{
		"Server":                    {"Apache/2.4.67 (Debian)"},
		"X-Powered-By":              {"PHP/8.2.1"},
		"Strict-Transport-Security": {"max-age=600"},
		"Referrer-Policy":           {"unsafe-url"},
		"Set-Cookie":                {"PHPSESSID=abc; path=/", "lang=ja; Secure; HttpOnly; SameSite=Strict"},
	}
	loginForm := `<form action="http://www.shop.test/login" method="post"><input type="password" name="pw"></form>`
	tests := []struct {
		name  string
		tls   bool
		home  []*Exchange
		pages []*Page
		want  []string
	}{
		{
			name: "a hardened HTTPS site passes every control",
			tls:  true,
			home: []*Exchange{ok("https://www.shop.test/", 200, secure, "<html></html>")},
			pages: []*Page{{Exchange: ok("https://www.shop.test/login", 200, nil, ""),
				Forms: []PasswordForm{{Action: "https://www.shop.test/login", Method: "POST"}}}},
			want: []string{"web.version-disclosure pass/info", "web.hsts pass/info", "web.csp pass/info", "web.frame-options pass/info",
				"web.content-type-options pass/info", "web.referrer-policy pass/info", "web.cookie-flags pass/info", "web.password-over-http pass/info"},
		},
		{
			name: "a weak HTTPS site fails them",
			tls:  true,
			home: []*Exchange{ok("https://www.shop.test/", 200, weak, "<html></html>")},
			pages: []*Page{{Exchange: ok("https://www.shop.test/login", 200, nil, loginForm),
				Forms: PasswordForms("https://www.shop.test/login", loginForm)}},
			want: []string{"web.version-disclosure Server fail/low", "web.version-disclosure X-Powered-By fail/low",
				"web.hsts fail/low", "web.csp fail/low", "web.frame-options fail/low", "web.content-type-options fail/low",
				"web.referrer-policy fail/low", "web.cookie-flags PHPSESSID fail/medium", "web.password-over-http /login fail/high"},
		},
		{
			name: "an HTTP site redirecting to HTTPS is judged only on what it sends",
			tls:  false,
			home: []*Exchange{ok("http://www.shop.test/", 301, http.Header{"Location": {"https://www.shop.test/"}, "Server": {"nginx"}}, "")},
			want: []string{"web.version-disclosure pass/info"},
		},
		{
			name: "a password page over plain HTTP fails",
			tls:  false,
			home: []*Exchange{ok("http://www.shop.test/", 200, http.Header{"Server": {"nginx"}}, "")},
			pages: []*Page{{Exchange: ok("http://www.shop.test/mypage/login", 200, nil, ""),
				Forms: []PasswordForm{{Action: "https://www.shop.test/login", Method: "POST"}}}},
			want: []string{"web.version-disclosure pass/info", "web.csp fail/low", "web.frame-options fail/low",
				"web.content-type-options fail/low", "web.referrer-policy fail/low", "web.password-over-http /mypage/login fail/high"},
		},
		{
			name: "no response, no finding",
			tls:  true,
			home: []*Exchange{{Method: "GET", URL: "https://www.shop.test/", Error: "connection refused", Class: checks.StatusRefused}},
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newObs(tt.tls)
			o.Home, o.Pages = tt.home, tt.pages
			got := summary(siteFindings(o))
			if !slices.Equal(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestSoft404Finding(t *testing.T) {
	for _, tt := range []struct {
		status int
		want   string
	}{{200, "Answers 2xx to paths that do not exist (soft 404)"}, {404, "Answers non-2xx to paths that do not exist"}} {
		o := newObs(false)
		o.Baseline = []*Exchange{ok("http://www.shop.test/ecscan-1.html", tt.status, nil, "")}
		fs := soft404Finding(o)
		if len(fs) != 1 || fs[0].Title.EN != tt.want || fs[0].Outcome != checks.Info {
			t.Errorf("status %d: got %+v, want one info finding %q", tt.status, fs, tt.want)
		}
	}
}

func TestErrorPageSignature(t *testing.T) {
	o := newObs(false)
	o.Home = []*Exchange{ok("http://www.shop.test/", 200, http.Header{"Server": {"Apache"}}, "")}
	o.Baseline = []*Exchange{ok("http://www.shop.test/x", 404, http.Header{"Server": {"Apache"}},
		"<hr>\n<address>Apache/2.4.67 (Debian) Server at www.shop.test Port 80</address>")}
	got := summary(versionFindings(o))
	want := []string{"web.version-disclosure error-page fail/low"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestPutFindings(t *testing.T) {
	refused := &PutTest{Dir: "/", URL: "https://www.shop.test/ecscan-1.txt", Exchanges: []*Exchange{ok("", 405, nil, "")}}
	stored := &PutTest{Dir: "/uploads/", URL: "https://www.shop.test/uploads/ecscan-2.txt", Stored: true, Deleted: true, Exchanges: []*Exchange{ok("", 201, nil, "")}}
	left := &PutTest{Dir: "/dav/", URL: "https://www.shop.test/dav/ecscan-3.txt", Stored: true, Left: true, Exchanges: []*Exchange{ok("", 201, nil, "")}}
	tests := []struct {
		name string
		put  []*PutTest
		want []string
	}{
		{"every PUT refused passes", []*PutTest{refused}, []string{"web.put pass/info"}},
		{"a stored and deleted file fails both", []*PutTest{refused, stored}, []string{"web.put /uploads/ fail/high", "web.delete /uploads/ fail/high"}},
		{"a file DELETE could not remove", []*PutTest{left}, []string{"web.put /dav/ fail/high", "web.delete /dav/ pass/info"}},
		{"not run", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newObs(true)
			o.Put = tt.put
			fs := Evaluate(o, time.Time{})
			var got []string
			for _, s := range summary(fs) {
				if strings.HasPrefix(s, "web.put") || strings.HasPrefix(s, "web.delete") {
					got = append(got, s)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestEvidenceReferences checks that every finding names evidence that BuildEvidence makes.
func TestEvidenceReferences(t *testing.T) {
	o := newObs(true)
	o.Home = []*Exchange{ok("https://www.shop.test/", 200, http.Header{"Set-Cookie": {"a=b"}}, "")}
	o.Baseline = []*Exchange{ok("https://www.shop.test/ecscan-x.html", 404, nil, "")}
	o.Pages = []*Page{{Exchange: ok("https://www.shop.test/login", 200, nil, ""), Forms: []PasswordForm{{Action: "http://x.test/"}}}}
	o.Templates = []*TemplateResult{
		{Template: "ecscan-files-vcs", Finding: "web.vcs-exposed", Severity: "high", Matched: true, URL: "https://www.shop.test/.git/HEAD"},
		{Template: "ecscan-phpinfo", Finding: "web.phpinfo", Severity: "medium", Probed: []string{"GET /info.php"}},
	}
	o.Put = []*PutTest{{Dir: "/", Exchanges: []*Exchange{ok("", 403, nil, "")}}}
	now := time.Unix(0, 0)
	ids := map[string]bool{}
	for _, e := range BuildEvidence(o, now) {
		if ids[e.ID] {
			t.Errorf("evidence ID %q twice", e.ID)
		}
		ids[e.ID] = true
	}
	fs := Evaluate(o, now)
	if len(fs) == 0 {
		t.Fatal("no findings")
	}
	for _, f := range fs {
		if len(f.Evidence) == 0 {
			t.Errorf("%s %s: no evidence", f.ID, f.Subject)
		}
		for _, id := range f.Evidence {
			if !ids[id] {
				t.Errorf("%s %s: evidence %q not built", f.ID, f.Subject, id)
			}
		}
		if f.Title.JA == "" || f.Title.EN == "" {
			t.Errorf("%s: title needs both languages: %+v", f.ID, f.Title)
		}
		if f.Outcome == checks.Fail && f.Severity == checks.SevInfo {
			t.Errorf("%s: a failure needs a severity", f.ID)
		}
	}
}
