package tls

import (
	"encoding/json"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"ecscan/checks"
)

// goodObs is an HTTPS endpoint with nothing to fault: TLS 1.2 and 1.3, a valid EC chain, a
// good OCSP staple, HSTS for a year.
func goodObs() *Observation {
	return &Observation{
		Host: "www.shop.test", Addr: netip.MustParseAddr("192.0.2.10"), Port: 443, Protocol: "http", Mode: ModeImplicit,
		SNI: "www.shop.test", Web: true, PrimaryWeb: true, Status: checks.StatusOK,
		Handshake:   &Handshake{Version: "TLS 1.3", Suite: "TLS_AES_128_GCM_SHA256"},
		Enumeration: withRI(modern()),
		Chain: &Chain{Source: "handshake", Trusted: true, NameMatch: true, Certs: []CertInfo{
			{Subject: "CN=www.shop.test", Issuer: "CN=CA", DNSNames: []string{"www.shop.test"}, NotBefore: epoch.AddDate(-1, 0, 0),
				NotAfter: epoch.AddDate(1, 0, 0), KeyType: "EC", KeyBits: 256, SigAlg: "ECDSA-SHA256"},
			{Subject: "CN=CA", Issuer: "CN=CA", NotBefore: epoch.AddDate(-5, 0, 0), NotAfter: epoch.AddDate(5, 0, 0),
				KeyType: "EC", KeyBits: 384, SigAlg: "SHA1-RSA", SelfSigned: true, IsCA: true},
		}},
		OCSP:  &OCSPStaple{Present: true, Status: "good", ForLeaf: true, Verified: true},
		HTTPS: &HTTPHead{URL: "https://www.shop.test/", Port: 443, StatusCode: 200, HSTS: &HSTS{MaxAge: 31536000}},
	}
}

// withRI marks the TLS ≤ 1.2 versions as answering with renegotiation_info.
func withRI(e *Enumeration) *Enumeration {
	for i := range e.Protocols {
		if e.Protocols[i].Offered && e.Protocols[i].Version != TLS13 {
			e.Protocols[i].Extensions = []uint16{extRenegotiationInfo}
		}
	}
	return e
}

