package mail

import (
	"slices"
	"strings"
	"testing"
	"time"

	"ecscan/checks"
)

// A hardened IMAP server: LOGINDISABLED before TLS, STARTTLS, AUTH=PLAIN only inside TLS.
func TestIMAPLoginDisabledAndSTARTTLS(t *testing.T) {
	rec := &recorder{}
	port := listen(t, scripted(t, rec,
		step{"", "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS LOGINDISABLED] Dovecot (Debian) ready.\r\n", false},
		step{"E1 ID NIL", "* ID (\"name\" \"Dovecot\")\r\nE1 OK ID completed.\r\n", false},
		step{"E2 STARTTLS", "E2 OK Begin TLS negotiation now.\r\n", true},
		step{"E3 CAPABILITY", "* CAPABILITY IMAP4rev1 SASL-IR ID IDLE LITERAL+ AUTH=PLAIN\r\nE3 OK Pre-login capabilities listed, post-login capabilities have more.\r\n", false},
		step{"E4 LOGOUT", "* BYE Logging out\r\nE4 OK Logout completed.\r\n", false},
	))
	o := observeFake(t, "imap", port, false, 2*time.Second)
	if o.Status != checks.StatusOK {
		t.Fatalf("status %s (%s), want ok", o.Status, o.Error)
	}
	if got, want := rec.all(), []string{"E1 ID NIL", "E2 STARTTLS", "E3 CAPABILITY", "E4 LOGOUT"}; !slices.Equal(got, want) {
		t.Errorf("client sent %q, want %q", got, want)
	}
	if !o.StartTLS.Upgraded() || !hasCap(o.StartTLS.Capabilities, "AUTH=PLAIN") {
		t.Errorf("StartTLS = %+v, want an upgrade and AUTH=PLAIN inside", o.StartTLS)
	}
	got := outcomes(Evaluate(o, time.Now()))
	want := map[string]string{
		"mail.plaintext-auth":     "pass info",
		"mail.starttls":           "pass info",
		"mail.version-disclosure": "pass info",
	}
	if !equalMaps(got, want) {
		t.Errorf("findings = %v, want %v", got, want)
	}
}

// An IMAP server that allows LOGIN and AUTH=PLAIN in clear, without STARTTLS, and names its
// version in ID (sent as a literal).
func TestIMAPPlaintextAllowed(t *testing.T) {
	rec := &recorder{}
	port := listen(t, scripted(t, rec,
		step{"", "* OK IMAP server ready\r\n", false},
		step{"E1 CAPABILITY", "* CAPABILITY IMAP4rev1 ID AUTH=PLAIN AUTH=CRAM-MD5\r\nE1 OK done\r\n", false},
		step{"E2 ID NIL", "* ID (\"name\" {7}\r\nDovecot \"version\" \"2.3.19\")\r\nE2 OK\r\n", false},
		step{"E3 LOGOUT", "* BYE\r\nE3 OK\r\n", false},
	))
	o := observeFake(t, "imap", port, false, 2*time.Second)
	if got, want := rec.all(), []string{"E1 CAPABILITY", "E2 ID NIL", "E3 LOGOUT"}; !slices.Equal(got, want) {
		t.Errorf("client sent %q, want %q", got, want)
	}
	allowed, known, ways := o.Plaintext()
	if !allowed || !known || !slices.Equal(ways, []string{"LOGIN command", "AUTHENTICATE PLAIN"}) {
		t.Errorf("Plaintext() = %v, %v, %q; want the LOGIN command and AUTHENTICATE PLAIN", allowed, known, ways)
	}
	if o.Product != "Dovecot" || o.Version != "2.3.19" || o.From != "ID" {
		t.Errorf("product %q version %q from %q, want Dovecot 2.3.19 from ID", o.Product, o.Version, o.From)
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
}

// IMAPS with a PREAUTH greeting inside TLS, and a cleartext PREAUTH server.
func TestIMAPPreauth(t *testing.T) {
	rec := &recorder{}
	port := listen(t, scripted(t, rec,
		step{"", "* PREAUTH [CAPABILITY IMAP4rev1] logged in as shop\r\n", false},
		step{"E1 LOGOUT", "* BYE\r\nE1 OK\r\n", false},
	))
	o := observeFake(t, "imap", port, false, 2*time.Second)
	if got, want := rec.all(), []string{"E1 LOGOUT"}; !slices.Equal(got, want) {
		t.Errorf("client sent %q, want %q (no STARTTLS once authenticated)", got, want)
	}
	if got, want := outcomes(Evaluate(o, time.Now()))["mail.plaintext-auth"], "fail high"; got != want {
		t.Errorf("mail.plaintext-auth = %q, want %q", got, want)
	}
}

// IMAPS: TLS from the first byte; the greeting's capabilities are enough.
func TestIMAPImplicit(t *testing.T) {
	rec := &recorder{}
	port := listen(t, implicitTLS(t, scripted(t, rec,
		step{"", "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] Cyrus IMAP v2.4.17-Debian-2.4.17 server ready\r\n", false},
		step{"E1 LOGOUT", "* BYE\r\nE1 OK\r\n", false},
	)))
	o := observeFake(t, "imap", port, true, 2*time.Second)
	if o.TLS == nil || o.TLS.Version == "" {
		t.Errorf("TLS = %+v, want a handshake", o.TLS)
	}
	got := outcomes(Evaluate(o, time.Now()))
	want := map[string]string{"mail.plaintext-auth": "pass info", "mail.version-disclosure": "fail low"}
	if !equalMaps(got, want) {
		t.Errorf("findings = %v, want %v", got, want)
	}
	if o.Product != "Cyrus IMAP" || o.Version != "2.4.17-Debian-2.4.17" {
		t.Errorf("product %q version %q, want Cyrus IMAP 2.4.17-Debian-2.4.17", o.Product, o.Version)
	}
}

// STARTTLS refused although the capabilities are unknown: tried blindly.
func TestIMAPSTARTTLSRefused(t *testing.T) {
	rec := &recorder{}
	port := listen(t, scripted(t, rec,
		step{"", "* OK ready\r\n", false},
		step{"E1 CAPABILITY", "E1 BAD unknown\r\n", false},
		step{"E2 STARTTLS", "E2 BAD unknown command\r\n", false},
		step{"E3 LOGOUT", "E3 OK\r\n", false},
	))
	o := observeFake(t, "imap", port, false, 2*time.Second)
	if !o.StartTLS.Tried || o.StartTLS.Accepted || o.CapsKnown {
		t.Errorf("StartTLS = %+v, CapsKnown %v; want tried and refused, capabilities unknown", o.StartTLS, o.CapsKnown)
	}
	got := outcomes(Evaluate(o, time.Now()))
	want := map[string]string{"mail.starttls": "fail low", "mail.version-disclosure": "pass info"}
	if !equalMaps(got, want) {
		t.Errorf("findings = %v, want %v", got, want)
	}
}

// A server that says BYE in its greeting, or mid-dialogue, ends the dialogue with status
// reset.
func TestIMAPBye(t *testing.T) {
	for _, steps := range [][]step{
		{{"", "* BYE too many connections\r\n", false}},
		{{"", "* OK ready\r\n", false}, {"E1 CAPABILITY", "* BYE shutting down\r\n", false}},
	} {
		port := listen(t, scripted(t, &recorder{}, steps...))
		o := observeFake(t, "imap", port, false, 2*time.Second)
		if o.Status != checks.StatusReset || !strings.Contains(o.Error, "BYE") {
			t.Errorf("status %s (%s), want reset with BYE", o.Status, o.Error)
		}
	}
}
