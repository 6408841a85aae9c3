package tls

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"ecscan/checks"
)

// Policy holds the evaluation's settings.
type Policy struct {
	// ExpiryWarning: a certificate expiring sooner fails tls.cert.expiring.
	ExpiryWarning time.Duration
}

// Evidence IDs (local to the Result).
const (
	evService     = "service"     // the service map entry and how the endpoint ended
	evStartTLS    = "starttls"    // the upgrade dialogue
	evEnumeration = "enumeration" // protocols and suites, and the engine's transcript
	evHandshake   = "handshake"   // the crypto/tls handshake and the stapled OCSP response
	evChain       = "chain"       // the served chain in PEM, and its validation
	evHTTPS       = "https"       // the head of the answer to GET / over TLS
	evRedirect    = "redirect"    // the head of the answer to GET / on port 80
	evGrade       = "grade"       // how the grade was computed
)

// Evaluate turns an observation into findings (the package doc lists them). It is pure: the
// same observation, time and policy give the same findings.
func Evaluate(obs *Observation, now time.Time, p Policy) []checks.Finding {
	e := &evaluator{obs: obs, now: now, p: p, grade: ComputeGrade(gradeInputOf(obs, now))}
	e.upgrade()
	e.web()
	if en := obs.Enumeration; en != nil && en.AnyOffered() {
		e.protocols()
		e.ciphers()
		e.forwardSecrecy()
		e.serverOrder()
		e.kexParams()
	}
	e.certificate()
	e.ocsp()
	e.gradeFinding()
	return e.out
}

type evaluator struct {
	obs   *Observation
	now   time.Time
	p     Policy
	grade *Grade
	out   []checks.Finding
}

// add appends a finding of the endpoint; passes and facts get severity info, and the
// evidence IDs that the observation does not have are dropped.
func (e *evaluator) add(f checks.Finding) {
	f.Host, f.Addr = e.obs.Host, e.obs.Addr.String()
	if f.Port == 0 {
		f.Port = e.obs.Port
	}
	if f.Outcome != checks.Fail {
		f.Severity = checks.SevInfo
	}
	var ev []string
	for _, id := range append([]string{evService}, f.Evidence...) {
		if hasEvidence(e.obs, e.grade, id) && !slices.Contains(ev, id) {
			ev = append(ev, id)
		}
	}
	f.Evidence = ev
	e.out = append(e.out, f)
}

// hasEvidence reports whether BuildEvidence makes the item id for obs.
func hasEvidence(obs *Observation, g *Grade, id string) bool {
	switch id {
	case evService:
		return true
	case evStartTLS:
		return obs.StartTLS != nil
	case evEnumeration:
		return obs.Enumeration != nil || obs.EngineError != ""
	case evHandshake:
		return obs.Handshake != nil
	case evChain:
		return obs.Chain != nil
	case evHTTPS:
		return obs.HTTPS != nil
	case evRedirect:
		return obs.Redirect != nil
	case evGrade:
		return g != nil
	}
	return false
}

// verdict builds a finding that passes or fails with sev.
func verdict(id string, fail bool, sev checks.Severity, title, detail checks.Text, ev ...string) checks.Finding {
	f := checks.Finding{ID: id, Outcome: checks.Pass, Title: title, Detail: detail, Evidence: ev}
	if fail {
		f.Outcome, f.Severity = checks.Fail, sev
	}
	return f
}

// handshakeWorked reports whether some TLS handshake with the endpoint succeeded.
func (e *evaluator) handshakeWorked() bool {
	h := e.obs.Handshake
	return h != nil && h.Error == "" || e.obs.Enumeration.AnyOffered()
}

// maxListed bounds the suites a finding's detail names per version (the evidence lists all).
const maxListed = 8

// suitesWhere lists the accepted (known) suites that satisfy pred, per version:
// "TLS 1.2: A, B; TLS 1.0: C".
func suitesWhere(en *Enumeration, pred func(Suite) bool) string {
	var parts []string
	for _, v := range slices.Backward(Versions) {
		p := en.Protocol(v)
		if p == nil || !p.Offered {
			continue
		}
		var names []string
		for _, s := range p.Suites {
			if s.Known && pred(s) {
				names = append(names, s.Name)
			}
		}
		if len(names) > maxListed {
			names = append(names[:maxListed], fmt.Sprintf("… (%d more)", len(names)-maxListed))
		}
		if len(names) > 0 {
			parts = append(parts, v.String()+": "+strings.Join(names, ", "))
		}
	}
	return strings.Join(parts, "; ")
}

// countSuites counts the accepted suites over every version.
func countSuites(en *Enumeration) int {
	n := 0
	for _, p := range en.Protocols {
		if p.Offered {
			n += len(p.Suites)
		}
	}
	return n
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
