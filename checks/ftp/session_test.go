package ftp

import (
	"bufio"
	"io"
	"net"
	"slices"
	"strings"
	"testing"

	"ecscan/checks"
)

const unixListing = "drwxr-xr-x    2 0        0            4096 Jan 01 12:00 pub\r\n" +
	"drwxrwxrwx    2 0        0            4096 Jan 01 12:00 incoming\r\n" +
	"-rw-r--r--    1 0        0              31 Jan 01 12:00 README\r\n"

// Anonymous login with a listing and a world-writable directory; the listing goes over
// EPSV since FEAT (multi-line) lists it; nothing is written without Intrusive.
func TestAnonymousListing(t *testing.T) {
	f := &fakeFTP{anonymous: true, listing: unixListing, feat: []string{"EPSV", "PASV", "SIZE", "UTF8"}, writable: []string{"incoming"}}
	o := observeFake(t, f.start(t), Config{})
	if o.Status != checks.StatusOK {
		t.Fatalf("status %s (%s), want ok", o.Status, o.Error)
	}
	if got, want := o.Features, []string{"EPSV", "PASV", "SIZE", "UTF8"}; !slices.Equal(got, want) {
		t.Errorf("features %q, want %q", got, want)
	}
	l := o.Listing
	if l == nil || !l.Read || l.Total != 3 || len(l.Writable) != 1 || l.Writable[0].Name != "incoming" {
		t.Fatalf("listing %+v, want 3 entries, incoming writable", l)
	}
	if len(o.Passive) != DefaultPassiveSamples || o.Passive[0].Command != "EPSV" || o.Passive[1].Command != "PASV" {
		t.Errorf("passive samples %+v, want EPSV for the listing then PASV up to %d", o.Passive, DefaultPassiveSamples)
	}
	for _, verb := range []string{"STOR", "DELE", "PORT", "MKD", "APPE"} {
		if f.saw(verb) {
			t.Errorf("the fake saw %s without Intrusive", verb)
		}
	}
	if got := f.commands()[:3]; !slices.Equal(got, []string{"FEAT", "SYST", "USER anonymous"}) {
		t.Errorf("first commands %q, want FEAT, SYST, USER anonymous", got)
	}
	if !f.saw("PASS " + anonPassword) {
		t.Errorf("the fake did not see the anonymous password %q", anonPassword)
	}
	expect(t, Evaluate(o, testNow()), map[string]string{
		"ftp.anonymous":          "fail high",
		"ftp.anonymous-writable": "fail high",
		"ftp.cleartext":          "fail medium",
		"ftp.pasv-address":       "pass info",
		"ftp.version-disclosure": "fail low",
		"ftp.bounce":             "",
	})
	if o.Product != "vsftpd" || o.Version != "3.0.3" || o.From != "banner" {
		t.Errorf("product %q %q from %q, want vsftpd 3.0.3 from the banner", o.Product, o.Version, o.From)
	}
	ev := BuildEvidence(o, testNow())
	if len(ev) != 3 || ev[1].ID != evListing || !strings.Contains(ev[1].Data, "incoming    [writable: others can write (drwxrwxrwx)]") {
		t.Errorf("evidence %+v: want control, listing (with incoming marked) and auth-tls", ev)
	}
}

// Anonymous login refused; the version shows only in STAT, which is not reached.
func TestAnonymousRefused(t *testing.T) {
	f := &fakeFTP{banner: "FTP server ready"}
	o := observeFake(t, f.start(t), Config{})
	expect(t, Evaluate(o, testNow()), map[string]string{
		"ftp.anonymous":          "pass info",
		"ftp.anonymous-writable": "",
		"ftp.pasv-range":         "",
		"ftp.version-disclosure": "pass info",
	})
	if got := o.Anonymous.Final(); got.Command != "PASS "+anonPassword || got.Code != 530 {
		t.Errorf("final login step %+v, want PASS answered 530", got)
	}
	if f.saw("LIST") || f.saw("PASV") {
		t.Errorf("commands %q: nothing may follow a refused login but QUIT", f.commands())
	}
}

// PASS answered 332: ACCT completes the login.
func TestAnonymousACCT(t *testing.T) {
	f := &fakeFTP{anonymous: true, acct: true, listing: unixListing, noEPSV: true}
	o := observeFake(t, f.start(t), Config{})
	var cmds []string
	for _, s := range o.Anonymous.Steps {
		cmds = append(cmds, s.Command)
	}
	if want := []string{"USER anonymous", "PASS " + anonPassword, "ACCT " + anonAccount}; !slices.Equal(cmds, want) || !o.Anonymous.LoggedIn {
		t.Errorf("login steps %q logged in %v, want %q and logged in", cmds, o.Anonymous.LoggedIn, want)
	}
}

