package smtp

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"
)

// mta is a fake SMTP server on 127.0.0.1:0 that behaves like a small MTA: its replies come
// from the fields below, and it records what each connection's client sent.
type mta struct {
	banner   string   // the banner line(s), "220 …"
	ext      []string // EHLO extensions in cleartext (or over implicit TLS)
	extTLS   []string // EHLO extensions after STARTTLS
	noEHLO   bool     // 502 to EHLO: a HELO-only server
	tls      *tls.Config
	implicit bool // TLS from the first byte
	fragment bool // write every reply in 3-byte pieces

	mail       func(from string, tls bool) string
	rcpt       func(to string) string
	vrfy, expn func(name string) string
	data       string // reply to DATA (default 354)
	final      string // reply to the end of the message (default 250 queued)
	// hook, when set, sees every command line first: handled replies were written by it;
	// end closes the connection.
	hook func(c *mtaConn, line string) (handled, end bool)

	mu       sync.Mutex
	sent     []*strings.Builder // client bytes per connection
	messages []string
	accepted int
}

// mtaConn is one connection of the fake.
type mtaConn struct {
	m     *mta
	conn  net.Conn
	r     *bufio.Reader
	inTLS bool
	cmds  map[string]int // commands seen, by verb
	log   *strings.Builder
}

func (m *mta) start(t *testing.T) netip.AddrPort {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			m.mu.Lock()
			log := &strings.Builder{}
			m.sent = append(m.sent, log)
			m.accepted++
			m.mu.Unlock()
			go m.serve(c, log)
		}
	}()
	return netip.MustParseAddrPort(ln.Addr().String())
}

func (m *mta) serve(c net.Conn, log *strings.Builder) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(20 * time.Second))
	mc := &mtaConn{m: m, conn: c, cmds: map[string]int{}, log: log}
	if m.implicit {
		tc := tls.Server(c, m.tls)
		if tc.Handshake() != nil {
			return
		}
		mc.conn, mc.inTLS = tc, true
	}
	mc.r = bufio.NewReader(mc.conn)
	if m.banner != "" {
		mc.write(m.banner)
	}
	for {
		line, err := mc.r.ReadString('\n')
		if err != nil {
			return
		}
		m.mu.Lock()
		log.WriteString(line)
		m.mu.Unlock()
		line = strings.TrimRight(line, "\r\n")
		if !mc.dispatch(line) {
			return
		}
	}
}

// write sends reply lines, each ended with CRLF.
func (mc *mtaConn) write(lines ...string) {
	b := []byte(strings.Join(lines, "\r\n") + "\r\n")
	if !mc.m.fragment {
		mc.conn.Write(b)
		return
	}
	for len(b) > 0 {
		n := min(3, len(b))
		mc.conn.Write(b[:n])
		b = b[n:]
		time.Sleep(time.Millisecond)
	}
}

// multi writes a multi-line reply with one code.
func (mc *mtaConn) multi(code string, lines []string) {
	out := make([]string, len(lines))
	for i, l := range lines {
		sep := "-"
		if i == len(lines)-1 {
			sep = " "
		}
		out[i] = code + sep + l
	}
	mc.write(out...)
}

func (mc *mtaConn) dispatch(line string) bool {
	m := mc.m
	verb := strings.ToUpper(strings.Fields(line + " x")[0])
	mc.cmds[verb]++
	if m.hook != nil {
		if handled, end := m.hook(mc, line); handled {
			return !end
		}
	}
	arg := func(prefix string) string {
		s := line[min(len(prefix), len(line)):]
		return strings.TrimSuffix(strings.TrimPrefix(s, "<"), ">")
	}
	switch verb {
	case "EHLO":
		if m.noEHLO {
			mc.write("502 5.5.2 Error: command not recognized")
			return true
		}
		ext := m.ext
		if mc.inTLS && !m.implicit {
			ext = m.extTLS
		}
		mc.multi("250", append([]string{"mail.shop.test"}, ext...))
	case "HELO":
		mc.write("250 mail.shop.test")
	case "STARTTLS":
		if m.tls == nil || mc.inTLS {
			mc.write("502 5.5.1 Error: command not implemented")
			return true
		}
		mc.write("220 2.0.0 Ready to start TLS")
		tc := tls.Server(mc.conn, m.tls)
		if tc.Handshake() != nil {
			return false
		}
		mc.conn, mc.r, mc.inTLS = tc, bufio.NewReader(tc), true
	case "MAIL":
		mc.write(call2(m.mail, arg("MAIL FROM:"), mc.inTLS, "250 2.1.0 Ok"))
	case "RCPT":
		mc.write(call(m.rcpt, arg("RCPT TO:"), "554 5.7.1 Relay access denied"))
	case "RSET":
		mc.write("250 2.0.0 Ok")
	case "VRFY":
		mc.write(call(m.vrfy, arg("VRFY "), "502 5.5.1 VRFY command is disabled"))
	case "EXPN":
		mc.write(call(m.expn, arg("EXPN "), "502 5.5.2 Error: command not recognized"))
	case "DATA":
		return mc.data()
	case "QUIT":
		mc.write("221 2.0.0 Bye")
		return false
	default:
		mc.write("502 5.5.2 Error: command not recognized")
	}
	return true
}

