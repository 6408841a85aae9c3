package tls

import (
	"context"
	ctls "crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
)

// goSuites are every cipher suite crypto/tls implements, the insecure ones included, so that
// a server offering only 3DES, RC4 or CBC suites still shows its certificate.
var goSuites = func() []uint16 {
	var ids []uint16
	for _, s := range append(ctls.CipherSuites(), ctls.InsecureCipherSuites()...) {
		ids = append(ids, s.ID)
	}
	return ids
}()

// certificate runs a crypto/tls handshake on conn (TLS 1.0 to 1.3, any certificate: the
// chain is validated afterwards against the system roots and the CA bundle) and keeps the
// chain as served, captured in VerifyConnection, with the stapled OCSP response; for a web
// endpoint GET / follows on the same connection. conn is closed on return.
func (o *observer) certificate(ctx context.Context, obs *Observation, conn net.Conn) error {
	defer conn.Close()
	var seen *ctls.ConnectionState
	tc := ctls.Client(conn, &ctls.Config{
		ServerName:         obs.SNI,
		InsecureSkipVerify: true, // validation is done on the captured chain, with reasons
		MinVersion:         ctls.VersionTLS10,
		MaxVersion:         ctls.VersionTLS13,
		CipherSuites:       goSuites,
		VerifyConnection: func(cs ctls.ConnectionState) error {
			seen = &cs
			return nil
		},
	})
	hctx, cancel := context.WithTimeout(ctx, o.timeout)
	err := tc.HandshakeContext(hctx)
	cancel()
	obs.Handshake = &Handshake{}
	if seen != nil {
		var der [][]byte
		for _, c := range seen.PeerCertificates {
			der = append(der, c.Raw)
		}
		o.analyze(obs, der, "handshake", seen.OCSPResponse)
	}
	if err != nil {
		obs.Handshake.Error = err.Error()
		return fmt.Errorf("TLS handshake with %s: %w", conn.RemoteAddr(), err)
	}
	st := tc.ConnectionState()
	obs.Handshake.Version, obs.Handshake.Suite = ctls.VersionName(st.Version), ctls.CipherSuiteName(st.CipherSuite)
	if obs.Web {
		url := "https://" + hostHeader(obs.Host, obs.Port, true) + "/"
		obs.HTTPS = getHead(ctx, tc, url, hostHeader(obs.Host, obs.Port, true), o.timeout)
		obs.HTTPS.Port = obs.Port
	}
	return nil
}

// analyze parses and validates a served chain; for a chain from the handshake, the stapled
// OCSP response is read against its leaf and issuer.
func (o *observer) analyze(obs *Observation, der [][]byte, source string, staple []byte) {
	certs, err := parseChain(der)
	if len(certs) == 0 {
		obs.Chain = &Chain{Source: source, ParseError: err.Error()}
		return
	}
	obs.Chain = analyzeChain(certs, source, obs.Host, o.roots, o.env.Now())
	if err != nil {
		obs.Chain.ParseError = err.Error()
	}
	if source == "handshake" {
		var issuer *x509.Certificate
		switch {
		case len(certs) > 1:
			issuer = certs[1]
		case selfSigned(certs[0]):
			issuer = certs[0]
		}
		obs.OCSP = parseStaple(staple, certs[0], issuer)
	}
}
