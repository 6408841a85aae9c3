package smtp

import (
	"context"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"ecscan/checks"
)

// newProber returns a prober for a fake at ap, as Run would build it.
func newProber(ap netip.AddrPort, timeout time.Duration) *prober {
	cfg := Config{HeloName: DefaultHeloName, Timeout: timeout, random: func() string { return "5eed5eed5eed" }}
	ep := endpoint{host: "mail.shop.test", addr: ap.Addr(), port: int(ap.Port())}
	return &prober{cfg: cfg, dialer: checks.NewDialer(checks.DefaultLimits(), netip.Addr{}), ep: ep, own: "shop.test",
		now: clock(), random: cfg.random, timeout: timeout, budget: sessionBudget * timeout,
		obs: &Observation{Host: ep.host, Addr: ep.addr, Port: ep.port, Status: checks.StatusOK}}
}

// TestSessionTranscripts plays transcripts of the session dialogue; the client's bytes
// must be the transcript's C: lines, in order.
func TestSessionTranscripts(t *testing.T) {
	tests := []struct {
		name       string
		transcript string
		wantStatus checks.Status
		check      func(t *testing.T, obs *Observation)
	}{
		{"multi-line reply split across reads", `
			S: 220 mail.shop.test ESMTP
			C: EHLO ecscan.invalid
			S~ 250-mail.shop.test
			S+ 250-SIZ
			S: E 52428800
			S+ 250-AUTH=PLA
			S: IN
			S~ 250 8BITMIME
			C: QUIT
			S: 221 bye`, checks.StatusOK,
			func(t *testing.T, obs *Observation) {
				c := obs.Hello.Capabilities
				if !c.SizeAdvertised || c.Size != 52428800 || !slices.Equal(c.Auth, []string{"PLAIN"}) || !c.EightBitMIME || len(obs.Hello.Reply.Lines) != 4 {
					t.Errorf("capabilities %+v from %q", c, obs.Hello.Reply.Lines)
				}
			}},
		{"HELO only", `
			S: 220 old.shop.test Sendmail 8.9.3/8.9.3; ready
			C: EHLO ecscan.invalid
			S: 500 5.5.1 Command unrecognized: "EHLO ecscan.invalid"
			C: HELO ecscan.invalid
			S: 250 old.shop.test Hello
			C: QUIT
			S: 221 bye`, checks.StatusOK,
			func(t *testing.T, obs *Observation) {
				if obs.Hello.Command != "HELO" || obs.Hello.Capabilities.ESMTP || obs.Product != "Sendmail" || obs.Version != "8.9.3" {
					t.Errorf("hello %+v, product %q %q", obs.Hello, obs.Product, obs.Version)
				}
			}},
		{"421 mid-dialogue", `
			S: 220 mail.shop.test ESMTP
			C: EHLO ecscan.invalid
			S: 421 4.3.2 Service shutting down and closing transmission channel
			CLOSE`, checks.StatusReset,
			func(t *testing.T, obs *Observation) {
				if !strings.Contains(obs.Error, "421 4.3.2") {
					t.Errorf("error %q does not give the 421", obs.Error)
				}
			}},
		{"STARTTLS refused", `
			S: 220 mail.shop.test ESMTP
			C: EHLO ecscan.invalid
			S: 250-mail.shop.test
			S: 250 STARTTLS
			C: STARTTLS
			S: 454 4.7.0 TLS not available due to local problem
			C: QUIT
			S: 221 bye`, checks.StatusOK,
			func(t *testing.T, obs *Observation) {
				f := evalStartTLS(obs)
				if obs.StartTLS.Reply.Code != 454 || f.Outcome != checks.Fail || !strings.Contains(f.Detail.EN, "454 4.7.0") {
					t.Errorf("starttls %+v: %s %s", obs.StartTLS, f.Outcome, f.Detail.EN)
				}
			}},
		{"banner 554", `
			S: 554 5.7.1 No SMTP service here
			C: QUIT
			S: 221 bye`, checks.StatusRefused,
			func(t *testing.T, obs *Observation) {
				if obs.Hello != nil || len(Evaluate(obs, time.Time{})) != 2 {
					t.Errorf("hello %+v, findings %v", obs.Hello, outcomes(Evaluate(obs, time.Time{})))
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newProber(script(t, tc.transcript), 5*time.Second)
			r.sessionTest(context.Background())
			obs := r.obs
			if obs.Status != tc.wantStatus {
				t.Errorf("status %s (%s), want %s", obs.Status, obs.Error, tc.wantStatus)
			}
			var want strings.Builder
			for _, l := range strings.Split(tc.transcript, "\n") {
				if c, ok := strings.CutPrefix(strings.TrimSpace(l), "C: "); ok {
					want.WriteString(c + "\r\n")
				}
			}
			if got := obs.dialogue("session").Sent(); got != want.String() {
				t.Errorf("client sent %q, want %q", got, want.String())
			}
			tc.check(t, obs)
		})
	}
}

// TestRelayReconnectsAfter421: a server that ends the session with 421 at the 6th RCPT of
// every connection is reconnected to twice, each time from the next form on: forms 1-5,
// 6 cut; 7-11, 12 cut; 13-16.
func TestRelayReconnectsAfter421(t *testing.T) {
	m := hardened(t)
	m.hook = func(c *mtaConn, line string) (bool, bool) {
		if strings.HasPrefix(line, "RCPT") && c.cmds["RCPT"] == 6 {
			c.write("421 4.7.0 mx.shop.test Error: too many errors")
			return true, true
		}
		return false, false
	}
	res, obs := runOne(t, Config{}, service(m.start(t), false))
	rel := obs.Relay
	if rel.Sessions != 3 || rel.Status != checks.StatusReset || res.Status != checks.StatusReset {
		t.Errorf("sessions %d, relay status %s, result status %s (%s)", rel.Sessions, rel.Status, res.Status, res.Error)
	}
	var got []string
	for _, f := range rel.Forms {
		got = append(got, f.Outcome)
	}
	want := slices.Repeat([]string{Refused}, 16)
	want[5], want[11] = Errored, Errored
	if !slices.Equal(got, want) {
		t.Errorf("outcomes\n got %v\nwant %v", got, want)
	}
	if f := findingByID(t, res.Findings, "smtp.open-relay"); f.Outcome != checks.Info {
		t.Errorf("open-relay %s, want info (two forms unanswered)", f.Outcome)
	}
	if n := m.conns(); n != 5 {
		t.Errorf("connections: %d, want 5 (session, 3 relay, enum)", n)
	}
}

// TestRelayGivesUpWithoutProgress: a server that answers 421 to the first MAIL of every
// session is not asked again.
func TestRelayGivesUpWithoutProgress(t *testing.T) {
	m := hardened(t)
	m.mail = func(string, bool) string { return "421 4.3.2 busy" }
	_, obs := runOne(t, Config{}, service(m.start(t), false))
	rel := obs.Relay
	if rel.Sessions != 1 || rel.Forms[0].Outcome != Errored || rel.Forms[1].Outcome != NotTried {
		t.Errorf("sessions %d, forms %v %v", rel.Sessions, rel.Forms[0].Outcome, rel.Forms[1].Outcome)
	}
}
