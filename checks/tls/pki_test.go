package tls

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	ctls "crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"
)

// epoch is the scan's clock in the tests (env.Now): certificates are dated around it.
var epoch = time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)

// testCA is a certificate authority generated for the tests, with its bundle on disk.
type testCA struct {
	cert   *x509.Certificate
	key    crypto.Signer
	bundle string // PEM file for Config.CABundle
}

var (
	caOnce sync.Once
	ca     *testCA
	caErr  error
	serial int64 = 100
	serMu  sync.Mutex
)

// caDir holds the shared CA's bundle for the run of the package's tests.
var caDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "ecscan-tls-test")
	if err != nil {
		panic(err)
	}
	caDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// theCA returns the tests' CA (valid from two years before epoch to five after), made once.
func theCA(t *testing.T) *testCA {
	t.Helper()
	caOnce.Do(func() { ca, caErr = makeCA(caDir, epoch.AddDate(-2, 0, 0), epoch.AddDate(5, 0, 0)) })
	if caErr != nil {
		t.Fatal(caErr)
	}
	return ca
}

// newCA makes a CA valid from from to to, its bundle in the test's directory.
func newCA(t *testing.T, from, to time.Time) *testCA {
	t.Helper()
	c, err := makeCA(t.TempDir(), from, to)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func makeCA(dir string, from, to time.Time) (*testCA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: nextSerial(), Subject: pkix.Name{CommonName: "ecscan test CA " + from.Format(time.DateOnly)},
		NotBefore: from, NotAfter: to,
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, err
	}
	cert, _ := x509.ParseCertificate(der)
	f, err := os.CreateTemp(dir, "ca-*.pem")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if _, err := f.Write(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})); err != nil {
		return nil, err
	}
	return &testCA{cert: cert, key: key, bundle: f.Name()}, nil
}

func nextSerial() *big.Int {
	serMu.Lock()
	defer serMu.Unlock()
	serial++
	return big.NewInt(serial)
}

// leafSpec describes a server certificate to make.
type leafSpec struct {
	names      []string                // DNS names (default www.shop.test)
	from, to   time.Time               // validity (default a year either side of epoch)
	rsaBits    int                     // RSA key of this size (default EC P-256)
	sigAlg     x509.SignatureAlgorithm // the CA's signature (default its usual)
	selfSigned bool
	staple     int // OCSP staple: 0 none, 1 good, 2 revoked
}

// leaf makes a server certificate (chain: leaf, CA) as crypto/tls serves it.
func (c *testCA) leaf(t *testing.T, s leafSpec) ctls.Certificate {
	t.Helper()
	if s.names == nil {
		s.names = []string{"www.shop.test"}
	}
	if s.from.IsZero() {
		s.from, s.to = epoch.AddDate(-1, 0, 0), epoch.AddDate(1, 0, 0)
	}
	var key crypto.Signer
	var err error
	if s.rsaBits > 0 {
		key, err = rsa.GenerateKey(rand.Reader, s.rsaBits)
	} else {
		key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: nextSerial(), Subject: pkix.Name{CommonName: s.names[0]}, DNSNames: s.names,
		NotBefore: s.from, NotAfter: s.to, SignatureAlgorithm: s.sigAlg,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	parent, signer := c.cert, c.key
	if s.selfSigned {
		parent, signer = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), signer)
	if err != nil {
		t.Fatal(err)
	}
	cert := ctls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	if !s.selfSigned {
		cert.Certificate = append(cert.Certificate, c.cert.Raw)
	}
	if s.staple > 0 {
		leaf, _ := x509.ParseCertificate(der)
		status := ocsp.Good
		if s.staple == 2 {
			status = ocsp.Revoked
		}
		resp, err := ocsp.CreateResponse(c.cert, c.cert, ocsp.Response{
			Status: status, SerialNumber: leaf.SerialNumber, ThisUpdate: epoch.Add(-time.Hour), NextUpdate: epoch.Add(48 * time.Hour),
			RevokedAt: epoch.Add(-24 * time.Hour),
		}, c.key)
		if err != nil {
			t.Fatal(err)
		}
		cert.OCSPStaple = resp
	}
	return cert
}
