package diff

import (
	"cmp"
	"encoding/json"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"ecscan/checks"
	"ecscan/report"
)

// The finding IDs of the TLS check that CertExpiring follows.
const (
	CertExpiringID = "tls.cert.expiring"
	CertExpiredID  = "tls.cert.expired"
)

// CertNote is a certificate to renew: the new run has a tls.cert.expiring or
// tls.cert.expired failure for it, or its days left dropped below a threshold since the old
// run.
type CertNote struct {
	Host     string          `json:"host"`
	Port     int             `json:"port,omitempty"`
	Subject  string          `json:"subject,omitempty"`
	Finding  string          `json:"finding,omitempty"` // the failure's ID, when there is one
	Severity checks.Severity `json:"severity"`
	// DaysLeft counts whole days from the new run's start to the leaf's NotAfter (negative:
	// expired); OldDaysLeft the same in the old run. Nil when unknown.
	DaysLeft    *int      `json:"days_left,omitempty"`
	OldDaysLeft *int      `json:"old_days_left,omitempty"`
	NotAfter    time.Time `json:"not_after,omitzero"`
	// Crossed is the lowest threshold (days) the certificate went below since the old run.
	Crossed int         `json:"crossed,omitempty"`
	Detail  checks.Text `json:"detail,omitzero"`
}

// endpoint is a TLS service: host and port.
type endpoint struct {
	host string
	port int
}

// leaf is what a TLS observation says of an endpoint's leaf certificate.
type leaf struct {
	id   CertID
	days int
}

// certNotes lists the certificates of new (whose leaves are nl; old's are ol) that expire,
// or that crossed a threshold.
func certNotes(old, new *report.Report, ol, nl map[endpoint]leaf, thresholds []int) []CertNote {
	oldFindings := byKey(old.Findings)
	notes := map[endpoint]*CertNote{}
	for _, f := range new.Findings {
		if f.Outcome != checks.Fail || (f.ID != CertExpiringID && f.ID != CertExpiredID) {
			continue
		}
		ep := endpoint{f.Host, f.Port}
		n := &CertNote{Host: f.Host, Port: f.Port, Subject: f.Subject, Finding: f.ID, Severity: f.Severity, Detail: f.Detail}
		if l, ok := nl[ep]; ok {
			n.DaysLeft, n.NotAfter = ptr(l.days), l.id.NotAfter
		} else if days, ok := daysInDetail(f); ok {
			n.DaysLeft = ptr(days)
		}
		if l, ok := ol[ep]; ok {
			n.OldDaysLeft = ptr(l.days)
		} else if of, ok := oldFindings[f.Key()]; ok {
			if days, ok := daysInDetail(of); ok {
				n.OldDaysLeft = ptr(days)
			}
		}
		if prev := notes[ep]; prev == nil || rank(f) > rank(checks.Finding{Outcome: checks.Fail, Severity: prev.Severity}) {
			notes[ep] = n
		}
	}
	for ep, l := range nl {
		if o, ok := ol[ep]; ok && notes[ep] == nil && crossed(o.days, l.days, thresholds) > 0 {
			notes[ep] = &CertNote{Host: ep.host, Port: ep.port, DaysLeft: ptr(l.days), OldDaysLeft: ptr(o.days), NotAfter: l.id.NotAfter}
		}
	}
	var out []CertNote
	for _, n := range notes {
		if n.DaysLeft != nil && n.OldDaysLeft != nil {
			n.Crossed = crossed(*n.OldDaysLeft, *n.DaysLeft, thresholds)
		}
		out = append(out, *n)
	}
	slices.SortFunc(out, func(a, b CertNote) int {
		return cmp.Or(cmp.Compare(daysOr(a), daysOr(b)), cmp.Compare(a.Host, b.Host), cmp.Compare(a.Port, b.Port))
	})
	return out
}

