package demo

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"time"
)

// Certificate lifetimes: the site's certificate was issued a year ago and ends in
// CertDaysLeft days, within any usual expiry warning (ecscan's default is 30 days).
const (
	CertDaysLeft = 10
	certAge      = 355 * 24 * time.Hour
	caLife       = 5 * 365 * 24 * time.Hour
)

// Files the site writes into its directory.
const (
	CAFileName   = "demo-ca.pem"   // the demo CA's certificate: pass it as --ca-bundle
	CertFileName = "demo-site.pem" // the site's certificate, for reading
)

// pki is the demo CA and the certificate it issued to the site.
type pki struct {
	cert   tls.Certificate
	caFile string
}

// newPKI creates a CA and a certificate for names (RSA 2048, so that the RSA key-exchange
// CBC suites can be offered), valid until now + CertDaysLeft days, and writes the CA's
// and the site's certificates (never a key) into dir.
func newPKI(dir string, names []string, now time.Time) (*pki, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("demo: CA key: %w", err)
	}
	caTmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{Organization: []string{"ecscan demo"}, CommonName: "ecscan demo CA (practice only)"},
		NotBefore:             now.Add(-certAge - time.Hour),
		NotAfter:              now.Add(caLife),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, fmt.Errorf("demo: CA certificate: %w", err)
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, fmt.Errorf("demo: CA certificate: %w", err)
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("demo: site key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{Organization: []string{"Demo Shop"}, CommonName: names[0]},
		DNSNames:     names,
		NotBefore:    now.Add(-certAge),
		NotAfter:     now.Add(CertDaysLeft * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return nil, fmt.Errorf("demo: site certificate: %w", err)
	}
	p := &pki{
		cert:   tls.Certificate{Certificate: [][]byte{der, caDER}, PrivateKey: key},
		caFile: filepath.Join(dir, CAFileName),
	}
	if err := writePEM(p.caFile, caDER); err != nil {
		return nil, err
	}
	if err := writePEM(filepath.Join(dir, CertFileName), der, caDER); err != nil {
		return nil, err
	}
	return p, nil
}

func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return big.NewInt(time.Now().UnixNano())
	}
	return n
}

func writePEM(path string, ders ...[]byte) error {
	var out []byte
	for _, d := range ders {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: d})...)
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return nil
}

// tlsConfig is the site's TLS policy, old on purpose: TLS 1.0 to 1.3, CBC suites with
// and without forward secrecy, and the AEAD ones.
func (p *pki) tlsConfig() *tls.Config {
	return &tls.Config{
		Certificates: []tls.Certificate{p.cert},
		MinVersion:   tls.VersionTLS10,
		MaxVersion:   tls.VersionTLS13,
		CipherSuites: []uint16{
			tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
			tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
			tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
			tls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
			tls.TLS_RSA_WITH_AES_128_CBC_SHA,
			tls.TLS_RSA_WITH_AES_256_CBC_SHA,
		},
	}
}
