package mail

import (
	"bufio"
	"io"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"ecscan/checks"
)

// A hardened POP3 server: APOP timestamp, STLS, no USER before TLS.
func TestPOP3APOPAndSTLS(t *testing.T) {
	rec := &recorder{}
	port := listen(t, scripted(t, rec,
		step{"", "+OK Dovecot (Debian) ready. <1896.697170952@mail.ecshop.test>\r\n", false},
		step{"CAPA", "+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nSTLS\r\nSASL\r\n.\r\n", false},
		step{"STLS", "+OK Begin TLS negotiation now.\r\n", true},
		step{"CAPA", "+OK\r\nCAPA\r\nTOP\r\nUSER\r\nSASL PLAIN\r\n.\r\n", false},
		step{"QUIT", "+OK Logging out.\r\n", false},
	))
	o := observeFake(t, "pop3", port, false, 2*time.Second)
	if o.Status != checks.StatusOK {
		t.Fatalf("status %s (%s), want ok", o.Status, o.Error)
	}
	if got, want := rec.all(), []string{"CAPA", "STLS", "CAPA", "QUIT"}; !slices.Equal(got, want) {
		t.Errorf("client sent %q, want %q", got, want)
	}
	if got, want := o.APOP, "<1896.697170952@mail.ecshop.test>"; got != want {
		t.Errorf("APOP = %q, want %q", got, want)
	}
	if !o.StartTLS.Upgraded() || o.StartTLS.Handshake.Version == "" {
		t.Errorf("StartTLS = %+v, want an upgrade", o.StartTLS)
	}
	if got, want := o.StartTLS.Capabilities, []string{"CAPA", "TOP", "USER", "SASL PLAIN"}; !slices.Equal(got, want) {
		t.Errorf("capabilities inside TLS = %q, want %q", got, want)
	}
	got := outcomes(Evaluate(o, time.Now()))
	want := map[string]string{
		"mail.plaintext-auth":     "pass info",
		"mail.starttls":           "pass info",
		"mail.apop":               "info info",
		"mail.version-disclosure": "pass info",
	}
	if !equalMaps(got, want) {
		t.Errorf("findings = %v, want %v", got, want)
	}
	if o.Product != "Dovecot" || o.Version != "" {
		t.Errorf("product %q version %q, want Dovecot and none", o.Product, o.Version)
	}
}

// A POP3 server that offers USER and SASL PLAIN in clear, and no STLS.
func TestPOP3PlaintextAllowed(t *testing.T) {
	rec := &recorder{}
	port := listen(t, scripted(t, rec,
		step{"", "+OK Qpopper (version 4.1.0) at mail.ecshop.test starting.\r\n", false},
		step{"CAPA", "+OK Capability list follows\r\nTOP\r\nUSER\r\nSASL PLAIN CRAM-MD5\r\nIMPLEMENTATION Qpopper-4.1.0\r\n.\r\n", false},
		step{"QUIT", "+OK bye\r\n", false},
	))
	o := observeFake(t, "pop3", port, false, 2*time.Second)
	if got, want := rec.all(), []string{"CAPA", "QUIT"}; !slices.Equal(got, want) {
		t.Errorf("client sent %q, want %q", got, want)
	}
	allowed, known, ways := o.Plaintext()
	if !allowed || !known || !slices.Equal(ways, []string{"USER/PASS", "SASL PLAIN"}) {
		t.Errorf("Plaintext() = %v, %v, %q; want true, true, [USER/PASS SASL PLAIN]", allowed, known, ways)
	}
	got := outcomes(Evaluate(o, time.Now()))
	want := map[string]string{
		"mail.plaintext-auth":     "fail medium",
		"mail.starttls":           "fail medium",
		"mail.version-disclosure": "fail low",
	}
	if !equalMaps(got, want) {
		t.Errorf("findings = %v, want %v", got, want)
	}
	if o.Product != "Qpopper" || o.Version != "4.1.0" {
		t.Errorf("product %q version %q, want Qpopper 4.1.0", o.Product, o.Version)
	}
}

