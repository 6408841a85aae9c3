package tls

import (
	"bufio"
	"context"
	ctls "crypto/tls"
	"io"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"ecscan/checks"
)

// listen accepts on 127.0.0.1:0 and runs handle for each connection until the test ends.
func listen(t *testing.T, handle func(net.Conn)) netip.AddrPort {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Go(func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(20 * time.Second))
				handle(c)
			})
		}
	})
	return netip.MustParseAddrPort(ln.Addr().String())
}

// tlsServer serves cert with crypto/tls from version min up to TLS 1.3; after a handshake
// it answers one HTTP request with resp (when not empty).
func tlsServer(t *testing.T, cert ctls.Certificate, min uint16, resp string) netip.AddrPort {
	cfg := &ctls.Config{Certificates: []ctls.Certificate{cert}, MinVersion: min}
	return listen(t, func(c net.Conn) {
		tc := ctls.Server(c, cfg)
		if tc.Handshake() != nil || resp == "" {
			return
		}
		if readRequest(tc) {
			io.WriteString(tc, resp)
		}
	})
}

// plainHTTP answers every request with resp.
func plainHTTP(t *testing.T, resp string) netip.AddrPort {
	return listen(t, func(c net.Conn) {
		if readRequest(c) {
			io.WriteString(c, resp)
		}
	})
}

// readRequest reads an HTTP request head.
func readRequest(c net.Conn) bool {
	br := bufio.NewReader(io.LimitReader(c, 8192))
	for {
		l, err := br.ReadString('\n')
		if err != nil {
			return false
		}
		if l == "\r\n" || l == "\n" {
			return true
		}
	}
}

// How a fake mail or FTP server behaves.
type behaviour int

const (
	upgradeOK      behaviour = iota // agrees to the upgrade, then speaks TLS
	upgradeRefused                  // answers the upgrade command negatively
	silentAfter                     // agrees, then never answers the ClientHello
	garbage                         // greets with binary garbage
	resetAtOnce                     // resets the connection on accept
	endlessLine                     // greets with a line that never ends
	silentGreeting                  // never says anything
)

// bufConn reads through the bufio.Reader that read the plaintext dialogue.
type bufConn struct {
	net.Conn
	r *bufio.Reader
}

func (b bufConn) Read(p []byte) (int, error) { return b.r.Read(p) }

// mailServer is a fake SMTP, POP3, IMAP or FTP server with its upgrade command.
func mailServer(t *testing.T, proto string, b behaviour, cert ctls.Certificate) netip.AddrPort {
	cfg := &ctls.Config{Certificates: []ctls.Certificate{cert}, MinVersion: ctls.VersionTLS12}
	return listen(t, func(c net.Conn) {
		switch b {
		case garbage:
			c.Write([]byte("\x16\x03\x01\x00\x05\xff\xfe\xfd\x00\x01garbage\r\n"))
			io.Copy(io.Discard, c)
			return
		case resetAtOnce:
			c.(*net.TCPConn).SetLinger(0)
			return
		case endlessLine:
			c.Write([]byte("220 " + strings.Repeat("x", 64<<10)))
			io.Copy(io.Discard, c)
			return
		case silentGreeting:
			io.Copy(io.Discard, c)
			return
		}
		br := bufio.NewReader(c)
		say := func(s string) { io.WriteString(c, s) }
		read := func() string { l, _ := br.ReadString('\n'); return strings.TrimSpace(l) }
		refuse := b == upgradeRefused
		var ok bool
		switch proto {
		case "smtp":
			say("220 mail.shop.test ESMTP fake\r\n")
			read()
			if refuse {
				say("250-mail.shop.test\r\n250 8BITMIME\r\n")
			} else {
				say("250-mail.shop.test\r\n250-PIPELINING\r\n250-STARTTLS\r\n250 8BITMIME\r\n")
			}
			ok = read() == "STARTTLS"
			ok = answer(say, ok && !refuse, "220 2.0.0 Ready to start TLS\r\n", "502 5.5.1 Command not implemented\r\n")
		case "pop3":
			say("+OK POP3 ready\r\n")
			ok = answer(say, read() == "STLS" && !refuse, "+OK Begin TLS negotiation\r\n", "-ERR unknown command\r\n")
		case "imap":
			say("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\r\n")
			ok = answer(say, read() == "a001 STARTTLS" && !refuse, "* NOTE untagged noise\r\na001 OK Begin TLS negotiation now\r\n", "a001 BAD unknown command\r\n")
		case "ftp":
			say("220-Welcome to the fake FTP\r\n  second line\r\n220 ready\r\n")
			ok = answer(say, read() == "AUTH TLS" && !refuse, "234 AUTH TLS OK\r\n", "500 unknown command\r\n")
		}
		if !ok {
			if l := read(); l != "" {
				say("221 bye\r\n")
			}
			return
		}
		if b == silentAfter {
			io.Copy(io.Discard, br)
			return
		}
		ctls.Server(bufConn{c, br}, cfg).Handshake()
	})
}

