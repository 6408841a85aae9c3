package demo

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"
)

func TestWebPages(t *testing.T) {
	h := &shop{zone: Zone}
	for _, tc := range []struct {
		method, target string
		code           int
		contains       string
	}{
		{"GET", "/", 200, "デモショップ"},
		{"GET", "/images/", 200, "<title>Index of /images</title>"},
		{"GET", "/images", 301, ""},
		{"GET", "/images/logo.png", 200, "GIF89a"},
		{"GET", "/images/staff-only/", 404, "Not Found"},
		{"GET", "/cgi-bin/test-cgi?x=1", 200, "CGI/1.0 test script report:"},
		{"GET", "/cgi-bin/test-cgi?x=1", 200, "QUERY_STRING = x=1"},
		{"POST", "/cgi-bin/printenv", 200, `SERVER_ADMIN="webmaster@demo-shop.test"`},
		{"GET", "/admin/", 404, "The requested URL was not found"},
		{"GET", "/login", 200, `<input type="password" name="password">`},
		{"POST", "/login", 200, "Wrong ID or password"},
		{"PUT", "/upload.txt", 405, "not allowed"},
		{"OPTIONS", "/", 200, ""},
	} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(tc.method, tc.target, nil))
		if w.Code != tc.code || !strings.Contains(w.Body.String(), tc.contains) {
			t.Errorf("%s %s: %d %.80q, want %d containing %q", tc.method, tc.target, w.Code, w.Body.String(), tc.code, tc.contains)
		}
		if got := w.Header().Get("Server"); got != WebServer {
			t.Errorf("%s %s: Server %q, want %q", tc.method, tc.target, got, WebServer)
		}
		if got := w.Header().Get("X-Powered-By"); got != WebPoweredBy {
			t.Errorf("%s %s: X-Powered-By %q, want %q", tc.method, tc.target, got, WebPoweredBy)
		}
	}
}

func TestSessionCookieHasNoFlags(t *testing.T) {
	w := httptest.NewRecorder()
	(&shop{zone: Zone}).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	cookies := w.Result().Cookies()
	if len(cookies) != 1 || cookies[0].Name != "PHPSESSID" || cookies[0].Value == "" {
		t.Fatalf("cookies %v, want one PHPSESSID", cookies)
	}
	if c := cookies[0]; c.Secure || c.HttpOnly || c.SameSite != 0 {
		t.Errorf("PHPSESSID has flags: %+v", c)
	}
}

func TestTraceEchoesTheRequest(t *testing.T) {
	w := httptest.NewRecorder()
	r := httptest.NewRequest("TRACE", "/", nil)
	r.Header.Set("X-Probe", "ecscan-7f3a")
	(&shop{zone: Zone}).ServeHTTP(w, r)
	if got := w.Header().Get("Content-Type"); got != "message/http" {
		t.Errorf("Content-Type %q, want message/http", got)
	}
	if body := w.Body.String(); !strings.HasPrefix(body, "TRACE / HTTP/1.1\r\n") || !strings.Contains(body, "X-Probe: ecscan-7f3a\r\n") {
		t.Errorf("TRACE body %q does not echo the request", body)
	}
}

// The CGI scripts echo request values with control bytes replaced and bounded.
func TestCGIEchoIsBounded(t *testing.T) {
	w := httptest.NewRecorder()
	r := httptest.NewRequest("GET", "/cgi-bin/printenv", nil)
	r.Header.Set("User-Agent", strings.Repeat("A", 5000)+"\x01")
	(&shop{zone: Zone}).ServeHTTP(w, r)
	for _, line := range strings.Split(w.Body.String(), "\n") {
		if strings.HasPrefix(line, "HTTP_USER_AGENT=") && len(line) > maxEcho+len(`HTTP_USER_AGENT=""`) {
			t.Errorf("User-Agent echoed with %d bytes, want at most %d", len(line), maxEcho)
		}
	}
	if strings.Contains(w.Body.String(), "\x01") {
		t.Error("a control byte was echoed")
	}
}

func TestWebServersLive(t *testing.T) {
	s := startSite(t)
	pool := x509.NewCertPool()
	pem, err := os.ReadFile(s.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	pool.AppendCertsFromPEM(pem)
	get := func(url string, cfg *tls.Config) (*http.Response, string) {
		t.Helper()
		tr := &http.Transport{TLSClientConfig: cfg, DisableKeepAlives: true}
		defer tr.CloseIdleConnections()
		c := &http.Client{Transport: tr, Timeout: 10 * time.Second}
		resp, err := c.Get(url)
		if err != nil {
			t.Fatalf("GET %s: %v", url, err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		return resp, string(body)
	}
	resp, body := get("http://"+endpoint(t, s, "http")+"/images/", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, "Index of /images") {
		t.Errorf("GET /images/ over HTTP: %d %.80q", resp.StatusCode, body)
	}
	// TLS 1.0 with a CBC suite works, the chain is the demo CA's, and there is no HSTS.
	cfg := &tls.Config{RootCAs: pool, ServerName: "www." + Zone, MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS10,
		CipherSuites: []uint16{tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA}}
	resp, body = get("https://"+endpoint(t, s, "https")+"/", cfg)
	if resp.TLS.Version != tls.VersionTLS10 || resp.TLS.CipherSuite != tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA {
		t.Errorf("HTTPS: %s %s, want TLS 1.0 with ECDHE-RSA-AES128-SHA", tls.VersionName(resp.TLS.Version), tls.CipherSuiteName(resp.TLS.CipherSuite))
	}
	if hsts := resp.Header.Get("Strict-Transport-Security"); hsts != "" || !strings.Contains(body, "デモショップ") {
		t.Errorf("HTTPS GET /: HSTS %q, body %.80q", hsts, body)
	}
	left := time.Until(resp.TLS.PeerCertificates[0].NotAfter)
	if left > CertDaysLeft*24*time.Hour || left < (CertDaysLeft-1)*24*time.Hour {
		t.Errorf("certificate ends in %v, want about %d days", left, CertDaysLeft)
	}
}
