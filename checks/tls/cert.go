package tls

import (
	"bytes"
	"crypto/dsa"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"
)

// maxChain bounds the certificates kept from a server.
const maxChain = 10

// parseChain parses the chain as the server sent it, leaf first. A certificate that does not
// parse ends the chain there (and is reported).
func parseChain(der [][]byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	for i, d := range der[:min(len(der), maxChain)] {
		c, err := x509.ParseCertificate(d)
		if err != nil {
			return certs, fmt.Errorf("certificate %d of the chain: %w", i+1, err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, errors.New("the server sent no certificate")
	}
	return certs, nil
}

// analyzeChain describes the served chain and validates it for host at now, against roots:
// trust (judged at a moment when the served certificates were all valid, so that expiry is
// reported on its own), the host name, and the expiry of certificates above the leaf.
func analyzeChain(certs []*x509.Certificate, source, host string, roots *x509.CertPool, now time.Time) *Chain {
	ch := &Chain{Source: source}
	var pemBuf bytes.Buffer
	for _, c := range certs {
		ch.Certs = append(ch.Certs, describeCert(c))
		pem.Encode(&pemBuf, &pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
	}
	ch.PEM = pemBuf.String()
	leaf := certs[0]
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	opts := x509.VerifyOptions{DNSName: host, Roots: roots, Intermediates: inter, CurrentTime: now,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	if _, err := netip.ParseAddr(host); err == nil || host == "" {
		opts.DNSName = "" // an address is checked by VerifyHostname below
	}
	ch.NameMatch = host == "" || leaf.VerifyHostname(host) == nil
	if !ch.NameMatch {
		ch.NameError = leaf.VerifyHostname(host).Error()
	}
	expiredAbove, err := verifyIgnoringTime(leaf, opts, certs)
	if err != nil {
		ch.TrustError = trustReason(err, leaf)
	}
	ch.Trusted = err == nil
	ch.ChainExpired = expiredAbove
	for _, c := range certs[1:] {
		if now.After(c.NotAfter) || now.Before(c.NotBefore) {
			ch.ChainExpired = fmt.Sprintf("%s (valid %s to %s)", c.Subject, c.NotBefore.Format(time.DateOnly), c.NotAfter.Format(time.DateOnly))
			break
		}
	}
	return ch
}

// verifyIgnoringTime runs x509's Verify (the name, when DNSName is set, then the chain). A
// name mismatch is retried without the name, and an expiry at a moment when the leaf and the
// served intermediates were all valid; if a root (self-signed, or from the pool) is then
// outside its validity, its signature over the chain has been checked already (x509 checks
// it before the dates), so the chain is trusted apart from time. expiredAbove names a root of
// the pool that is outside its validity at scan time.
func verifyIgnoringTime(leaf *x509.Certificate, opts x509.VerifyOptions, certs []*x509.Certificate) (expiredAbove string, err error) {
	retried := false
	for range 4 {
		_, err = leaf.Verify(opts)
		var he x509.HostnameError
		var ie x509.CertificateInvalidError
		switch {
		case err == nil:
			return expiredAbove, nil
		case errors.As(err, &he) && opts.DNSName != "":
			opts.DNSName = ""
		case errors.As(err, &ie) && ie.Reason == x509.Expired:
			root := ie.Cert != nil && ie.Cert != leaf && (selfSigned(ie.Cert) || !slices.ContainsFunc(certs, ie.Cert.Equal))
			switch {
			case root && retried:
				return expiredAbove, nil
			case root && !slices.ContainsFunc(certs, ie.Cert.Equal):
				expiredAbove = fmt.Sprintf("%s (valid %s to %s)", ie.Cert.Subject, ie.Cert.NotBefore.Format(time.DateOnly), ie.Cert.NotAfter.Format(time.DateOnly))
			case retried:
				return expiredAbove, err
			}
			t, ok := validMoment(certs)
			if !ok {
				return expiredAbove, err
			}
			opts.CurrentTime, retried = t, true
		default:
			return expiredAbove, err
		}
	}
	return expiredAbove, errors.New("verification did not settle")
}

// validMoment is a moment inside the validity of the leaf and of every served intermediate
// (self-signed roots left out), if there is one.
func validMoment(certs []*x509.Certificate) (time.Time, bool) {
	from, to := certs[0].NotBefore, certs[0].NotAfter
	for _, c := range certs[1:] {
		if selfSigned(c) {
			continue
		}
		if c.NotBefore.After(from) {
			from = c.NotBefore
		}
		if c.NotAfter.Before(to) {
			to = c.NotAfter
		}
	}
	if to.Before(from) {
		return time.Time{}, false
	}
	return from.Add(to.Sub(from) / 2), true
}

// trustReason says in a few words why the chain is not trusted.
func trustReason(err error, leaf *x509.Certificate) string {
	var ua x509.UnknownAuthorityError
	var ia x509.InsecureAlgorithmError
	var ci x509.CertificateInvalidError
	switch {
	case errors.As(err, &ua) && selfSigned(leaf):
		return "self-signed certificate: " + err.Error()
	case errors.As(err, &ua):
		return "issuer not trusted (unknown authority or incomplete chain): " + err.Error()
	case errors.As(err, &ia):
		return "insecure signature algorithm: " + err.Error()
	case errors.As(err, &ci):
		return "invalid certificate: " + err.Error()
	}
	return err.Error()
}

// selfSigned reports whether c names itself as issuer and carries its own signature (SHA-1
// and MD5 self-signatures count, though x509 no longer checks them).
func selfSigned(c *x509.Certificate) bool {
	if !bytes.Equal(c.RawIssuer, c.RawSubject) {
		return false
	}
	err := c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature)
	var ia x509.InsecureAlgorithmError
	return err == nil || errors.As(err, &ia) || strings.Contains(fmt.Sprint(err), "insecure")
}

func describeCert(c *x509.Certificate) CertInfo {
	ci := CertInfo{
		Subject: c.Subject.String(), Issuer: c.Issuer.String(), Serial: fmt.Sprintf("%X", c.SerialNumber),
		DNSNames: c.DNSNames, NotBefore: c.NotBefore, NotAfter: c.NotAfter,
		SigAlg: c.SignatureAlgorithm.String(), SelfSigned: selfSigned(c), IsCA: c.IsCA,
	}
	for _, ip := range c.IPAddresses {
		ci.IPs = append(ci.IPs, ip.String())
	}
	switch k := c.PublicKey.(type) {
	case *rsa.PublicKey:
		ci.KeyType, ci.KeyBits, ci.RSAExp1 = "RSA", k.N.BitLen(), k.E == 1
	case *ecdsa.PublicKey:
		ci.KeyType, ci.KeyBits = "EC", k.Curve.Params().BitSize
	case ed25519.PublicKey:
		ci.KeyType, ci.KeyBits = "Ed25519", 256
	case *dsa.PublicKey:
		ci.KeyType, ci.KeyBits = "DSA", k.P.BitLen()
	default:
		ci.KeyType = "unknown"
	}
	return ci
}

// sigWeakness names a certificate signature's weak hash: "SHA-1", "MD5", "MD2", or "".
func sigWeakness(alg string) string {
	a := strings.ToUpper(alg)
	switch {
	case strings.Contains(a, "MD5"):
		return "MD5"
	case strings.Contains(a, "MD2"):
		return "MD2"
	case strings.Contains(a, "SHA1"):
		return "SHA-1"
	}
	return ""
}
