package ftp

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/netip"
	"path"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeFTP is an in-memory FTP server for the tests, configured by its fields before the
// first connection. It records every command it receives.
type fakeFTP struct {
	banner     string   // the greeting's text ("(vsFTPd 3.0.3)" by default)
	feat       []string // FEAT lines; nil: FEAT is unknown
	anonymous  bool     // anonymous login works
	acct       bool     // PASS is answered 332, ACCT logs in
	listing    string   // LIST output (MLSD output when mlsd)
	mlsd       bool
	writable   []string // directories where STOR works ("" is the top)
	canDelete  bool
	pasvAddr   string // the address PASV names ("" is the listener's)
	noEPSV     bool
	promisc    bool   // PORT to another address is accepted and connected to
	fail421    string // the command answered with 421 and a close
	authTLS    bool   // AUTH TLS works
	requireTLS bool   // a non-anonymous USER before TLS is refused with 530
	implicit   bool   // TLS from the first byte
	tlsConfig  *tls.Config

	mu    sync.Mutex
	seen  []string
	files map[string]string
}

func (f *fakeFTP) start(t testing.TB) int {
	if f.banner == "" {
		f.banner = "(vsFTPd 3.0.3)"
	}
	f.files = map[string]string{}
	f.tlsConfig = serverTLS(t)
	return listen(t, f.serve)
}

func (f *fakeFTP) commands() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.seen...)
}

// stored returns a copy of the files on the fake.
func (f *fakeFTP) stored() map[string]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]string{}
	for k, v := range f.files {
		out[k] = v
	}
	return out
}

func (f *fakeFTP) saw(verb string) bool {
	for _, c := range f.commands() {
		if strings.HasPrefix(c, verb) {
			return true
		}
	}
	return false
}

// fakeSession is one control connection of the fake.
type fakeSession struct {
	f        *fakeFTP
	c        net.Conn
	r        *bufio.Reader
	user     string
	loggedIn bool
	tls      bool
	prot     bool
	pasv     net.Listener
	active   string
}

func (f *fakeFTP) serve(c net.Conn) {
	c.SetDeadline(time.Now().Add(20 * time.Second))
	s := &fakeSession{f: f, c: c}
	if f.implicit {
		tc := tls.Server(c, f.tlsConfig)
		if tc.Handshake() != nil {
			return
		}
		s.c, s.tls = tc, true
	}
	s.r = bufio.NewReader(io.LimitReader(s.c, 1<<20))
	defer func() {
		if s.pasv != nil {
			s.pasv.Close()
		}
	}()
	s.say("220 " + f.banner)
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		f.mu.Lock()
		f.seen = append(f.seen, line)
		f.mu.Unlock()
		verb, arg, _ := strings.Cut(line, " ")
		verb = strings.ToUpper(verb)
		if verb == f.fail421 {
			s.say("421 Timeout.")
			return
		}
		if !s.handle(verb, arg) {
			return
		}
	}
}

func (s *fakeSession) say(lines ...string) {
	io.WriteString(s.c, strings.Join(lines, "\r\n")+"\r\n")
}

// handle answers one command; false ends the session.
func (s *fakeSession) handle(verb, arg string) bool {
	f := s.f
	switch verb {
	case "USER":
		s.user = arg
		if arg != "anonymous" && f.requireTLS && !s.tls {
			s.say("530 Non-anonymous sessions must use encryption.")
			return false
		}
		s.say("331 Please specify the password.")
	case "PASS":
		switch {
		case s.user == "anonymous" && f.anonymous && f.acct:
			s.say("332 Need account for login.")
		case s.user == "anonymous" && f.anonymous:
			s.loggedIn = true
			s.say("230 Login successful.")
		default:
			s.say("530 Login incorrect.")
		}
	case "ACCT":
		s.loggedIn = f.anonymous && f.acct
		s.say(map[bool]string{true: "230 Logged in with account.", false: "503 Login with USER first."}[s.loggedIn])
	case "FEAT":
		if f.feat == nil {
			s.say("500 Unknown command.")
			break
		}
		lines := []string{"211-Features:"}
		for _, l := range f.feat {
			lines = append(lines, " "+l)
		}
		s.say(append(lines, "211 End")...)
	case "SYST":
		s.say("215 UNIX Type: L8")
	case "AUTH":
		if !f.authTLS || s.tls {
			s.say("530 Please login with USER and PASS.")
			break
		}
		s.say("234 Proceed with negotiation.")
		tc := tls.Server(s.c, f.tlsConfig)
		if tc.Handshake() != nil {
			return false
		}
		s.c, s.tls, s.r = tc, true, bufio.NewReader(io.LimitReader(tc, 1<<20))
	case "QUIT":
		s.say("221 Goodbye.")
		return false
	default:
		if !s.loggedIn {
			s.say("530 Please login with USER and PASS.")
			break
		}
		s.afterLogin(verb, arg)
	}
	return true
}

