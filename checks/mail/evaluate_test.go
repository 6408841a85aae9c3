package mail

import (
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"ecscan/checks"
)

func obs(proto string, mod func(o *Observation)) *Observation {
	o := &Observation{Host: "mail.example", Addr: netip.MustParseAddr("192.0.2.1"), Port: 143, Protocol: proto, Greeted: true, Status: checks.StatusOK}
	if proto == "pop3" {
		o.Port = 110
	}
	mod(o)
	return o
}

func upgraded(caps ...string) *StartTLS {
	return &StartTLS{Offered: true, Tried: true, Accepted: true, Handshake: &TLSInfo{Version: "TLS 1.3", Cipher: "TLS_AES_128_GCM_SHA256"}, Capabilities: caps}
}

// The rules of Evaluate, without sockets.
func TestEvaluate(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    *Observation
		want map[string]string
	}{
		{"hardened imap", obs("imap", func(o *Observation) {
			o.CapsKnown, o.Capabilities = true, []string{"IMAP4rev1", "STARTTLS", "LOGINDISABLED"}
			o.StartTLS = upgraded("IMAP4rev1", "AUTH=PLAIN")
			o.Product = "Dovecot"
		}), map[string]string{"mail.plaintext-auth": "pass info", "mail.starttls": "pass info", "mail.version-disclosure": "pass info"}},
		{"imap LOGINDISABLED but AUTH=PLAIN before TLS", obs("imap", func(o *Observation) {
			o.CapsKnown, o.Capabilities = true, []string{"IMAP4rev1", "STARTTLS", "LOGINDISABLED", "AUTH=PLAIN"}
			o.StartTLS = upgraded()
		}), map[string]string{"mail.plaintext-auth": "fail medium", "mail.starttls": "pass info", "mail.version-disclosure": "pass info"}},
		{"imap challenge-response only, no STARTTLS", obs("imap", func(o *Observation) {
			o.CapsKnown, o.Capabilities = true, []string{"IMAP4rev1", "LOGINDISABLED", "AUTH=CRAM-MD5"}
			o.StartTLS = &StartTLS{}
		}), map[string]string{"mail.plaintext-auth": "pass info", "mail.starttls": "fail low", "mail.version-disclosure": "pass info"}},
		{"pop3 USER and broken STLS", obs("pop3", func(o *Observation) {
			o.CapsKnown, o.Capabilities = true, []string{"USER", "STLS"}
			o.StartTLS = &StartTLS{Offered: true, Tried: true, Accepted: true, Handshake: &TLSInfo{Error: "tls: handshake failure"}}
			o.APOP = "<1.2@x>"
		}), map[string]string{"mail.plaintext-auth": "fail medium", "mail.starttls": "fail medium", "mail.apop": "info info", "mail.version-disclosure": "pass info"}},
		{"pop3 SASL LOGIN only", obs("pop3", func(o *Observation) {
			o.CapsKnown, o.Capabilities = true, []string{"SASL LOGIN", "TOP"}
			o.StartTLS = &StartTLS{}
		}), map[string]string{"mail.plaintext-auth": "fail medium", "mail.starttls": "fail medium", "mail.version-disclosure": "pass info"}},
		{"pop3 without CAPA, USER probe not telling", obs("pop3", func(o *Observation) {
			o.UserProbe = &UserProbe{User: "x", Reply: "-ERR no such user"}
			o.StartTLS = &StartTLS{Tried: true, Reply: "-ERR"}
		}), map[string]string{"mail.starttls": "fail low", "mail.version-disclosure": "pass info"}},
		{"version disclosed", obs("imap", func(o *Observation) {
			o.Product, o.Version, o.From = "Cyrus IMAP", "2.4.17", "greeting"
		}), map[string]string{"mail.version-disclosure": "fail low"}},
		{"implicit TLS", obs("imap", func(o *Observation) {
			o.Port, o.ImplicitTLS, o.TLS = 993, true, &TLSInfo{Version: "TLS 1.2"}
			o.CapsKnown, o.Capabilities = true, []string{"IMAP4rev1", "AUTH=PLAIN"}
		}), map[string]string{"mail.plaintext-auth": "pass info", "mail.version-disclosure": "pass info"}},
		{"implicit TLS handshake failed", obs("imap", func(o *Observation) {
			o.Port, o.ImplicitTLS, o.TLS, o.Greeted = 993, true, &TLSInfo{Error: "tls: bad record"}, false
			o.Status = checks.StatusTLSError
		}), map[string]string{}},
		{"not greeted", obs("pop3", func(o *Observation) {
			o.Greeted, o.Status = false, checks.StatusTimeout
		}), map[string]string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := Evaluate(tc.o, time.Now())
			if got := outcomes(fs); !equalMaps(got, tc.want) {
				t.Errorf("findings = %v, want %v", got, tc.want)
			}
			for _, f := range fs {
				if f.Title.JA == "" || f.Title.EN == "" || f.Detail.JA == "" || f.Detail.EN == "" {
					t.Errorf("%s: a title or detail is missing a language: %+v", f.ID, f)
				}
				if f.Subject != "tcp/"+strconv.Itoa(tc.o.Port) || f.Host != "mail.example" || len(f.Evidence) != 1 {
					t.Errorf("%s: subject %q host %q evidence %v", f.ID, f.Subject, f.Host, f.Evidence)
				}
				if f.Outcome != checks.Fail && f.Severity != checks.SevInfo {
					t.Errorf("%s: a %s with severity %s", f.ID, f.Outcome, f.Severity)
				}
			}
		})
	}
}

// The evidence summary names what the findings rest on.
func TestEvidenceSummary(t *testing.T) {
	o := obs("imap", func(o *Observation) {
		o.CapsKnown, o.Capabilities = true, []string{"IMAP4rev1", "AUTH=PLAIN"}
		o.StartTLS = &StartTLS{}
		o.Transcript = []Line{{Dir: "S", Data: "* OK ready"}, {Dir: "C", Data: "E1 CAPABILITY"}}
	})
	ev := BuildEvidence(o, time.Now())
	for _, want := range []string{"S: * OK ready\n", "C: E1 CAPABILITY\n", "# password in clear before TLS: allowed (LOGIN command, AUTHENTICATE PLAIN)", "# upgrade to TLS: not offered"} {
		if !strings.Contains(ev[0].Data, want) {
			t.Errorf("evidence lacks %q:\n%s", want, ev[0].Data)
		}
	}
}
