package dns

import (
	"fmt"
	"strconv"
	"strings"
)

// dmarcRecord is a parsed DMARC record (RFC 7489 6.3): its tags and the policy they set.
type dmarcRecord struct {
	Tags      map[string]string // lowercase tag name → value as written
	Policy    string            // p=: "none", "quarantine" or "reject"; "" when missing or invalid
	SubPolicy string            // sp=, lowercase, "" when absent
	Pct       int               // pct=, 100 when absent
	Errors    []string          // why the record is malformed; empty when it is well formed
}

// maxDMARCTags bounds the tags parsed from one record.
const maxDMARCTags = 64

var dmarcPolicies = map[string]bool{"none": true, "quarantine": true, "reject": true}

// isDMARC reports whether a TXT string is meant as a DMARC record: it starts with the
// version tag "v=DMARC1" (RFC 7489 6.6.3; spaces around '=' allowed).
func isDMARC(txt string) bool {
	first, _, _ := strings.Cut(txt, ";")
	k, v, ok := strings.Cut(first, "=")
	return ok && strings.TrimSpace(k) == "v" && strings.TrimSpace(v) == "DMARC1"
}

// parseDMARC parses a DMARC record's tag list. It never fails: what is wrong is listed in
// Errors, and a record with errors is malformed.
func parseDMARC(txt string) dmarcRecord {
	r := dmarcRecord{Tags: map[string]string{}, Pct: 100}
	if !isDMARC(txt) {
		r.Errors = append(r.Errors, `does not start with "v=DMARC1"`)
	}
	for i, part := range strings.Split(txt, ";") {
		if i == maxDMARCTags {
			r.Errors = append(r.Errors, fmt.Sprintf("more than %d tags", maxDMARCTags))
			break
		}
		part = strings.TrimSpace(part)
		if part == "" {
			continue // the list may end with ';'
		}
		k, v, ok := strings.Cut(part, "=")
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		switch {
		case !ok || k == "":
			r.Errors = append(r.Errors, fmt.Sprintf("%q is not a tag=value pair", clipTerm(part)))
		case hasTag(r.Tags, k):
			r.Errors = append(r.Errors, fmt.Sprintf("tag %q appears twice", clipTerm(k)))
		default:
			r.Tags[k] = v
		}
	}
	r.policies()
	return r
}

func hasTag(tags map[string]string, k string) bool {
	_, ok := tags[k]
	return ok
}

// policies reads p=, sp= and pct= from the tags.
func (r *dmarcRecord) policies() {
	p, ok := r.Tags["p"]
	switch {
	case !ok:
		r.Errors = append(r.Errors, "no policy (p=) tag")
	case !dmarcPolicies[strings.ToLower(p)]:
		r.Errors = append(r.Errors, fmt.Sprintf("policy p=%q is not none, quarantine or reject", clipTerm(p)))
	default:
		r.Policy = strings.ToLower(p)
	}
	if sp, ok := r.Tags["sp"]; ok {
		if dmarcPolicies[strings.ToLower(sp)] {
			r.SubPolicy = strings.ToLower(sp)
		} else {
			r.Errors = append(r.Errors, fmt.Sprintf("subdomain policy sp=%q is not none, quarantine or reject", clipTerm(sp)))
		}
	}
	if pct, ok := r.Tags["pct"]; ok {
		n, err := strconv.Atoi(pct)
		if err != nil || n < 0 || n > 100 {
			r.Errors = append(r.Errors, fmt.Sprintf("pct=%q is not a number from 0 to 100", clipTerm(pct)))
		} else {
			r.Pct = n
		}
	}
}
