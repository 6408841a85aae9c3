package smtp

import (
	"context"
	"flag"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"ecscan/checks"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// clock is a scan clock that starts on 1 April 2025 and moves 1 ms per reading.
func clock() func() time.Time {
	var mu sync.Mutex
	t := time.Date(2025, 4, 1, 9, 0, 0, 0, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Millisecond)
		return t
	}
}

func service(ap netip.AddrPort, tls bool) checks.Service {
	return checks.Service{Host: "mail.shop.test", Addr: ap.Addr(), Port: int(ap.Port()), Protocol: "smtp", TLS: tls}
}

// runOne runs the check on one service and returns its Result and Observation.
func runOne(t *testing.T, cfg Config, svc checks.Service) (checks.Result, *Observation) {
	t.Helper()
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Second
	}
	if cfg.Domains == nil {
		cfg.Domains = []string{"shop.test"}
	}
	cfg.random = func() string { return "5eed5eed5eed" }
	env := &checks.Env{Services: []checks.Service{svc}, Dialer: checks.NewDialer(checks.DefaultLimits(), netip.Addr{}), Now: clock()}
	var got []checks.Result
	var mu sync.Mutex
	err := New(cfg).Run(context.Background(), env, func(r checks.Result) {
		mu.Lock()
		got = append(got, r)
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("results: %d, want 1", len(got))
	}
	checkEvidenceRefs(t, got[0])
	return got[0], got[0].Data.(*Observation)
}

// checkEvidenceRefs checks that every finding names evidence the Result holds.
func checkEvidenceRefs(t *testing.T, r checks.Result) {
	t.Helper()
	ids := map[string]bool{}
	for _, e := range r.Evidence {
		ids[e.ID] = true
	}
	for _, f := range r.Findings {
		if len(f.Evidence) == 0 {
			t.Errorf("%s names no evidence", f.ID)
		}
		for _, e := range f.Evidence {
			if !ids[e] {
				t.Errorf("%s names evidence %q, which the result does not hold", f.ID, e)
			}
		}
	}
}

// outcomes summarises findings as "id outcome/severity".
func outcomes(fs []checks.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.ID+" "+string(f.Outcome)+"/"+f.Severity.String())
	}
	slices.Sort(out)
	return out
}

func findingByID(t *testing.T, fs []checks.Finding, id string) checks.Finding {
	t.Helper()
	for _, f := range fs {
		if f.ID == id {
			return f
		}
	}
	t.Fatalf("no finding %s in %v", id, outcomes(fs))
	return checks.Finding{}
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("client bytes differ from %s:\n got: %q\nwant: %q", path, got, want)
	}
}

// postfixVRFY answers VRFY as Postfix does with VRFY enabled.
func postfixVRFY(name string) string {
	if name == "postmaster" || name == "root" {
		return "252 2.0.0 " + name
	}
	return "550 5.1.1 <" + name + ">: Recipient address rejected: User unknown in local recipient table"
}

// postfixRcpt answers RCPT TO as Postfix does with local_recipient_maps: the names in
// local at shop.test are accepted, other names there are unknown users, and other domains
// get other, the reply to relaying.
func postfixRcpt(other string, local ...string) func(string) string {
	return func(to string) string {
		name, ok := strings.CutSuffix(to, "@shop.test")
		switch {
		case !ok:
			return other
		case slices.Contains(local, name):
			return "250 2.1.5 Ok"
		}
		return "550 5.1.1 <" + to + ">: Recipient address rejected: User unknown in local recipient table"
	}
}

func openRelay() *mta {
	return &mta{
		banner: "220 mail.shop.test ESMTP Postfix (3.7.11)",
		ext:    []string{"PIPELINING", "SIZE 10240000", "VRFY", "ETRN", "ENHANCEDSTATUSCODES", "8BITMIME", "DSN", "SMTPUTF8", "CHUNKING"},
		rcpt:   postfixRcpt("250 2.1.5 Ok", "postmaster", "root"),
		vrfy:   postfixVRFY,
	}
}

