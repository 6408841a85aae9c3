package tls

import (
	ctls "crypto/tls"
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"ecscan/checks"
)

const (
	hstsYear = "HTTP/1.1 200 OK\r\nStrict-Transport-Security: max-age=31536000; includeSubDomains\r\nContent-Length: 0\r\n\r\n"
	noHSTS   = "HTTP/1.1 200 OK\r\nServer: fake\r\nContent-Length: 0\r\n\r\n"
	moved    = "HTTP/1.1 301 Moved Permanently\r\nLocation: https://www.shop.test/\r\nContent-Length: 0\r\n\r\n"
	plainOK  = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
)

// TestHTTPS scans crypto/tls servers with certificates made for the purpose, through the
// real engine, and checks the findings and the grade of each.
func TestHTTPS(t *testing.T) {
	c := theCA(t)
	trusted := Config{CABundle: c.bundle}
	tests := []struct {
		name  string
		cert  leafSpec
		min   uint16
		resp  string
		cfg   Config
		want  map[string]string
		grade string
	}{
		{"valid, HSTS a year", leafSpec{staple: 1}, ctls.VersionTLS12, hstsYear, trusted, map[string]string{
			"tls.https": "pass", "tls.https-cert": "pass", "tls.cert.untrusted": "pass", "tls.cert.name-mismatch": "pass",
			"tls.cert.expired": "pass", "tls.cert.expiring": "pass", "tls.cert.self-signed": "pass", "tls.cert.weak-key": "pass",
			"tls.cert.weak-signature": "pass", "tls.ocsp-stapling": "pass", "tls.hsts": "pass", "tls.protocol.sslv2": "pass",
			"tls.protocol.sslv3": "pass", "tls.protocol.tls10": "pass", "tls.protocol.tls11": "pass", "tls.protocol.tls12": "pass",
			"tls.protocol.tls13": "pass", "tls.forward-secrecy": "pass", "tls.cipher.rc4": "pass", "tls.cipher.3des": "pass",
			"tls.cipher.export": "pass", "tls.kex.params": "pass", "tls.grade": "pass",
		}, "A+"},
		{"no HSTS", leafSpec{}, ctls.VersionTLS12, noHSTS, trusted, map[string]string{
			"tls.hsts": "fail/medium", "tls.ocsp-stapling": "fail/low", "tls.grade": "pass",
		}, "A"},
		{"TLS 1.0 and 1.1 enabled", leafSpec{}, ctls.VersionTLS10, hstsYear, trusted, map[string]string{
			"tls.protocol.tls10": "fail/medium", "tls.protocol.tls11": "fail/medium", "tls.cipher.cbc": "fail/low", "tls.grade": "fail/low",
		}, "B"},
		{"CA not in the bundle", leafSpec{}, ctls.VersionTLS12, hstsYear, Config{}, map[string]string{
			"tls.cert.untrusted": "fail/high", "tls.https-cert": "fail/high", "tls.grade": "fail/high",
		}, "T"},
		{"expired", leafSpec{from: epoch.AddDate(-2, 0, 0), to: epoch.AddDate(0, 0, -3)}, ctls.VersionTLS12, hstsYear, trusted, map[string]string{
			"tls.cert.expired": "fail/high", "tls.cert.expiring": "", "tls.cert.untrusted": "pass", "tls.https-cert": "fail/high",
		}, "T"},
		{"expiring in 10 days", leafSpec{from: epoch.AddDate(-1, 0, 0), to: epoch.AddDate(0, 0, 10)}, ctls.VersionTLS12, hstsYear, trusted, map[string]string{
			"tls.cert.expired": "pass", "tls.cert.expiring": "fail/medium", "tls.https-cert": "pass",
		}, "A+"},
		{"expiring, 5-day threshold", leafSpec{from: epoch.AddDate(-1, 0, 0), to: epoch.AddDate(0, 0, 10)}, ctls.VersionTLS12, hstsYear,
			Config{CABundle: c.bundle, ExpiryWarning: 5 * 24 * time.Hour}, map[string]string{"tls.cert.expiring": "pass"}, "A+"},
		{"name mismatch", leafSpec{names: []string{"other.test"}}, ctls.VersionTLS12, hstsYear, trusted, map[string]string{
			"tls.cert.name-mismatch": "fail/high", "tls.cert.untrusted": "pass", "tls.https-cert": "fail/high",
		}, "M"},
		{"self-signed", leafSpec{selfSigned: true}, ctls.VersionTLS12, hstsYear, trusted, map[string]string{
			"tls.cert.self-signed": "fail/medium", "tls.cert.untrusted": "fail/high",
		}, "T"},
		{"RSA 1024", leafSpec{rsaBits: 1024}, ctls.VersionTLS12, hstsYear, trusted, map[string]string{
			"tls.cert.weak-key": "fail/medium", "tls.grade": "fail/low",
		}, "B"},
		{"SHA-1 signature", leafSpec{sigAlg: x509.ECDSAWithSHA1}, ctls.VersionTLS12, hstsYear, trusted, map[string]string{
			"tls.cert.weak-signature": "fail/medium", "tls.cert.untrusted": "fail/high",
		}, "T"},
		{"revoked (stapled)", leafSpec{staple: 2}, ctls.VersionTLS12, hstsYear, trusted, map[string]string{
			"tls.ocsp-stapling": "fail/high", "tls.grade": "fail/high",
		}, "T"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ap := tlsServer(t, c.leaf(t, tc.cert), tc.min, tc.resp)
			res := runCheck(t, tc.cfg, HelloEngine, service(ap, "http", true, false))[int(ap.Port())]
			if res.Status != checks.StatusOK {
				t.Fatalf("status %s (%s)", res.Status, res.Error)
			}
			for id, want := range tc.want {
				if got := outcome(res, id); got != want {
					t.Errorf("%s: got %q, want %q", id, got, want)
				}
			}
			if got := gradeOf(res); got != tc.grade {
				t.Errorf("grade: got %s, want %s\n%s", got, tc.grade, evidenceData(res, evGrade))
			}
			if pem := evidenceData(res, evChain); !strings.Contains(pem, "-----BEGIN CERTIFICATE-----") {
				t.Errorf("chain evidence has no PEM:\n%s", pem)
			}
			if tr := evidenceData(res, evEnumeration); !strings.Contains(tr, "engine transcript") {
				t.Errorf("enumeration evidence has no transcript:\n%s", tr)
			}
		})
	}
}