// A POP3 server without CAPA: STLS is tried blindly, then USER with a made-up name; PASS
// is never sent.
func TestPOP3WithoutCAPA(t *testing.T) {
	for _, tc := range []struct {
		name, userReply, want string
	}{
		{"accepts USER", "+OK send your password\r\n", "fail medium"},
		{"refuses plaintext", "-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.\r\n", "pass info"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{}
			port := listen(t, scripted(t, rec,
				step{"", "+OK POP3 ready\r\n", false},
				step{"CAPA", "-ERR unknown command\r\n", false},
				step{"STLS", "-ERR unknown command\r\n", false},
				step{"USER ecscan-probe-", tc.userReply, false},
				step{"QUIT", "+OK bye\r\n", false},
			))
			o := observeFake(t, "pop3", port, false, 2*time.Second)
			lines := rec.all()
			if len(lines) != 4 || lines[2] != "USER "+o.UserProbe.User || lines[3] != "QUIT" {
				t.Errorf("client sent %q, want CAPA, STLS, USER <probe>, QUIT", lines)
			}
			for _, l := range lines {
				if strings.HasPrefix(l, "PASS") || strings.HasPrefix(l, "APOP") || strings.HasPrefix(l, "AUTH") {
					t.Errorf("client sent %q: no authentication may be attempted", l)
				}
			}
			if got := outcomes(Evaluate(o, time.Now()))["mail.plaintext-auth"]; got != tc.want {
				t.Errorf("mail.plaintext-auth = %q, want %q", got, tc.want)
			}
		})
	}
}

// POP3S: TLS from the first byte; no STLS is sent.
func TestPOP3Implicit(t *testing.T) {
	rec := &recorder{}
	port := listen(t, implicitTLS(t, scripted(t, rec,
		step{"", "+OK ready\r\n", false},
		step{"CAPA", "+OK\r\nUSER\r\n.\r\n", false},
		step{"QUIT", "+OK\r\n", false},
	)))
	o := observeFake(t, "pop3", port, true, 2*time.Second)
	if got, want := rec.all(), []string{"CAPA", "QUIT"}; !slices.Equal(got, want) {
		t.Errorf("client sent %q, want %q", got, want)
	}
	got := outcomes(Evaluate(o, time.Now()))
	want := map[string]string{"mail.plaintext-auth": "pass info", "mail.version-disclosure": "pass info"}
	if !equalMaps(got, want) {
		t.Errorf("findings = %v, want %v", got, want)
	}
}

// STLS accepted, but the server does not speak TLS: the handshake fails.
func TestPOP3STLSHandshakeFails(t *testing.T) {
	port := listen(t, func(c net.Conn) {
		c.SetDeadline(time.Now().Add(10 * time.Second))
		r := bufio.NewReader(c)
		io.WriteString(c, "+OK ready\r\n")
		r.ReadString('\n')
		io.WriteString(c, "+OK\r\nSTLS\r\n.\r\n")
		r.ReadString('\n')
		io.WriteString(c, "+OK go ahead\r\nthis is not TLS at all\r\n")
		r.Read(make([]byte, 512)) // the ClientHello
		io.WriteString(c, "HTTP/1.0 400 Bad Request\r\n\r\n")
	})
	o := observeFake(t, "pop3", port, false, 2*time.Second)
	if o.Status != checks.StatusTLSError {
		t.Errorf("status %s (%s), want tls-error", o.Status, o.Error)
	}
	if o.StartTLS == nil || o.StartTLS.Injected == 0 {
		t.Errorf("StartTLS = %+v, want the bytes before the handshake counted", o.StartTLS)
	}
	if got, want := outcomes(Evaluate(o, time.Now()))["mail.starttls"], "fail medium"; got != want {
		t.Errorf("mail.starttls = %q, want %q", got, want)
	}
}