func TestEvaluate(t *testing.T) {
	policy := Policy{ExpiryWarning: 30 * 24 * time.Hour}
	dhe := func(bits int) ProtocolSupport {
		p := offered(TLS12, sDHE128, sECDHE128)
		p.DHBits = bits
		return p
	}
	unordered := offered(TLS12, sECDHE128, sRSACBC)
	unordered.ServerOrder = false
	tests := []struct {
		name   string
		change func(o *Observation)
		want   map[string]string // finding ID → outcome ("" for none)
	}{
		{"all good", func(o *Observation) {}, map[string]string{
			"tls.https": "pass", "tls.https-cert": "pass", "tls.hsts": "pass", "tls.protocol.sslv2": "pass", "tls.protocol.tls10": "pass",
			"tls.protocol.tls12": "pass", "tls.protocol.tls13": "pass", "tls.cipher.cbc": "pass", "tls.forward-secrecy": "pass",
			"tls.server-order": "info", "tls.kex.params": "pass", "tls.cert.expired": "pass", "tls.cert.expiring": "pass",
			"tls.cert.untrusted": "pass", "tls.cert.weak-signature": "pass", "tls.ocsp-stapling": "pass", "tls.grade": "pass",
			"tls.starttls": "", "tls.pop-imap": "", "tls.http-redirect": "",
		}},
		{"SSLv2 without ciphers", func(o *Observation) {
			o.Enumeration = with(o.Enumeration, ProtocolSupport{Version: SSL20, NoUsableSuite: true})
		}, map[string]string{"tls.protocol.sslv2": "fail/critical", "tls.grade": "fail/high"}},
		{"SSLv3 with CBC", func(o *Observation) { o.Enumeration = with(o.Enumeration, offered(SSL30, sRSACBC)) },
			map[string]string{"tls.protocol.sslv3": "fail/high", "tls.cipher.cbc": "fail/low", "tls.grade": "fail/medium"}},
		{"export", func(o *Observation) { o.Enumeration = with(o.Enumeration, offered(TLS10, sExport)) },
			map[string]string{"tls.cipher.export": "fail/critical", "tls.protocol.tls10": "fail/medium", "tls.grade": "fail/high"}},
		{"NULL", func(o *Observation) { o.Enumeration = with(o.Enumeration, offered(TLS12, sECDHE128, sNull)) },
			map[string]string{"tls.cipher.null": "fail/critical"}},
		{"anonymous", func(o *Observation) { o.Enumeration = with(o.Enumeration, offered(TLS12, sECDHE128, sAnon)) },
			map[string]string{"tls.cipher.anon": "fail/high"}},
		{"RC4", func(o *Observation) { o.Enumeration = with(o.Enumeration, offered(TLS12, sECDHE128, sRC4)) },
			map[string]string{"tls.cipher.rc4": "fail/medium", "tls.cipher.3des": "pass"}},
		{"3DES", func(o *Observation) { o.Enumeration = with(o.Enumeration, offered(TLS12, sECDHE128, s3DES)) },
			map[string]string{"tls.cipher.3des": "fail/medium", "tls.cipher.des": "pass", "tls.cipher.cbc": "fail/low"}},
		{"single DES", func(o *Observation) { o.Enumeration = with(o.Enumeration, offered(TLS12, sECDHE128, sDES)) },
			map[string]string{"tls.cipher.des": "fail/high", "tls.cipher.3des": "pass"}},
		{"no forward secrecy", func(o *Observation) { o.Enumeration = withRI(enumOf(offered(TLS12, sRSAGCM))) },
			map[string]string{"tls.forward-secrecy": "fail/medium", "tls.kex.params": "", "tls.protocol.tls13": "fail/low"}},
		{"prefers a suite without forward secrecy", func(o *Observation) {
			o.Enumeration = with(o.Enumeration, offered(TLS12, sRSAGCM, sECDHE128))
		}, map[string]string{"tls.forward-secrecy": "fail/low"}},
		{"client's order with weak suites", func(o *Observation) { o.Enumeration = with(o.Enumeration, unordered) },
			map[string]string{"tls.server-order": "fail/low"}},
		{"DHE 1024", func(o *Observation) { o.Enumeration = with(o.Enumeration, dhe(1024)) },
			map[string]string{"tls.kex.params": "fail/medium", "tls.grade": "fail/low"}},
		{"DHE 768", func(o *Observation) { o.Enumeration = with(o.Enumeration, dhe(768)) },
			map[string]string{"tls.kex.params": "fail/high", "tls.grade": "fail/high"}},
		{"TLS 1.3 only", func(o *Observation) { o.Enumeration = enumOf(offered(TLS13, sTLS13a)) },
			map[string]string{"tls.protocol.tls12": "info", "tls.protocol.tls13": "pass", "tls.server-order": "info"}},
		{"TLS 1.0 only", func(o *Observation) { o.Enumeration = withRI(enumOf(offered(TLS10, sECDHECBC))) },
			map[string]string{"tls.protocol.tls12": "fail/medium", "tls.protocol.tls13": "fail/low", "tls.grade": "fail/medium"}},
		{"expired", func(o *Observation) { o.Chain.Certs[0].NotAfter = epoch.Add(-time.Hour) },
			map[string]string{"tls.cert.expired": "fail/high", "tls.cert.expiring": "", "tls.https-cert": "fail/high", "tls.grade": "fail/high"}},
		{"not yet valid", func(o *Observation) { o.Chain.Certs[0].NotBefore = epoch.Add(time.Hour) },
			map[string]string{"tls.cert.expired": "fail/high"}},
		{"intermediate expired", func(o *Observation) { o.Chain.ChainExpired = "CN=Intermediate" },
			map[string]string{"tls.cert.expired": "fail/high", "tls.https-cert": "fail/high"}},
		{"30 days left, 30-day warning", func(o *Observation) { o.Chain.Certs[0].NotAfter = epoch.Add(30 * 24 * time.Hour) },
			map[string]string{"tls.cert.expiring": "pass"}},
		{"29 days left", func(o *Observation) { o.Chain.Certs[0].NotAfter = epoch.Add(29 * 24 * time.Hour) },
			map[string]string{"tls.cert.expiring": "fail/medium", "tls.https-cert": "pass"}},
		{"untrusted", func(o *Observation) { o.Chain.Trusted, o.Chain.TrustError = false, "issuer not trusted" },
			map[string]string{"tls.cert.untrusted": "fail/high", "tls.https-cert": "fail/high", "tls.grade": "fail/high"}},
		{"name mismatch", func(o *Observation) { o.Chain.NameMatch = false },
			map[string]string{"tls.cert.name-mismatch": "fail/high", "tls.https-cert": "fail/high"}},
		{"RSA 1024", func(o *Observation) { o.Chain.Certs[0].KeyType, o.Chain.Certs[0].KeyBits = "RSA", 1024 },
			map[string]string{"tls.cert.weak-key": "fail/medium"}},
		{"RSA 512", func(o *Observation) { o.Chain.Certs[0].KeyType, o.Chain.Certs[0].KeyBits = "RSA", 512 },
			map[string]string{"tls.cert.weak-key": "fail/high"}},
		{"EC 224", func(o *Observation) { o.Chain.Certs[0].KeyBits = 224 }, map[string]string{"tls.cert.weak-key": "fail/medium"}},
		{"MD5 leaf", func(o *Observation) { o.Chain.Certs[0].SigAlg = "MD5-RSA" },
			map[string]string{"tls.cert.weak-signature": "fail/high", "tls.grade": "fail/high"}},
		{"SHA-1 intermediate", func(o *Observation) {
			o.Chain.Certs = append(o.Chain.Certs[:1], CertInfo{Subject: "CN=Int", SigAlg: "SHA1-RSA", NotAfter: epoch.AddDate(1, 0, 0)}, o.Chain.Certs[1])
		}, map[string]string{"tls.cert.weak-signature": "fail/medium"}},
		{"no staple", func(o *Observation) { o.OCSP = &OCSPStaple{} }, map[string]string{"tls.ocsp-stapling": "fail/low"}},
		{"staple unknown", func(o *Observation) { o.OCSP.Status = "unknown" }, map[string]string{"tls.ocsp-stapling": "fail/low"}},
		{"staple for another certificate", func(o *Observation) { o.OCSP.ForLeaf = false }, map[string]string{"tls.ocsp-stapling": "fail/low"}},
		{"revoked", func(o *Observation) { o.OCSP.Status = "revoked" }, map[string]string{"tls.ocsp-stapling": "fail/high", "tls.grade": "fail/high"}},
		{"no HSTS", func(o *Observation) { o.HTTPS.HSTS = nil }, map[string]string{"tls.hsts": "fail/medium", "tls.grade": "pass"}},
		{"HSTS max-age 0", func(o *Observation) { o.HTTPS.HSTS.MaxAge = 0 }, map[string]string{"tls.hsts": "fail/medium"}},
		{"HSTS invalid", func(o *Observation) { o.HTTPS.HSTS.MaxAge = -1 }, map[string]string{"tls.hsts": "fail/medium"}},
		{"HSTS 90 days", func(o *Observation) { o.HTTPS.HSTS.MaxAge = 90 * 86400 }, map[string]string{"tls.hsts": "fail/low"}},
		{"GET / unanswered", func(o *Observation) { o.HTTPS = &HTTPHead{Error: "timeout"} }, map[string]string{"tls.hsts": ""}},
		{"redirects", func(o *Observation) {
			o.Redirect = &HTTPHead{URL: "http://www.shop.test/", Port: 80, StatusCode: 308, Location: "HTTPS://www.shop.test/"}
		}, map[string]string{"tls.http-redirect": "pass"}},
		{"redirects to http", func(o *Observation) {
			o.Redirect = &HTTPHead{URL: "http://www.shop.test/", Port: 80, StatusCode: 301, Location: "http://www.shop.test/x"}
		}, map[string]string{"tls.http-redirect": "fail/medium"}},
		{"not the primary web endpoint", func(o *Observation) { o.PrimaryWeb = false }, map[string]string{"tls.https": "", "tls.https-cert": "pass"}},
		{"no engine", func(o *Observation) { o.Enumeration, o.EngineError = nil, "not available" },
			map[string]string{"tls.protocol.tls12": "", "tls.grade": "", "tls.cert.untrusted": "pass", "tls.https": "pass"}},
		{"web host without HTTPS", func(o *Observation) {
			*o = Observation{Host: o.Host, Addr: o.Addr, Port: 80, Protocol: "http", Mode: ModePlaintext, Web: true, PrimaryWeb: true, Status: checks.StatusOK}
		}, map[string]string{"tls.https": "fail/medium", "tls.grade": "", "tls.hsts": ""}},
		{"POP3 plaintext only", func(o *Observation) {
			*o = Observation{Host: o.Host, Addr: o.Addr, Port: 110, Protocol: "pop3", Mode: ModePlaintext, Status: checks.StatusOK,
				StartTLS: &Dialogue{Protocol: "pop3", Refused: true, Error: "upgrade refused: -ERR"}}
		}, map[string]string{"tls.pop-imap": "fail/high", "tls.starttls": "", "tls.https": ""}},
		{"SMTP with STARTTLS", func(o *Observation) {
			o.Protocol, o.Port, o.Mode, o.Web, o.PrimaryWeb, o.HTTPS = "smtp", 25, ModeStartTLS, false, false, nil
			o.StartTLS = &Dialogue{Protocol: "smtp", Upgraded: true}
		}, map[string]string{"tls.starttls": "pass", "tls.https": "", "tls.hsts": "", "tls.grade": "pass"}},
		{"IMAP upgrade agreed, handshake failed", func(o *Observation) {
			*o = Observation{Host: o.Host, Addr: o.Addr, Port: 143, Protocol: "imap", Mode: ModeStartTLS, Status: checks.StatusTimeout,
				StartTLS: &Dialogue{Protocol: "imap", Upgraded: true}, Handshake: &Handshake{Error: "timeout"}, Error: "timeout"}
		}, map[string]string{"tls.pop-imap": "fail/high"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := goodObs()
			tc.change(o)
			fs := Evaluate(o, epoch, policy)
			got := map[string]string{}
			for _, f := range fs {
				r := checks.Result{Findings: []checks.Finding{f}}
				if _, dup := got[f.ID]; dup {
					t.Errorf("%s made twice", f.ID)
				}
				got[f.ID] = outcome(r, f.ID)
				if f.Title.JA == "" || f.Title.EN == "" || f.Host != "www.shop.test" || len(f.Evidence) == 0 {
					t.Errorf("%s: incomplete finding %+v", f.ID, f)
				}
				if f.Outcome != checks.Fail && f.Severity != checks.SevInfo {
					t.Errorf("%s: %s with severity %s", f.ID, f.Outcome, f.Severity)
				}
			}
			for id, want := range tc.want {
				if got[id] != want {
					t.Errorf("%s: got %q, want %q", id, got[id], want)
				}
			}
		})
	}
}