// data answers DATA and, on 354, reads the message up to "." and answers it.
func (mc *mtaConn) data() bool {
	m := mc.m
	rep := m.data
	if rep == "" {
		rep = "354 End data with <CR><LF>.<CR><LF>"
	}
	mc.write(rep)
	if !strings.HasPrefix(rep, "354") {
		return true
	}
	var msg strings.Builder
	for {
		line, err := mc.r.ReadString('\n')
		if err != nil {
			return false
		}
		m.mu.Lock()
		mc.log.WriteString(line)
		m.mu.Unlock()
		if line == ".\r\n" {
			break
		}
		msg.WriteString(line)
	}
	m.mu.Lock()
	m.messages = append(m.messages, msg.String())
	m.mu.Unlock()
	final := m.final
	if final == "" {
		final = "250 2.0.0 Ok: queued as 4XyZ1"
	}
	mc.write(final)
	return true
}

func call(f func(string) string, arg, def string) string {
	if f == nil {
		return def
	}
	return f(arg)
}

func call2(f func(string, bool) string, arg string, tls bool, def string) string {
	if f == nil {
		return def
	}
	return f(arg, tls)
}

// conns returns how many connections the fake accepted.
func (m *mta) conns() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.accepted
}

// clientBytes returns what every connection's client sent, in order, each after a
// "=== connection N" line.
func (m *mta) clientBytes() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var b strings.Builder
	for i, s := range m.sent {
		fmt.Fprintf(&b, "=== connection %d\n", i+1)
		b.WriteString(s.String())
	}
	return b.String()
}

// serverTLS returns a TLS configuration with a certificate generated for mail.shop.test.
func serverTLS(t *testing.T) *tls.Config {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "mail.shop.test"},
		DNSNames:     []string{"mail.shop.test"},
		NotBefore:    time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2034, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
}

// script is a fake that plays one transcript per connection: "S: " lines are sent (a
// line "S+ text" is sent without its CRLF, "S~" sleeps 5 ms between its bytes), "C: " lines
// must be what the client sends next, "CLOSE" ends the connection. A mismatch fails the
// test and closes the connection.
func script(t *testing.T, transcripts ...string) netip.AddrPort {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for _, tr := range transcripts {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			play(t, c, tr)
		}
	}()
	return netip.MustParseAddrPort(ln.Addr().String())
}

func play(t *testing.T, c net.Conn, transcript string) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(c)
	for _, l := range strings.Split(strings.TrimSpace(transcript), "\n") {
		l = strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(l, "S: "):
			io.WriteString(c, l[3:]+"\r\n")
		case strings.HasPrefix(l, "S+ "):
			io.WriteString(c, l[3:])
		case strings.HasPrefix(l, "S~ "):
			for _, b := range []byte(l[3:] + "\r\n") {
				c.Write([]byte{b})
				time.Sleep(5 * time.Millisecond)
			}
		case strings.HasPrefix(l, "C: "):
			got, err := r.ReadString('\n')
			if want := l[3:] + "\r\n"; got != want {
				t.Errorf("client sent %q (%v), want %q", got, err, want)
				return
			}
		case l == "CLOSE":
			return
		}
	}
	io.Copy(io.Discard, r)
}