func answer(say func(string), ok bool, yes, no string) bool {
	if ok {
		say(yes)
	} else {
		say(no)
	}
	return ok
}

// service is a service map entry for www.shop.test at ap.
func service(ap netip.AddrPort, proto string, tls, starttls bool) checks.Service {
	return checks.Service{Host: "www.shop.test", Addr: ap.Addr(), Port: int(ap.Port()), Protocol: proto, TLS: tls, StartTLS: starttls}
}

// runCheck runs the check (with engine) on services and returns the Results by port.
func runCheck(t *testing.T, cfg Config, engine Engine, services ...checks.Service) map[int]checks.Result {
	t.Helper()
	if cfg.Timeout == 0 {
		cfg.Timeout = 2 * time.Second
	}
	env := &checks.Env{
		Services: services,
		Dialer:   checks.NewDialer(checks.Limits{Concurrency: 64, HostConcurrency: 64, ConnectTimeout: 2 * time.Second, Timeout: 2 * time.Second}, netip.Addr{}),
		Now:      func() time.Time { return epoch },
	}
	c := &check{cfg: cfg, engine: engine}
	out := map[int]checks.Result{}
	var mu sync.Mutex
	if err := c.Run(context.Background(), env, func(r checks.Result) { mu.Lock(); out[r.Port] = r; mu.Unlock() }); err != nil {
		t.Fatal(err)
	}
	for _, r := range out {
		checkEvidenceRefs(t, r)
	}
	return out
}

// checkEvidenceRefs: every finding names evidence the Result has.
func checkEvidenceRefs(t *testing.T, r checks.Result) {
	t.Helper()
	var ids []string
	for _, e := range r.Evidence {
		ids = append(ids, e.ID)
	}
	for _, f := range r.Findings {
		if len(f.Evidence) == 0 {
			t.Errorf("%s %s: no evidence", r.Target, f.ID)
		}
		for _, id := range f.Evidence {
			if !slices.Contains(ids, id) {
				t.Errorf("%s %s: evidence %q not in the result (%v)", r.Target, f.ID, id, ids)
			}
		}
	}
}

// outcome is "pass", "info", "fail/<severity>" or "" (no such finding) of the finding id.
func outcome(r checks.Result, id string) string {
	for _, f := range r.Findings {
		if f.ID == id {
			if f.Outcome == checks.Fail {
				return "fail/" + f.Severity.String()
			}
			return string(f.Outcome)
		}
	}
	return ""
}

func gradeOf(r checks.Result) string {
	if d, ok := r.Data.(*Data); ok && d.Grade != nil {
		return d.Grade.Letter
	}
	return ""
}

func evidenceData(r checks.Result, id string) string {
	for _, e := range r.Evidence {
		if e.ID == id {
			return e.Data
		}
	}
	return ""
}