func TestOpenRelay(t *testing.T) {
	m := openRelay()
	res, obs := runOne(t, Config{}, service(m.start(t), false))
	if res.Status != checks.StatusOK || res.Target != "mail.shop.test:"+strings.TrimPrefix(res.Target, "mail.shop.test:") {
		t.Errorf("status %s (%s), target %s", res.Status, res.Error, res.Target)
	}
	got := outcomes(res.Findings)
	want := []string{
		"smtp.auth-plaintext pass/info", "smtp.expn pass/info", "smtp.open-relay fail/critical",
		"smtp.rcpt-enum fail/low", "smtp.sender-spoofing fail/high", "smtp.service info/info", "smtp.size-limit pass/info",
		"smtp.starttls fail/medium", "smtp.version-disclosure fail/low", "smtp.vrfy fail/low",
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n got %v\nwant %v", got, want)
	}
	relay := findingByID(t, res.Findings, "smtp.open-relay")
	for _, s := range []string{"16 of 16", "Possibly a false positive", "127.0.0.1", "percent-hack", "<@mail.shop.test:relaytest@example.net>"} {
		if !strings.Contains(relay.Detail.EN, s) {
			t.Errorf("open-relay detail lacks %q:\n%s", s, relay.Detail.EN)
		}
	}
	if !obs.Origin.MayBeTrusted || obs.Origin.Reason != "same-address" {
		t.Errorf("origin %+v, want same-address", obs.Origin)
	}
	if obs.Product != "Postfix" || obs.Version != "3.7.11" {
		t.Errorf("product %q %q", obs.Product, obs.Version)
	}
	client := m.clientBytes()
	if strings.Contains(client, "DATA") {
		t.Error("the relay test sent DATA without RelayTestTo")
	}
	golden(t, "open-relay.client", client)
}

func hardened(t *testing.T) *mta {
	base := []string{"PIPELINING", "SIZE 10240000", "ENHANCEDSTATUSCODES", "8BITMIME", "DSN", "SMTPUTF8", "CHUNKING"}
	return &mta{
		banner: "220 mx.shop.test ESMTP",
		ext:    slices.Insert(slices.Clone(base), 2, "STARTTLS"),
		extTLS: slices.Insert(slices.Clone(base), 2, "AUTH PLAIN LOGIN"),
		tls:    serverTLS(t),
		rcpt: func(to string) string {
			return postfixRcpt("554 5.7.1 <"+to+">: Relay access denied", "postmaster")(to)
		},
	}
}

func TestHardened(t *testing.T) {
	m := hardened(t)
	res, obs := runOne(t, Config{}, service(m.start(t), false))
	if res.Status != checks.StatusOK {
		t.Errorf("status %s: %s", res.Status, res.Error)
	}
	for _, f := range res.Findings {
		if f.Outcome == checks.Fail {
			t.Errorf("%s failed: %s", f.ID, f.Detail.EN)
		}
	}
	want := []string{
		"smtp.auth-plaintext pass/info", "smtp.expn pass/info", "smtp.open-relay pass/info",
		"smtp.rcpt-enum pass/info", "smtp.sender-spoofing pass/info", "smtp.service info/info", "smtp.size-limit pass/info",
		"smtp.starttls pass/info", "smtp.version-disclosure pass/info", "smtp.vrfy pass/info",
	}
	if got := outcomes(res.Findings); !slices.Equal(got, want) {
		t.Errorf("findings:\n got %v\nwant %v", got, want)
	}
	if auth := findingByID(t, res.Findings, "smtp.auth-plaintext"); !strings.Contains(auth.Detail.EN, "AUTH after STARTTLS: PLAIN LOGIN") {
		t.Errorf("auth detail: %s", auth.Detail.EN)
	}
	relay := findingByID(t, res.Findings, "smtp.open-relay")
	if n := strings.Count(relay.Detail.EN, "Relay access denied"); n != 16 {
		t.Errorf("pass lists %d refusals, want 16:\n%s", n, relay.Detail.EN)
	}
	if !obs.StartTLS.Upgraded() || !slices.Equal(obs.Capabilities().Auth, []string{"PLAIN", "LOGIN"}) || len(obs.Hello.Capabilities.Auth) != 0 {
		t.Errorf("starttls %+v, caps before %+v after %+v", obs.StartTLS, obs.Hello.Capabilities, obs.Capabilities())
	}
	golden(t, "hardened.client", m.clientBytes())
}