// PASV naming another address: recorded, and the data connection goes to the server's own
// address (the listing still arrives).
func TestPASVOtherAddress(t *testing.T) {
	f := &fakeFTP{anonymous: true, listing: unixListing, pasvAddr: "10,0,0,5", feat: []string{"PASV"}}
	o := observeFake(t, f.start(t), Config{PassiveSamples: 2})
	if o.Listing == nil || !o.Listing.Read {
		t.Fatalf("listing %+v: want it read over a data connection to 127.0.0.1", o.Listing)
	}
	if len(o.Passive) != 2 || !o.Passive[0].Other || o.Passive[0].Addr.String() != "10.0.0.5" {
		t.Errorf("passive %+v, want two PASV naming 10.0.0.5", o.Passive)
	}
	expect(t, Evaluate(o, testNow()), map[string]string{"ftp.pasv-address": "fail medium"})
	if !strings.Contains(render(o.Transcript), "PASV named 10.0.0.5") {
		t.Errorf("the transcript does not note the other address:\n%s", render(o.Transcript))
	}
}

// MLSD perm facts say what the anonymous user may do.
func TestMLSD(t *testing.T) {
	f := &fakeFTP{anonymous: true, feat: []string{"MLST type*;perm*;size*;", "EPSV"}, mlsd: true,
		listing: "type=cdir;perm=el; /\r\ntype=dir;perm=el; pub\r\ntype=file;perm=r;size=31; README\r\n"}
	o := observeFake(t, f.start(t), Config{})
	if o.Listing.Command != "MLSD" || o.Listing.Total != 3 || len(o.Listing.Writable) != 0 {
		t.Errorf("listing %+v, want MLSD with nothing writable", o.Listing)
	}
	expect(t, Evaluate(o, testNow()), map[string]string{"ftp.anonymous-writable": "pass info"})
}

// A 421 mid-dialogue ends it with status reset; what came before still counts.
func TestClosing421(t *testing.T) {
	f := &fakeFTP{anonymous: true, listing: unixListing, fail421: "PWD"}
	o := observeFake(t, f.start(t), Config{})
	if o.Status != checks.StatusReset || !strings.Contains(o.Error, "421 Timeout.") {
		t.Errorf("status %s (%s), want reset naming the 421", o.Status, o.Error)
	}
	expect(t, Evaluate(o, testNow()), map[string]string{"ftp.anonymous": "fail high", "ftp.anonymous-writable": ""})
}

// AUTH TLS on a second connection, and whether TLS is required before USER on a third.
func TestAuthTLS(t *testing.T) {
	for _, tc := range []struct {
		name             string
		authTLS, require bool
		want             string
	}{
		{"required", true, true, "pass info"},
		{"offered, not required", true, false, "fail low"},
		{"not offered", false, false, "fail medium"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeFTP{authTLS: tc.authTLS, requireTLS: tc.require}
			o := observeFake(t, f.start(t), Config{})
			expect(t, Evaluate(o, testNow()), map[string]string{"ftp.cleartext": tc.want})
			if tc.authTLS && !o.AuthTLS.Upgraded() {
				t.Errorf("AuthTLS %+v, want an upgrade", o.AuthTLS)
			}
			for _, c := range f.commands() {
				if strings.HasPrefix(c, "PASS") && c != "PASS "+anonPassword {
					t.Errorf("the fake saw %q: only the anonymous password may be sent", c)
				}
			}
		})
	}
}

// Implicit FTPS: TLS from the first byte, PROT P, and the listing over a TLS data
// connection.
func TestImplicitFTPS(t *testing.T) {
	f := &fakeFTP{anonymous: true, implicit: true, listing: unixListing, feat: []string{"EPSV", "PBSZ", "PROT"}}
	port := f.start(t)
	o := Observe(t.Context(), testDialer(), service(port, true), Config{Timeout: 2e9}, testNow)
	if o.Status != checks.StatusOK || o.TLS == nil || o.TLS.Version == "" {
		t.Fatalf("status %s (%s), TLS %+v; want ok over TLS", o.Status, o.Error, o.TLS)
	}
	if o.Listing == nil || !o.Listing.Read || o.Listing.Total != 3 {
		t.Errorf("listing %+v, want it read over TLS", o.Listing)
	}
	if o.AuthTLS != nil || f.saw("AUTH") {
		t.Errorf("AUTH TLS tried on an implicit-TLS endpoint")
	}
	expect(t, Evaluate(o, testNow()), map[string]string{"ftp.cleartext": "pass info"})
}

// A 120 ("ready in n minutes") before the 220 is waited out.
func TestGreeting120(t *testing.T) {
	port := listen(t, func(c net.Conn) {
		io.WriteString(c, "120 Service ready in 1 minute.\r\n220 ready now\r\n")
		r := bufio.NewReader(c)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			if strings.HasPrefix(line, "QUIT") {
				io.WriteString(c, "221 Bye\r\n")
				return
			}
			io.WriteString(c, "530 Not logged in.\r\n")
		}
	})
	o := observeFake(t, port, Config{})
	if !o.Greeted || o.Banner != "ready now" || o.Status != checks.StatusOK {
		t.Errorf("greeted %v banner %q status %s (%s); want the 220 after the 120", o.Greeted, o.Banner, o.Status, o.Error)
	}
	expect(t, Evaluate(o, testNow()), map[string]string{"ftp.anonymous": "pass info", "ftp.cleartext": "fail medium"})
}
