package ftp

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"net/netip"
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
			Subject:      pkix.Name{CommonName: "ftp.ecshop.test"},
			DNSNames:     []string{"ftp.ecshop.test"},
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

// service is an FTP service of the map on 127.0.0.1.
func service(port int, implicit bool) checks.Service {
	return checks.Service{Host: "ftp.ecshop.test", Addr: netip.MustParseAddr("127.0.0.1"), Port: port, Protocol: "ftp", TLS: implicit}
}

func testDialer() *checks.Dialer {
	l := checks.DefaultLimits()
	l.ConnectTimeout = 2 * time.Second
	return checks.NewDialer(l, netip.Addr{})
}

var testNow = func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }

// observeFake runs Observe on a fake.
func observeFake(t testing.TB, port int, cfg Config) *Observation {
	t.Helper()
	if cfg.Timeout == 0 {
		cfg.Timeout = 2 * time.Second
	}
	return Observe(context.Background(), testDialer(), service(port, false), cfg, testNow)
}

// outcomes summarizes findings as id → "outcome severity".
func outcomes(fs []checks.Finding) map[string]string {
	out := map[string]string{}
	for _, f := range fs {
		out[f.ID] = string(f.Outcome) + " " + f.Severity.String()
	}
	return out
}

// expect compares some findings' outcomes ("" wants the finding absent).
func expect(t *testing.T, fs []checks.Finding, want map[string]string) {
	t.Helper()
	got := outcomes(fs)
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s = %q, want %q", id, got[id], w)
		}
	}
}
