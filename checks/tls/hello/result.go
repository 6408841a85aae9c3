package hello

import "fmt"

// assemble gathers the version scans into the Enumeration.
func assemble(scans []*versionScan) *Enumeration {
	en := &Enumeration{Versions: map[Version]*VersionResult{}}
	for _, vs := range scans {
		if vs != nil {
			en.Versions[vs.v] = &vs.res
		}
	}
	dropped := 0
	for _, vs := range scans {
		if vs == nil {
			continue
		}
		if vs.v != SSL20 && !vs.res.Offered && vs.res.AnsweredWith == 0 {
			// SSLv3 has no protocol_version alert: servers refuse it with handshake_failure.
			vs.res.NoUsableSuite = len(vs.res.Unusable) > 0 ||
				vs.v != SSL30 && vs.sawHandshakeFailure && !vs.sawProtocolVersion && higherOffered(en, vs.v)
		}
		if en.Certificates == nil && vs.v != TLS13 && vs.certs != nil {
			en.Certificates = vs.certs
		}
		for _, l := range vs.lines {
			if len(en.Transcript) < maxTranscript {
				en.Transcript = append(en.Transcript, l)
			} else {
				dropped++
			}
		}
	}
	if dropped > 0 {
		en.Transcript = append(en.Transcript, fmt.Sprintf("… %d more lines", dropped))
	}
	return en
}

// higherOffered reports whether a version above v was offered.
func higherOffered(en *Enumeration, v Version) bool {
	for w, r := range en.Versions {
		if w.rank() > v.rank() && r.Offered {
			return true
		}
	}
	return false
}
