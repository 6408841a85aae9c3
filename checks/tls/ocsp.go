package tls

import (
	"crypto/x509"

	"golang.org/x/crypto/ocsp"
)

// parseStaple reads the OCSP response the server stapled (RFC 6066 status_request): its
// status, whether it is about the leaf, and whether the leaf's issuer signed it.
func parseStaple(raw []byte, leaf, issuer *x509.Certificate) *OCSPStaple {
	st := &OCSPStaple{Present: len(raw) > 0}
	if !st.Present {
		return st
	}
	resp, err := ocsp.ParseResponse(raw, issuer)
	if err == nil {
		st.Verified = issuer != nil
	} else if issuer != nil {
		st.Error = "signature: " + err.Error()
		resp, err = ocsp.ParseResponse(raw, nil)
	}
	if err != nil {
		st.Status, st.Error = "unparsable", err.Error()
		return st
	}
	switch resp.Status {
	case ocsp.Good:
		st.Status = "good"
	case ocsp.Revoked:
		st.Status = "revoked"
	default:
		st.Status = "unknown"
	}
	st.ForLeaf = leaf != nil && resp.SerialNumber != nil && resp.SerialNumber.Cmp(leaf.SerialNumber) == 0
	st.ProducedAt, st.NextUpdate = resp.ProducedAt, resp.NextUpdate
	return st
}
