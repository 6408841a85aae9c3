package dns

import (
	"slices"
	"strings"

	miekg "github.com/miekg/dns"
)

// maxChain bounds the CNAME chain followed inside one answer.
const maxChain = 8

// records returns the answer section's records of type T owned by the question's name or
// by a name a CNAME chain from it leads to. Records of other owners (a hostile server may
// add anything) are ignored.
func records[T miekg.RR](a *answer) []T {
	if a == nil || a.msg == nil {
		return nil
	}
	owners := chain(a.name, a.msg.Answer)
	var out []T
	for _, rr := range a.msg.Answer {
		if v, ok := rr.(T); ok && owners[canonical(rr.Header().Name)] {
			out = append(out, v)
		}
	}
	return out
}

// chain returns name and the names CNAME records lead to from it, canonical.
func chain(name string, rrs []miekg.RR) map[string]bool {
	owners := map[string]bool{canonical(name): true}
	cur := canonical(name)
	for range maxChain {
		next := ""
		for _, rr := range rrs {
			if c, ok := rr.(*miekg.CNAME); ok && canonical(c.Hdr.Name) == cur {
				next = canonical(c.Target)
				break
			}
		}
		if next == "" || owners[next] {
			break
		}
		owners[next] = true
		cur = next
	}
	return owners
}

// canonical lowercases a name and makes it fully qualified.
func canonical(name string) string { return strings.ToLower(miekg.Fqdn(name)) }

// bare lowercases a name and drops the final dot: how hosts and domains are named in
// results ("ns1.ecshop.test").
func bare(name string) string { return strings.TrimSuffix(strings.ToLower(name), ".") }

// txtStrings returns the answer's TXT records, each record's strings joined without
// separators (RFC 7208 3.3, RFC 7489 6.6.3).
func txtStrings(a *answer) []string {
	var out []string
	for _, t := range records[*miekg.TXT](a) {
		out = append(out, strings.Join(t.Txt, ""))
	}
	return out
}

// nsNames returns the sorted targets of NS records, lowercase, without the final dot.
func nsNames(rrs []*miekg.NS) []string {
	var out []string
	seen := map[string]bool{}
	for _, ns := range rrs {
		n := bare(ns.Ns)
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// within reports whether name is domain or below it.
func within(name, domain string) bool {
	name, domain = bare(name), bare(domain)
	return name == domain || strings.HasSuffix(name, "."+domain)
}