// afterLogin answers the commands that need a login.
func (s *fakeSession) afterLogin(verb, arg string) {
	f := s.f
	switch verb {
	case "PWD":
		s.say(`257 "/" is the current directory`)
	case "STAT":
		s.say("211-FTP server status:", "     Logged in as ftp", "     vsFTPd 3.0.3 - secure, fast, stable", "211 End of status")
	case "TYPE", "PBSZ":
		s.say("200 OK.")
	case "PROT":
		s.prot = arg == "P"
		s.say("200 PROT now " + arg + ".")
	case "PASV":
		ap := s.openPassive()
		addr := strings.ReplaceAll(ap.Addr().String(), ".", ",")
		if f.pasvAddr != "" {
			addr = f.pasvAddr
		}
		s.say(fmt.Sprintf("227 Entering Passive Mode (%s,%d,%d).", addr, ap.Port()>>8, ap.Port()&0xff))
	case "EPSV":
		if f.noEPSV {
			s.say("500 Unknown command.")
			break
		}
		s.say(fmt.Sprintf("229 Entering Extended Passive Mode (|||%d|)", s.openPassive().Port()))
	case "PORT":
		s.port(arg)
	case "LIST", "MLSD", "NLST":
		s.list(verb)
	case "STOR":
		s.store(arg)
	case "SIZE":
		if body, ok := s.file(arg); ok {
			s.say(fmt.Sprintf("213 %d", len(body)))
		} else {
			s.say("550 Could not get file size.")
		}
	case "DELE":
		if _, ok := s.file(arg); ok && f.canDelete {
			f.mu.Lock()
			delete(f.files, path.Clean("/"+arg))
			f.mu.Unlock()
			s.say("250 Delete operation successful.")
		} else {
			s.say("550 Delete operation failed.")
		}
	default:
		s.say("500 Unknown command.")
	}
}

func (s *fakeSession) file(name string) (string, bool) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	body, ok := s.f.files[path.Clean("/"+name)]
	return body, ok
}

func (s *fakeSession) openPassive() netip.AddrPort {
	if s.pasv != nil {
		s.pasv.Close()
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return netip.AddrPort{}
	}
	s.pasv = ln
	return ln.Addr().(*net.TCPAddr).AddrPort()
}

// data returns the data connection: accepted on the passive listener, or dialed to the
// PORT address.
func (s *fakeSession) data() (net.Conn, error) {
	var c net.Conn
	var err error
	switch {
	case s.active != "":
		c, err = net.DialTimeout("tcp", s.active, 2*time.Second)
		s.active = ""
	case s.pasv != nil:
		s.pasv.(*net.TCPListener).SetDeadline(time.Now().Add(5 * time.Second))
		c, err = s.pasv.Accept()
		s.pasv.Close()
		s.pasv = nil
	default:
		return nil, fmt.Errorf("no data connection set up")
	}
	if err != nil || !s.prot {
		return c, err
	}
	tc := tls.Server(c, s.f.tlsConfig)
	return tc, tc.Handshake()
}

func (s *fakeSession) list(verb string) {
	c, err := s.data()
	if err != nil {
		s.say("425 Failed to establish connection.")
		return
	}
	s.say("150 Here comes the directory listing.")
	out := s.f.listing
	if verb == "NLST" {
		s.f.mu.Lock()
		var names []string
		for n := range s.f.files {
			names = append(names, strings.TrimPrefix(n, "/"))
		}
		s.f.mu.Unlock()
		out = strings.Join(names, "\r\n") + "\r\n"
	}
	io.WriteString(c, out)
	c.Close()
	s.say("226 Directory send OK.")
}

func (s *fakeSession) store(name string) {
	dir := strings.TrimPrefix(path.Dir(path.Clean("/"+name)), "/")
	ok := false
	for _, w := range s.f.writable {
		ok = ok || w == dir
	}
	if !ok {
		s.say("553 Could not create file.")
		return
	}
	c, err := s.data()
	if err != nil {
		s.say("425 Failed to establish connection.")
		return
	}
	s.say("150 Ok to send data.")
	body, _ := io.ReadAll(io.LimitReader(c, 1<<16))
	c.Close()
	s.f.mu.Lock()
	s.f.files[path.Clean("/"+name)] = string(body)
	s.f.mu.Unlock()
	s.say("226 Transfer complete.")
}

func (s *fakeSession) port(arg string) {
	ap, ok := parsePASV(arg)
	peer := s.c.RemoteAddr().(*net.TCPAddr).AddrPort().Addr().Unmap()
	if !ok || ap.Addr() != peer && !s.f.promisc {
		s.say("500 Illegal PORT command.")
		return
	}
	s.active = ap.String()
	s.say("200 PORT command successful. Consider using PASV.")
}
