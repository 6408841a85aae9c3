package tls

import (
	"io"
	"net"
	"strings"
	"testing"

	"ecscan/checks"
	"ecscan/checks/checktest"
)

// TestStartTLS upgrades fake SMTP, POP3, IMAP and FTP servers that hand over to crypto/tls,
// and checks that the endpoint is enumerated through the upgrade.
func TestStartTLS(t *testing.T) {
	c := theCA(t)
	cert := c.leaf(t, leafSpec{})
	for _, tc := range []struct {
		proto, id, command string
	}{
		{"smtp", "tls.starttls", "C: STARTTLS"},
		{"pop3", "tls.pop-imap", "C: STLS"},
		{"imap", "tls.pop-imap", "C: a001 STARTTLS"},
		{"ftp", "tls.starttls", "C: AUTH TLS"},
	} {
		t.Run(tc.proto, func(t *testing.T) {
			ap := mailServer(t, tc.proto, upgradeOK, cert)
			res := runCheck(t, Config{CABundle: c.bundle}, HelloEngine, service(ap, tc.proto, false, true))[int(ap.Port())]
			if res.Status != checks.StatusOK {
				t.Fatalf("status %s (%s)\n%s", res.Status, res.Error, evidenceData(res, evStartTLS))
			}
			if got := outcome(res, tc.id); got != "pass" {
				t.Errorf("%s: got %q, want pass", tc.id, got)
			}
			if d := evidenceData(res, evStartTLS); !strings.Contains(d, tc.command) || !strings.Contains(d, "upgrade agreed") {
				t.Errorf("dialogue lacks %q:\n%s", tc.command, d)
			}
			if got := outcome(res, "tls.protocol.tls12"); got != "pass" {
				t.Errorf("tls.protocol.tls12 through the upgrade: got %q, want pass\n%s", got, evidenceData(res, evEnumeration))
			}
			if got := gradeOf(res); got != "A" {
				t.Errorf("grade %s, want A (no HSTS outside the web)", got)
			}
		})
	}
}

// TestStartTLSRefused: a server that refuses the upgrade is plaintext only. Not listing it is
// an answer (status ok); listing it and refusing breaks the protocol.
func TestStartTLSRefused(t *testing.T) {
	cert := theCA(t).leaf(t, leafSpec{})
	for _, tc := range []struct {
		proto, id  string
		advertised bool
		status     checks.Status
	}{
		{"smtp", "tls.starttls", false, checks.StatusOK},
		{"pop3", "tls.pop-imap", false, checks.StatusOK},
		{"imap", "tls.pop-imap", true, checks.StatusProtocolError},
		{"ftp", "tls.starttls", false, checks.StatusOK},
	} {
		ap := mailServer(t, tc.proto, upgradeRefused, cert)
		res := runCheck(t, Config{}, HelloEngine, service(ap, tc.proto, false, tc.advertised))[int(ap.Port())]
		if res.Status != tc.status {
			t.Errorf("%s: status %s (%s), want %s", tc.proto, res.Status, res.Error, tc.status)
		}
		if got := outcome(res, tc.id); got != "fail/high" {
			t.Errorf("%s: %s got %q, want fail/high", tc.proto, tc.id, got)
		}
		if d := evidenceData(res, evStartTLS); !strings.Contains(d, "plaintext only") {
			t.Errorf("%s: dialogue does not say plaintext only:\n%s", tc.proto, d)
		}
		if len(res.Findings) != 1 {
			t.Errorf("%s: %d findings, want only %s", tc.proto, len(res.Findings), tc.id)
		}
	}
}

// TestHostilePeers: each misbehaving server ends its endpoint with a clear status.
func TestHostilePeers(t *testing.T) {
	cert := theCA(t).leaf(t, leafSpec{})
	for _, tc := range []struct {
		name   string
		b      behaviour
		want   checks.Status
		upFail bool // tls.starttls fails (the upgrade was agreed, TLS never came)
	}{
		{"never answers after the upgrade", silentAfter, checks.StatusTimeout, true},
		{"garbage greeting", garbage, checks.StatusProtocolError, false},
		{"reset at once", resetAtOnce, checks.StatusReset, false},
		{"endless greeting line", endlessLine, checks.StatusProtocolError, false},
		{"silent greeting", silentGreeting, checks.StatusTimeout, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ap := mailServer(t, "smtp", tc.b, cert)
			res := runCheck(t, Config{}, HelloEngine, service(ap, "smtp", false, true))[int(ap.Port())]
			if res.Status != tc.want {
				t.Errorf("status %s (%s), want %s", res.Status, res.Error, tc.want)
			}
			got := outcome(res, "tls.starttls")
			if tc.upFail && got != "fail/high" || !tc.upFail && got != "" {
				t.Errorf("tls.starttls %q (upgrade agreed: %v)", got, tc.upFail)
			}
		})
	}
	t.Run("TLS port answering plain HTTP", func(t *testing.T) {
		ap := listen(t, func(c net.Conn) { // as Apache answers a ClientHello on its HTTP port
			c.Read(make([]byte, 512))
			io.WriteString(c, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
		})
		res := runCheck(t, Config{}, HelloEngine, service(ap, "http", true, false))[int(ap.Port())]
		if res.Status != checks.StatusTLSError && res.Status != checks.StatusProtocolError {
			t.Errorf("status %s (%s), want tls-error or protocol-error", res.Status, res.Error)
		}
		if got := outcome(res, "tls.https"); got != "fail/medium" {
			t.Errorf("tls.https %q, want fail/medium", got)
		}
	})
	t.Run("nothing listening", func(t *testing.T) {
		ap := checktest.ClosedPort(t)
		res := runCheck(t, Config{}, HelloEngine, service(ap, "http", true, false))[int(ap.Port())]
		if res.Status != checks.StatusRefused {
			t.Errorf("status %s (%s), want refused", res.Status, res.Error)
		}
		if len(res.Findings) != 0 {
			t.Errorf("findings %v for an endpoint never reached", res.Findings)
		}
	})
}