func TestVRFYAnswersEverything(t *testing.T) {
	m := hardened(t)
	m.vrfy = func(string) string { return "252 2.0.0 Cannot VRFY user, but will accept message and attempt delivery" }
	m.expn = func(name string) string {
		if name == "root" || name == "postmaster" {
			return "250 2.1.5 Charlie Root <root@mail.shop.test>"
		}
		return "550 5.1.1 " + name + "... User unknown"
	}
	res, obs := runOne(t, Config{}, service(m.start(t), false))
	vrfy := findingByID(t, res.Findings, "smtp.vrfy")
	if vrfy.Outcome != checks.Pass || !strings.Contains(vrfy.Title.EN, "answers every name alike") {
		t.Errorf("vrfy: %s %s", vrfy.Outcome, vrfy.Title.EN)
	}
	expn := findingByID(t, res.Findings, "smtp.expn")
	if expn.Outcome != checks.Fail || expn.Severity != checks.SevMedium {
		t.Errorf("expn: %s/%s, want fail/medium", expn.Outcome, expn.Severity)
	}
	if obs.VRFY.Control == nil || obs.VRFY.Control.Name != "ecscan-5eed5eed5eed" || len(obs.VRFY.Likely) != 2 {
		t.Errorf("vrfy test %+v", obs.VRFY)
	}
}

func TestRelayTestMessage(t *testing.T) {
	tests := []struct {
		name       string
		data       string
		wantQueued bool
		wantSaid   string
	}{
		{"DATA refused", "554 5.7.1 DATA refused by policy", false, "was not accepted: 554 5.7.1 DATA refused by policy"},
		{"queued", "", true, "was accepted for delivery (250 2.0.0 Ok: queued as 4XyZ1)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := openRelay()
			m.data = tc.data
			res, obs := runOne(t, Config{RelayTestTo: "operator@owner.test"}, service(m.start(t), false))
			msg := obs.Relay.Message
			if msg == nil || msg.Queued != tc.wantQueued || msg.From != outsideSender || msg.To != "operator@owner.test" {
				t.Fatalf("message %+v", msg)
			}
			relay := findingByID(t, res.Findings, "smtp.open-relay")
			if !strings.Contains(relay.Detail.EN, tc.wantSaid) {
				t.Errorf("detail lacks %q:\n%s", tc.wantSaid, relay.Detail.EN)
			}
			client := m.clientBytes()
			if got := strings.Count(client, "DATA\r\n"); got != 1 {
				t.Errorf("DATA sent %d times, want 1", got)
			}
			if !strings.Contains(client, "RCPT TO:<operator@owner.test>\r\nDATA\r\n") {
				t.Error("DATA did not follow the accepted RCPT to the operator's address")
			}
			if got := len(m.messages); tc.wantQueued != (got == 1) {
				t.Errorf("messages received: %d", got)
			}
			if tc.wantQueued && !strings.Contains(m.messages[0], "Subject: "+TestSubject+"\r\n") {
				t.Errorf("message not marked:\n%s", m.messages[0])
			}
		})
	}
}

// TestRelayTestMessageOnlyWhenAccepted: with RelayTestTo, a server that refuses every form
// gets no DATA, and one that refuses the operator's address gets none either.
func TestRelayTestMessageOnlyWhenAccepted(t *testing.T) {
	m := hardened(t)
	_, obs := runOne(t, Config{RelayTestTo: "operator@owner.test"}, service(m.start(t), false))
	if obs.Relay.Message != nil || strings.Contains(m.clientBytes(), "DATA") {
		t.Errorf("a test message was tried through a closed relay: %+v", obs.Relay.Message)
	}
	m = openRelay()
	m.rcpt = func(to string) string {
		if to == "operator@owner.test" {
			return "550 5.1.1 unknown"
		}
		return "250 2.1.5 Ok"
	}
	_, obs = runOne(t, Config{RelayTestTo: "operator@owner.test"}, service(m.start(t), false))
	if msg := obs.Relay.Message; msg == nil || msg.Rcpt == nil || msg.Rcpt.Code != 550 || msg.Data != nil {
		t.Errorf("message %+v", msg)
	}
	if strings.Contains(m.clientBytes(), "DATA") {
		t.Error("DATA sent after RCPT was refused")
	}
}