// TestEvaluateEvidenceIDs: every evidence item a finding names is built.
func TestEvaluateEvidenceIDs(t *testing.T) {
	o := goodObs()
	o.StartTLS = &Dialogue{Protocol: "smtp", Upgraded: true}
	o.Redirect = &HTTPHead{URL: "http://www.shop.test/", Port: 80, StatusCode: 200}
	g := ComputeGrade(gradeInputOf(o, epoch))
	r := checks.Result{Findings: Evaluate(o, epoch, Policy{}), Evidence: BuildEvidence(o, g, epoch)}
	checkEvidenceRefs(t, r)
	if len(r.Evidence) != 8 {
		t.Errorf("evidence items: got %d, want 8", len(r.Evidence))
	}
}

// TestRegistry: the finding IDs in the code and in configs/findings/tls.yaml are the same.
func TestRegistry(t *testing.T) {
	idRe := regexp.MustCompile(`"(tls\.[a-z0-9.-]+)"`)
	inCode := map[string]bool{}
	files, _ := filepath.Glob("*.go")
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range idRe.FindAllStringSubmatch(string(src), -1) {
			inCode[m[1]] = true
		}
	}
	reg, err := os.ReadFile("../../configs/findings/tls.yaml")
	if err != nil {
		t.Fatal(err)
	}
	inRegistry := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^  - id: (tls\.[a-z0-9.-]+)$`).FindAllStringSubmatch(string(reg), -1) {
		inRegistry[m[1]] = true
	}
	for id := range inCode {
		if !inRegistry[id] {
			t.Errorf("%s is made but not in configs/findings/tls.yaml", id)
		}
	}
	for id := range inRegistry {
		if !inCode[id] {
			t.Errorf("%s is registered but never made", id)
		}
	}
	if len(inCode) < 30 {
		t.Errorf("only %d IDs found in the code", len(inCode))
	}
}

func TestDataJSON(t *testing.T) {
	o := goodObs()
	b, err := json.Marshal(&Data{Observation: o, Grade: ComputeGrade(gradeInputOf(o, epoch))})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"letter":"A+"`, `"version":"TLS 1.2"`, `"host":"www.shop.test"`, `"trusted":true`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON lacks %s: %s", want, b)
		}
	}
}
