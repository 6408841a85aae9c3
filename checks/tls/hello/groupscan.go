package hello

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
)

// scanGroups probes the named groups one at a time: at TLS 1.2 the ECDHE curves, with the
// accepted ECDHE suites offered and the curve confirmed by the ServerKeyExchange; at TLS
// 1.3 the key exchange groups, with a key share when one can be made (else none, asking
// for a HelloRetryRequest) and the group confirmed by the ServerHello's key_share or the
// HelloRetryRequest's selection. A failed probe ends the scan.
//
// In TLS 1.2 supported_groups also names the curves an ECDSA certificate may be on (RFC
// 8422 §5.1): when only ECDSA suites are accepted, each hello also lists the certificate's
// curve after the probed one, and the probed curve counts only when the server picks it.
func (vs *versionScan) scanGroups(ctx context.Context) {
	var suites, groups []uint16
	var certCurve uint16
	switch vs.v {
	case TLS12:
		suites = vs.ecdheSuites(func(s Suite) bool { return s.Auth != "ECDSA" })
		if len(suites) == 0 {
			suites, certCurve = vs.ecdheSuites(func(Suite) bool { return true }), leafCurve(vs.certs)
		}
		groups = ecGroupsTLS12()
	case TLS13:
		suites, groups = vs.res.Suites, groupsTLS13()
	}
	if len(suites) == 0 {
		return
	}
	suites = suites[:min(len(suites), vs.e.opts.MaxSuitesPerHello)]
	for _, g := range groups {
		spec := helloSpec{suites: suites, groups: []uint16{g}}
		if certCurve != 0 && certCurve != g {
			spec.groups = append(spec.groups, certCurve)
		}
		if vs.v == TLS13 {
			spec.shares, _ = newKeyShares(g)
		}
		r, ok := vs.probe(ctx, spec, vs.v == TLS12)
		if !ok || r.err != nil && !r.closed {
			return
		}
		if r.f != nil && vs.groupAccepted(r.f, g) {
			vs.res.Groups = append(vs.res.Groups, g)
		}
	}
}

// ecdheSuites returns the accepted ECDHE suites that keep.
func (vs *versionScan) ecdheSuites(keep func(Suite) bool) []uint16 {
	var out []uint16
	for _, id := range vs.res.Suites {
		if s, _ := SuiteByID(id); s.Kex == "ECDHE" && keep(s) {
			out = append(out, id)
		}
	}
	return out
}

// leafCurve returns the named group of the first certificate's ECDSA key, or 0.
func leafCurve(certs [][]byte) uint16 {
	if len(certs) == 0 {
		return 0
	}
	c, err := x509.ParseCertificate(certs[0])
	if err != nil {
		return 0
	}
	if k, ok := c.PublicKey.(*ecdsa.PublicKey); ok {
		switch k.Curve {
		case elliptic.P256():
			return groupSecp256r1
		case elliptic.P384():
			return groupSecp384r1
		case elliptic.P521():
			return groupSecp521r1
		}
	}
	return 0
}

// groupAccepted reports whether a group probe's answer shows group g in use.
func (vs *versionScan) groupAccepted(f *flight, g uint16) bool {
	sh := f.hello
	if sh == nil || sh.version != vs.v {
		return false
	}
	if vs.v == TLS13 {
		return sh.group == g
	}
	return f.kx.group == g
}
