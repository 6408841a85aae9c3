package mail

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"ecscan/checks"
)

// listen starts a fake server on 127.0.0.1:0 that runs handle on every connection, and
// returns its port. The server and its connections end with the test.
func listen(t testing.TB, handle func(c net.Conn)) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
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
				handle(c)
			})
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().(*net.TCPAddr).Port
}

// step is one exchange of a scripted server: when the client sends a line starting with
// expect, the server answers reply ("" expect: answer at once, the greeting). With tls, the
// server then runs a TLS handshake and goes on inside it.
type step struct {
	expect, reply string
	tls           bool
}

// recorder keeps the client's lines.
type recorder struct {
	mu    sync.Mutex
	lines []string
}

func (r *recorder) add(s string) {
	r.mu.Lock()
	r.lines = append(r.lines, strings.TrimRight(s, "\r\n"))
	r.mu.Unlock()
}

func (r *recorder) all() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.lines...)
}

// scripted returns a handler that plays steps and records what the client sent, then
// records whatever else comes until the client closes.
func scripted(t testing.TB, rec *recorder, steps ...step) func(net.Conn) {
	cfg := serverTLS(t)
	return func(c net.Conn) {
		c.SetDeadline(time.Now().Add(10 * time.Second))
		var conn net.Conn = c
		r := bufio.NewReader(io.LimitReader(conn, 1<<16))
		for _, s := range steps {
			if s.expect != "" {
				line, err := r.ReadString('\n')
				rec.add(line)
				if err != nil || !strings.HasPrefix(line, s.expect) {
					return
				}
			}
			if _, err := io.WriteString(conn, s.reply); err != nil {
				return
			}
			if s.tls {
				tc := tls.Server(c, cfg)
				if tc.Handshake() != nil {
					return
				}
				conn = tc
				r = bufio.NewReader(io.LimitReader(conn, 1<<16))
			}
		}
		for {
			line, err := r.ReadString('\n')
			if line != "" {
				rec.add(line)
			}
			if err != nil {
				return
			}
		}
	}
}

// implicitTLS wraps a handler in a TLS server.
func implicitTLS(t testing.TB, handle func(net.Conn)) func(net.Conn) {
	cfg := serverTLS(t)
	return func(c net.Conn) {
		tc := tls.Server(c, cfg)
		tc.SetDeadline(time.Now().Add(10 * time.Second))
		if tc.Handshake() == nil {
			handle(tc)
		}
	}
}

var (
	certOnce sync.Once
	testCert tls.Certificate
)

// serverTLS is a TLS server configuration with a certificate generated for the tests.
func serverTLS(t testing.TB) *tls.Config {
	certOnce.Do(func() {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(1),
			Subject:      pkix.Name{CommonName: "mail.ecshop.test"},
			DNSNames:     []string{"mail.ecshop.test"},
			NotBefore:    time.Now().Add(-time.Hour),
			NotAfter:     time.Now().Add(time.Hour),
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		if err != nil {
			t.Fatal(err)
		}
		testCert = tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	})
	return &tls.Config{Certificates: []tls.Certificate{testCert}}
}

// service is a service of the map on 127.0.0.1.
func service(proto string, port int, implicit bool) checks.Service {
	return checks.Service{Host: "mail.ecshop.test", Addr: netip.MustParseAddr("127.0.0.1"), Port: port, Protocol: proto, TLS: implicit}
}

func testDialer() *checks.Dialer {
	l := checks.DefaultLimits()
	l.ConnectTimeout = 2 * time.Second
	return checks.NewDialer(l, netip.Addr{})
}

// observeFake runs Observe on a fake with the given exchange timeout.
func observeFake(t testing.TB, proto string, port int, implicit bool, timeout time.Duration) *Observation {
	t.Helper()
	return Observe(context.Background(), testDialer(), service(proto, port, implicit), timeout)
}

// outcomes summarizes findings as "id outcome severity" strings.
func outcomes(fs []checks.Finding) map[string]string {
	out := map[string]string{}
	for _, f := range fs {
		out[f.ID] = string(f.Outcome) + " " + f.Severity.String()
	}
	return out
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