// crossed returns the lowest threshold t with old >= t > new, or 0.
func crossed(old, new int, thresholds []int) int {
	low := 0
	for _, t := range thresholds {
		if old >= t && new < t && (low == 0 || t < low) {
			low = t
		}
	}
	return low
}

func ptr(n int) *int { return &n }

func daysOr(n CertNote) int {
	if n.DaysLeft == nil {
		return math.MaxInt
	}
	return *n.DaysLeft
}

// leaves finds the leaf certificate of every TLS endpoint in the report's results: in a
// result's typed observation (Data), an object with a "chain" whose "certs" start with the
// leaf (its "not_after", and "serial", "subject", "issuer", "not_before"), beside the
// endpoint's "host" and "port" (the TLS check's Observation). The data is taken through JSON, so a report read from report.json and one
// built in memory are searched alike.
func leaves(rep *report.Report) map[endpoint]leaf {
	m := map[endpoint]leaf{}
	for _, r := range rep.Results {
		if r.Data == nil {
			continue
		}
		raw, err := json.Marshal(r.Data)
		if err != nil {
			continue
		}
		var v any
		if json.Unmarshal(raw, &v) != nil {
			continue
		}
		walkChains(v, 0, func(host string, port int, id CertID) {
			if host == "" {
				host, port = resultEndpoint(r)
			}
			days := int(math.Floor(id.NotAfter.Sub(rep.Started).Hours() / 24))
			m[endpoint{host, port}] = leaf{id: id, days: days}
		})
	}
	return m
}

// walkChains calls found for every certificate chain in v, to a bounded depth.
func walkChains(v any, depth int, found func(host string, port int, leaf CertID)) {
	if depth > 8 {
		return
	}
	switch x := v.(type) {
	case map[string]any:
		if t, ok := leafCert(x["chain"]); ok {
			host, _ := x["host"].(string)
			port, _ := x["port"].(float64)
			found(host, int(port), t)
			return
		}
		for _, c := range x {
			walkChains(c, depth+1, found)
		}
	case []any:
		for _, c := range x {
			walkChains(c, depth+1, found)
		}
	}
}

// leafCert reads the first certificate of a chain; it needs a valid "not_after".
func leafCert(chain any) (CertID, bool) {
	c, _ := chain.(map[string]any)
	certs, _ := c["certs"].([]any)
	if len(certs) == 0 {
		return CertID{}, false
	}
	first, _ := certs[0].(map[string]any)
	str := func(k string) string { s, _ := first[k].(string); return s }
	notAfter, err := time.Parse(time.RFC3339, str("not_after"))
	if err != nil {
		return CertID{}, false
	}
	notBefore, _ := time.Parse(time.RFC3339, str("not_before"))
	return CertID{Subject: str("subject"), Issuer: str("issuer"), Serial: str("serial"), NotBefore: notBefore, NotAfter: notAfter}, true
}

// resultEndpoint is a result's host and port: its target without the port.
func resultEndpoint(r checks.Result) (string, int) {
	host := r.Target
	if r.Port != 0 {
		host = strings.TrimSuffix(host, ":"+strconv.Itoa(r.Port))
	}
	return strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"), r.Port
}

var (
	daysEN = regexp.MustCompile(`(\d{1,6}) ?days?\b`)
	daysJA = regexp.MustCompile(`(\d{1,6}) ?日`)
)

// daysInDetail reads the days left from a finding's detail ("expires in 12 days", "12日後"),
// when no observation gives the date: a tls.cert.expired finding counts them as past.
func daysInDetail(f checks.Finding) (int, bool) {
	for _, p := range []struct {
		re   *regexp.Regexp
		text string
	}{{daysEN, f.Detail.EN}, {daysJA, f.Detail.JA}} {
		if m := p.re.FindStringSubmatch(p.text); m != nil {
			n, _ := strconv.Atoi(m[1])
			if f.ID == CertExpiredID {
				n = -n
			}
			return n, true
		}
	}
	return 0, false
}
