package ftp

import (
	"net/netip"
	"strings"
	"testing"

	"ecscan/checks"
)

func obs(mod func(o *Observation)) *Observation {
	o := &Observation{Host: "ftp.example", Addr: netip.MustParseAddr("192.0.2.21"), Port: 21, Greeted: true, Status: checks.StatusOK}
	mod(o)
	return o
}

func loggedIn(o *Observation) {
	o.Anonymous = &Login{Decided: true, LoggedIn: true, Steps: []Exchange{{Command: "USER anonymous", Reply: "230 Login successful.", Code: 230}}}
}

func samples(cmd string, ports ...int) []Passive {
	var out []Passive
	for _, p := range ports {
		ps := Passive{Command: cmd, Port: p}
		if cmd == "PASV" {
			ps.Addr = netip.MustParseAddr("192.0.2.21")
		}
		out = append(out, ps)
	}
	return out
}

// The rules of Evaluate, without sockets.
func TestEvaluate(t *testing.T) {
	yes, no := true, false
	for _, tc := range []struct {
		name string
		o    *Observation
		want map[string]string
	}{
		{"refused, AUTH TLS required", obs(func(o *Observation) {
			o.Anonymous = &Login{Decided: true, Steps: []Exchange{{Command: "PASS x", Reply: "530 Login incorrect.", Code: 530}}}
			o.AuthTLS = &AuthTLS{Command: "AUTH TLS", Reply: "234 Proceed", Accepted: true, Handshake: &TLSInfo{Version: "TLS 1.3"}}
			o.TLSRequired = &TLSRequired{Reply: "530 Non-anonymous sessions must use encryption.", Code: 530, Required: &yes}
			o.Product = "vsftpd"
		}), map[string]string{"ftp.anonymous": "pass info", "ftp.cleartext": "pass info", "ftp.version-disclosure": "pass info"}},
		{"AUTH TLS not required", obs(func(o *Observation) {
			o.AuthTLS = &AuthTLS{Command: "AUTH TLS", Reply: "234 Proceed", Accepted: true, Handshake: &TLSInfo{Version: "TLS 1.2"}}
			o.TLSRequired = &TLSRequired{Reply: "331 Please specify the password.", Code: 331, Required: &no}
		}), map[string]string{"ftp.cleartext": "fail low", "ftp.version-disclosure": "pass info"}},
		{"AUTH TLS handshake fails", obs(func(o *Observation) {
			o.AuthTLS = &AuthTLS{Command: "AUTH TLS", Reply: "234 Proceed", Accepted: true, Handshake: &TLSInfo{Error: "tls: no shared cipher"}}
		}), map[string]string{"ftp.cleartext": "fail medium", "ftp.version-disclosure": "pass info"}},
		{"anonymous, writable by listing, restricted range, own address", obs(func(o *Observation) {
			loggedIn(o)
			o.Listing = &Listing{Command: "LIST", Read: true, Total: 2, Writable: []Entry{{Name: "upload", Dir: true, Writable: true, Why: "others can write (drwxrwxrwx)"}}}
			o.Passive = samples("PASV", 40010, 40077, 40003)
			o.Version, o.Product, o.From = "3.0.3", "vsftpd", "banner"
		}), map[string]string{"ftp.anonymous": "fail high", "ftp.anonymous-writable": "fail high", "ftp.pasv-range": "pass info", "ftp.pasv-address": "pass info", "ftp.version-disclosure": "fail low"}},
		{"anonymous, nothing writable, ports spread, another address", obs(func(o *Observation) {
			loggedIn(o)
			o.Listing = &Listing{Command: "MLSD", Read: true, Total: 1}
			o.Passive = append(samples("EPSV", 2000), samples("PASV", 35000, 61000)...)
			o.Passive[2].Addr, o.Passive[2].Other = netip.MustParseAddr("10.0.0.5"), true
		}), map[string]string{"ftp.anonymous-writable": "pass info", "ftp.pasv-range": "fail low", "ftp.pasv-address": "fail medium"}},
		{"same port every time", obs(func(o *Observation) {
			loggedIn(o)
			o.Passive = samples("EPSV", 50000, 50000, 50000)
		}), map[string]string{"ftp.pasv-range": "pass info", "ftp.pasv-address": ""}},
		{"ports in sequence", obs(func(o *Observation) {
			loggedIn(o)
			o.Passive = samples("PASV", 30001, 30002, 30003)
		}), map[string]string{"ftp.pasv-range": "info info"}},
		{"one sample", obs(func(o *Observation) {
			loggedIn(o)
			o.Passive = samples("PASV", 30001)
		}), map[string]string{"ftp.pasv-range": ""}},
		{"write test verified, bounce accepted", obs(func(o *Observation) {
			loggedIn(o)
			o.Listing = &Listing{Command: "LIST", Read: true}
			o.WriteTest = &WriteTest{Attempts: []WriteAttempt{{Path: "ecscan-write-test-1.txt", Stored: true, LeftBehind: true}}}
			o.Bounce = &Bounce{Target: "192.0.2.1:9", PortReply: "200 PORT command successful.", Accepted: true}
		}), map[string]string{"ftp.anonymous-writable": "fail high", "ftp.bounce": "fail high"}},
		{"write test refused, bounce skipped", obs(func(o *Observation) {
			loggedIn(o)
			o.WriteTest = &WriteTest{Attempts: []WriteAttempt{{Path: "x"}}}
			o.Bounce = &Bounce{Note: "PORT takes IPv4 addresses only"}
		}), map[string]string{"ftp.anonymous-writable": "pass info", "ftp.bounce": ""}},
		{"implicit TLS", obs(func(o *Observation) {
			o.Port, o.ImplicitTLS, o.TLS = 990, true, &TLSInfo{Version: "TLS 1.3"}
		}), map[string]string{"ftp.cleartext": "pass info"}},
		{"not greeted", obs(func(o *Observation) {
			o.Greeted, o.Status = false, checks.StatusTimeout
		}), map[string]string{"ftp.version-disclosure": "", "ftp.cleartext": "", "ftp.anonymous": ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := Evaluate(tc.o, testNow())
			expect(t, fs, tc.want)
			for _, f := range fs {
				if f.Title.JA == "" || f.Title.EN == "" || f.Detail.JA == "" || f.Detail.EN == "" {
					t.Errorf("%s: a title or detail is missing a language: %+v", f.ID, f)
				}
				if !strings.HasPrefix(f.Subject, "tcp/") || f.Host != "ftp.example" || len(f.Evidence) == 0 {
					t.Errorf("%s: subject %q host %q evidence %v", f.ID, f.Subject, f.Host, f.Evidence)
				}
			}
		})
	}
}

// The spread that counts as restricted widens with the samples, and a server choosing
// among all ports rarely stays within it.
func TestNarrowSpread(t *testing.T) {
	prev := 0
	for n := 2; n <= 10; n++ {
		w := narrowSpread(n)
		if w <= prev || w >= allPorts {
			t.Errorf("narrowSpread(%d) = %d, want above %d and below %d", n, w, prev, allPorts)
		}
		prev = w
	}
	if got := narrowSpread(3); got < 3000 || got > 4500 {
		t.Errorf("narrowSpread(3) = %d, want about 3750 (1%% of uniform draws)", got)
	}
	if narrowSpread(1) != 0 {
		t.Error("narrowSpread(1): want 0")
	}
}
