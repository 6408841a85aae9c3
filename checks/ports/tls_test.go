package ports

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"testing"
	"time"
)

// selfSigned generates a certificate for name, valid around now.
func selfSigned(t *testing.T, name string) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: name},
		DNSNames:     []string{name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// An implicit-TLS SMTP server (smtps): TLS found, then the greeting inside, then EHLO.
func TestIdentifySMTPS(t *testing.T) {
	cert := selfSigned(t, "mail.ecshop.test")
	snis := make(chan string, 4)
	cfg := &tls.Config{
		Certificates: []tls.Certificate{cert},
		GetConfigForClient: func(h *tls.ClientHelloInfo) (*tls.Config, error) {
			snis <- h.ServerName
			return nil, nil
		},
	}
	rec := &recorder{}
	play := scripted(rec,
		step{"", "220 mail.ecshop.test ESMTP Postfix (Debian/GNU)\r\n"},
		step{"EHLO", "250-mail.ecshop.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n"},
		step{"QUIT", "221 Bye\r\n"},
	)
	port := listen(t, func(c net.Conn) {
		tc := tls.Server(c, cfg)
		tc.SetDeadline(time.Now().Add(10 * time.Second))
		if tc.Handshake() == nil {
			play(tc)
		}
	})
	env := testEnv("mail.ecshop.test")
	d := &identifier{dialer: env.Dialer, timeout: 2 * time.Second, planFn: func(int) []probeID { return []probeID{probeTLS} }}
	tg := env.Targets()[0]
	c, err := d.dial(t.Context(), tg, port)
	if err != nil {
		t.Fatal(err)
	}
	po := d.identify(t.Context(), tg, port, c)
	s := po.Service
	if !s.TLS || s.Protocol != "smtp" || s.Product != "Postfix" || s.StartTLS {
		t.Errorf("got %+v, want smtp over TLS, Postfix, no STARTTLS\n%s", s, renderTranscript(po))
	}
	if got := <-snis; got != "mail.ecshop.test" {
		t.Errorf("SNI %q, want mail.ecshop.test", got)
	}
	if got := rec.all(); len(got) < 1 || got[0] != "EHLO [127.0.0.1]\r\n" {
		t.Errorf("client sent %q, want EHLO first", got)
	}
}