// TestSTARTTLSRequiredBeforeMail: a server that answers MAIL and VRFY with 530 "STARTTLS
// first" is asked again over TLS.
func TestSTARTTLSRequiredBeforeMail(t *testing.T) {
	m := hardened(t)
	m.mail = func(from string, tls bool) string {
		if !tls {
			return "530 5.7.0 Must issue a STARTTLS command first"
		}
		return "250 2.1.0 Ok"
	}
	m.vrfy = postfixVRFY
	m.hook = func(c *mtaConn, line string) (bool, bool) {
		if (strings.HasPrefix(line, "VRFY") || strings.HasPrefix(line, "EXPN")) && !c.inTLS {
			c.write("530 5.7.0 Must issue a STARTTLS command first")
			return true, false
		}
		return false, false
	}
	res, obs := runOne(t, Config{}, service(m.start(t), false))
	if f := findingByID(t, res.Findings, "smtp.vrfy"); f.Outcome != checks.Fail || len(obs.VRFY.Likely) != 2 {
		t.Errorf("vrfy %s, likely %+v: VRFY not asked again over TLS", f.Outcome, obs.VRFY.Likely)
	}
	if f := findingByID(t, res.Findings, "smtp.open-relay"); f.Outcome != checks.Pass {
		t.Errorf("open-relay %s: %s", f.Outcome, f.Detail.EN)
	}
	for _, f := range obs.Relay.Forms {
		if f.Rcpt == nil || f.Rcpt.Code != 554 {
			t.Errorf("form %s not asked over TLS: %+v", f.ID, f)
		}
	}
	if n := strings.Count(obs.dialogue("relay").Render(), "C: STARTTLS"); n != obs.Relay.Sessions || n != 2 {
		t.Errorf("relay dialogue upgraded %d times in %d sessions, want once in each of 2", n, obs.Relay.Sessions)
	}
}

func TestImplicitTLS(t *testing.T) {
	m := hardened(t)
	m.implicit = true
	m.ext = m.extTLS
	res, obs := runOne(t, Config{}, service(m.start(t), true))
	if res.Status != checks.StatusOK || obs.TLS == nil {
		t.Fatalf("status %s (%s), tls %+v", res.Status, res.Error, obs.TLS)
	}
	for _, id := range []string{"smtp.starttls", "smtp.auth-plaintext"} {
		if f := findingByID(t, res.Findings, id); f.Outcome != checks.Pass || !strings.Contains(f.Detail.EN, "first byte") {
			t.Errorf("%s: %s %s", id, f.Outcome, f.Detail.EN)
		}
	}
}

func TestAuthPlaintextBeforeSTARTTLS(t *testing.T) {
	m := hardened(t)
	m.ext = append(m.ext, "AUTH=PLAIN LOGIN CRAM-MD5")
	res, _ := runOne(t, Config{}, service(m.start(t), false))
	f := findingByID(t, res.Findings, "smtp.auth-plaintext")
	if f.Outcome != checks.Fail || f.Severity != checks.SevMedium || !strings.Contains(f.Title.EN, "AUTH PLAIN LOGIN") {
		t.Errorf("auth-plaintext %s/%s %s", f.Outcome, f.Severity, f.Title.EN)
	}
}

func TestHELOOnly(t *testing.T) {
	m := hardened(t)
	m.noEHLO = true
	res, obs := runOne(t, Config{}, service(m.start(t), false))
	if obs.Hello == nil || obs.Hello.Command != "HELO" || obs.Hello.EHLORefused.Code != 502 {
		t.Fatalf("hello %+v", obs.Hello)
	}
	want := map[string]checks.Outcome{"smtp.starttls": checks.Fail, "smtp.size-limit": checks.Fail, "smtp.open-relay": checks.Pass}
	for id, o := range want {
		if f := findingByID(t, res.Findings, id); f.Outcome != o {
			t.Errorf("%s: %s, want %s", id, f.Outcome, o)
		}
	}
	if !strings.Contains(findingByID(t, res.Findings, "smtp.size-limit").Detail.EN, "only HELO") {
		t.Error("size-limit detail does not say the server speaks only HELO")
	}
}