// TestRedirect checks the plain HTTP service of the same host: a redirect to https:// passes,
// a page served over HTTP fails, and a host without HTTPS fails tls.https.
func TestRedirect(t *testing.T) {
	c := theCA(t)
	defer func(p int) { plainHTTPPort = p }(plainHTTPPort)
	for _, tc := range []struct {
		resp, want string
	}{
		{moved, "pass"},
		{"HTTP/1.1 302 Found\r\nLocation: http://www.shop.test/login\r\n\r\n", "fail/medium"},
		{plainOK, "fail/medium"},
	} {
		web := plainHTTP(t, tc.resp)
		tlsAP := tlsServer(t, c.leaf(t, leafSpec{}), ctls.VersionTLS12, hstsYear)
		plainHTTPPort = int(web.Port())
		rs := runCheck(t, Config{CABundle: c.bundle}, HelloEngine, service(web, "http", false, false), service(tlsAP, "http", true, false))
		if _, ok := rs[plainHTTPPort]; ok {
			t.Errorf("a Result for the plain HTTP service of a host with HTTPS; want the redirect in the HTTPS Result")
		}
		res := rs[int(tlsAP.Port())]
		if got := outcome(res, "tls.http-redirect"); got != tc.want {
			t.Errorf("answer %q: tls.http-redirect got %q, want %q\n%s", tc.resp, got, tc.want, evidenceData(res, evRedirect))
		}
		for _, f := range res.Findings {
			if f.ID == "tls.http-redirect" && f.Port != plainHTTPPort {
				t.Errorf("tls.http-redirect on port %d, want %d", f.Port, plainHTTPPort)
			}
		}
	}
	web := plainHTTP(t, plainOK)
	plainHTTPPort = int(web.Port())
	res := runCheck(t, Config{}, HelloEngine, service(web, "http", false, false))[plainHTTPPort]
	if got := outcome(res, "tls.https"); got != "fail/medium" || res.Status != checks.StatusOK {
		t.Errorf("HTTP only: tls.https %q, status %s; want fail/medium, ok", got, res.Status)
	}
}

// TestRootValidity: a root that was not yet valid while the leaf was (a CA made after the
// leaf expired, as in the lab) still makes the chain trusted, the expiry being its own
// finding; a root expired at scan time fails tls.cert.expired though the leaf is valid.
func TestRootValidity(t *testing.T) {
	young := newCA(t, epoch.AddDate(0, 0, -10), epoch.AddDate(5, 0, 0))
	leaf := young.leaf(t, leafSpec{from: epoch.AddDate(-1, 0, 0), to: epoch.AddDate(0, 0, -30)})
	ap := tlsServer(t, leaf, ctls.VersionTLS12, hstsYear)
	res := runCheck(t, Config{CABundle: young.bundle}, HelloEngine, service(ap, "http", true, false))[int(ap.Port())]
	for id, want := range map[string]string{"tls.cert.untrusted": "pass", "tls.cert.expired": "fail/high"} {
		if got := outcome(res, id); got != want {
			t.Errorf("young root: %s got %q, want %q\n%s", id, got, want, evidenceData(res, evChain))
		}
	}
	old := newCA(t, epoch.AddDate(-3, 0, 0), epoch.AddDate(0, 0, -1))
	leaf = old.leaf(t, leafSpec{from: epoch.AddDate(-1, 0, 0), to: epoch.AddDate(1, 0, 0)})
	leaf.Certificate = leaf.Certificate[:1] // the root is not served: it comes from the bundle
	ap = tlsServer(t, leaf, ctls.VersionTLS12, hstsYear)
	res = runCheck(t, Config{CABundle: old.bundle}, HelloEngine, service(ap, "http", true, false))[int(ap.Port())]
	for id, want := range map[string]string{"tls.cert.untrusted": "pass", "tls.cert.expired": "fail/high", "tls.https-cert": "fail/high"} {
		if got := outcome(res, id); got != want {
			t.Errorf("expired root: %s got %q, want %q\n%s", id, got, want, evidenceData(res, evChain))
		}
	}
}
