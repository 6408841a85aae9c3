package smtp

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"ecscan/checks"
)

func rep(code int, text ...string) Reply { return Reply{Code: code, Lines: text} }

func TestEnumVerdict(t *testing.T) {
	address, accepted252 := rep(250, "2.1.5 Charlie Root <root@mail.shop.test>"), rep(252, "2.0.0 root")
	refused550, disabled := rep(550, "5.1.1 User unknown"), rep(502, "5.5.1 VRFY command is disabled")
	deferred, plain250 := rep(450, "4.7.1 try later"), rep(250, "2.1.5 root")
	tests := []struct {
		name    string
		likely  []Reply
		control *Reply
		want    string
	}{
		{"address, control refused", []Reply{refused550, address}, &refused550, enumDiscloses},
		{"252, control refused", []Reply{accepted252, accepted252}, &refused550, enumDistinguishes},
		{"250 without address, control refused", []Reply{plain250, plain250}, &refused550, enumDistinguishes},
		{"252 to all", []Reply{accepted252, accepted252}, &accepted252, enumAnswersAll},
		{"address to all", []Reply{address, address}, &address, enumAnswersAll},
		{"disabled", []Reply{disabled}, nil, enumRefused},
		{"all refused", []Reply{refused550, refused550}, &refused550, enumRefused},
		{"address, control unanswered", []Reply{address}, &Reply{}, enumUndecided},
		{"address, no control", []Reply{address}, nil, enumUndecided},
		{"temporary", []Reply{deferred, deferred}, &refused550, enumUndecided},
		{"nothing asked", nil, nil, enumUndecided},
	}
	for _, tc := range tests {
		e := &EnumResult{Command: "EXPN"}
		for i, r := range tc.likely {
			e.Likely = append(e.Likely, NameTest{Name: likelyNames[i%2], Reply: r})
		}
		if tc.control != nil {
			e.Control = &NameTest{Name: "ecscan-x", Reply: *tc.control}
		}
		if got := enumVerdict(e); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestEvalEnumSeverity(t *testing.T) {
	tests := []struct {
		command string
		likely  Reply
		want    checks.Outcome
		sev     checks.Severity
	}{
		{"EXPN", rep(250, "<root@mail.shop.test>"), checks.Fail, checks.SevMedium},
		{"VRFY", rep(250, "<root@mail.shop.test>"), checks.Fail, checks.SevLow},
		{"EXPN", rep(252, "2.0.0 root"), checks.Fail, checks.SevLow},
		{"VRFY", rep(502, "disabled"), checks.Pass, checks.SevInfo},
		{"VRFY", rep(421, "bye"), checks.Info, checks.SevInfo},
	}
	for _, tc := range tests {
		e := &EnumResult{Command: tc.command, Likely: []NameTest{{Name: "root", Reply: tc.likely}}, Control: &NameTest{Name: "ecscan-x", Reply: rep(550, "unknown")}}
		f, ok := evalEnum(e)
		if !ok || f.ID != "smtp."+strings.ToLower(tc.command) || f.Outcome != tc.want || f.Severity != tc.sev {
			t.Errorf("%s %v: %s %s/%s, want %s/%s", tc.command, tc.likely, f.ID, f.Outcome, f.Severity, tc.want, tc.sev)
		}
	}
}

// relayObs builds an observation whose relay forms ended with the given outcomes, in the
// order of RelayForms.
func relayObs(source string, outcomes ...string) *Observation {
	forms := notTried(RelayForms("shop.test", "mail.shop.test", "[192.0.2.25]"))
	for i, o := range outcomes {
		forms[i].Outcome = o
		r := map[string]Reply{Accepted: rep(250, "2.1.5 Ok"), Refused: rep(554, "5.7.1 Relay access denied"), Deferred: rep(450, "4.7.1 greylisted")}[o]
		forms[i].Rcpt = &r
	}
	for i := len(outcomes); i < len(forms); i++ {
		r := rep(554, "5.7.1 Relay access denied")
		forms[i].Outcome, forms[i].Rcpt = Refused, &r
	}
	server := netip.MustParseAddr("192.0.2.25")
	return &Observation{Host: "mail.shop.test", Addr: server, Port: 25, Relay: &RelayResult{Forms: forms},
		Origin: assessOrigin(netip.MustParseAddr(source), server)}
}

func TestEvalRelay(t *testing.T) {
	tricks := make([]string, 16)
	for i := range tricks {
		tricks[i] = Refused
	}
	tricks[15] = Accepted // bang-path-at-server
	tests := []struct {
		name     string
		obs      *Observation
		want     checks.Outcome
		sev      checks.Severity
		contains []string
		spoofing checks.Outcome
		lacks    string
	}{
		{"plain accepted from outside", relayObs("198.51.100.7", Accepted), checks.Fail, checks.SevCritical,
			[]string{"1 of 16", "- plain:", "198.51.100.7, an address outside the server's network"}, checks.Pass, "false positive"},
		{"accepted from loopback", relayObs("127.0.99.1", Accepted, Accepted, Accepted), checks.Fail, checks.SevCritical,
			[]string{"3 of 16", "Possibly a false positive", "127.0.99.1"}, checks.Fail, ""},
		{"only a trick accepted", relayObs("198.51.100.7", tricks...), checks.Fail, checks.SevCritical,
			[]string{"Only recipients with routing syntax", "bang-path-at-server"}, checks.Pass, ""},
		{"all refused", relayObs("198.51.100.7"), checks.Pass, checks.SevInfo,
			[]string{"All 16 ways", "tested from 198.51.100.7", "- source-route: MAIL FROM:<ecscan-relay-test@example.org> RCPT TO:<@mail.shop.test:relaytest@example.net> → 554"}, checks.Pass, ""},
		{"greylisted", relayObs("198.51.100.7", Deferred, Deferred, Deferred), checks.Info, checks.SevInfo,
			[]string{"450 4.7.1 greylisted"}, checks.Info, ""},
		{"cut short", relayObs("198.51.100.7", Refused, Errored, NotTried), checks.Info, checks.SevInfo,
			[]string{"not-tried"}, checks.Info, ""},
	}
	for _, tc := range tests {
		fs := Evaluate(tc.obs, time.Time{})
		f, sp := fs[0], fs[1]
		if f.ID != "smtp.open-relay" || f.Outcome != tc.want || f.Severity != tc.sev {
			t.Errorf("%s: %s %s/%s, want %s/%s", tc.name, f.ID, f.Outcome, f.Severity, tc.want, tc.sev)
		}
		for _, s := range tc.contains {
			if !strings.Contains(f.Detail.EN, s) {
				t.Errorf("%s: detail lacks %q:\n%s", tc.name, s, f.Detail.EN)
			}
		}
		if tc.lacks != "" && strings.Contains(f.Detail.EN, tc.lacks) {
			t.Errorf("%s: detail says %q", tc.name, tc.lacks)
		}
		if sp.ID != "smtp.sender-spoofing" || sp.Outcome != tc.spoofing {
			t.Errorf("%s: %s %s, want %s", tc.name, sp.ID, sp.Outcome, tc.spoofing)
		}
		if f.Host != "mail.shop.test" || f.Port != 25 || f.Addr != "192.0.2.25" || f.Check != "smtp" {
			t.Errorf("%s: identity %q %q %d %q", tc.name, f.Host, f.Addr, f.Port, f.Check)
		}
	}
}

func TestEvalSession(t *testing.T) {
	caps := func(lines ...string) *Hello {
		r := rep(250, append([]string{"mail.shop.test"}, lines...)...)
		return &Hello{Command: "EHLO", Reply: r, Capabilities: ParseCapabilities(r)}
	}
	upgraded := func(h *Hello) *StartTLSResult {
		return &StartTLSResult{Reply: rep(220, "ready"), TLS: &TLSInfo{Version: "TLS 1.3", Cipher: "TLS_AES_128_GCM_SHA256"}, Hello: h}
	}
	banner := rep(220, "mail.shop.test ESMTP")
	tests := []struct {
		name string
		obs  *Observation
		want map[string]checks.Outcome
	}{
		{"hardened", &Observation{Banner: &banner, Hello: caps("SIZE 1000", "STARTTLS"), StartTLS: upgraded(caps("SIZE 1000", "AUTH PLAIN"))},
			map[string]checks.Outcome{"smtp.starttls": checks.Pass, "smtp.auth-plaintext": checks.Pass, "smtp.size-limit": checks.Pass, "smtp.version-disclosure": checks.Pass}},
		{"no STARTTLS, AUTH in clear, SIZE 0", &Observation{Banner: &banner, Hello: caps("SIZE 0", "AUTH LOGIN")},
			map[string]checks.Outcome{"smtp.starttls": checks.Fail, "smtp.auth-plaintext": checks.Fail, "smtp.size-limit": checks.Fail}},
		{"handshake failed", &Observation{Banner: &banner, Hello: caps("STARTTLS"), StartTLS: &StartTLSResult{Reply: rep(220, "go"), Error: "tls: handshake failure"}},
			map[string]checks.Outcome{"smtp.starttls": checks.Fail, "smtp.size-limit": checks.Fail}},
		{"size after STARTTLS only", &Observation{Banner: &banner, Hello: caps("STARTTLS"), StartTLS: upgraded(caps("SIZE 5000"))},
			map[string]checks.Outcome{"smtp.size-limit": checks.Pass}},
		{"implicit TLS", &Observation{Banner: &banner, ImplicitTLS: true, TLS: &TLSInfo{Version: "TLS 1.2"}, Hello: caps("AUTH PLAIN LOGIN")},
			map[string]checks.Outcome{"smtp.starttls": checks.Pass, "smtp.auth-plaintext": checks.Pass}},
		{"version in banner", &Observation{Banner: &banner, Product: "Exim", Version: "4.96"},
			map[string]checks.Outcome{"smtp.version-disclosure": checks.Fail, "smtp.service": checks.Info}},
		{"no banner", &Observation{}, map[string]checks.Outcome{}},
	}
	for _, tc := range tests {
		got := map[string]checks.Outcome{}
		for _, f := range Evaluate(tc.obs, time.Time{}) {
			got[f.ID] = f.Outcome
			if f.Outcome == checks.Pass && f.Severity != checks.SevInfo || f.Outcome == checks.Fail && f.Severity == checks.SevInfo {
				t.Errorf("%s: %s %s with severity %s", tc.name, f.ID, f.Outcome, f.Severity)
			}
			if f.Title.JA == "" || f.Title.EN == "" || f.Detail.JA == "" || f.Detail.EN == "" {
				t.Errorf("%s: %s lacks a title or detail in one language", tc.name, f.ID)
			}
		}
		for id, want := range tc.want {
			if got[id] != want {
				t.Errorf("%s: %s = %q, want %q", tc.name, id, got[id], want)
			}
		}
		if len(tc.want) == 0 && len(got) != 0 {
			t.Errorf("%s: findings %v from nothing", tc.name, got)
		}
	}
}
