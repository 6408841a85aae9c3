package dns

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"ecscan/checks"
)

// foundHost is a host as discovery gathers it, before the scope decision.
type foundHost struct {
	name      string
	addrs     []netip.Addr
	sources   []string // "argument", "apex", "www", "mx", "ns", "config"
	vias      []string // how a zone named it: "MX of ecshop.test"
	viaZones  []string // the zones that named it
	listed    bool     // the operator named it: a target or an FQDN in Names
	lookupErr string   // why no address was found, when none was
}

// hostSet holds the hosts found, by name, in the order found.
type hostSet struct {
	order []*foundHost
	byKey map[string]*foundHost
}

func newHostSet() *hostSet { return &hostSet{byKey: map[string]*foundHost{}} }

// get returns the host called name, adding it when new, and records source.
func (s *hostSet) get(name, source string) *foundHost {
	key := bare(name)
	h := s.byKey[key]
	if h == nil {
		h = &foundHost{name: key}
		s.byKey[key] = h
		s.order = append(s.order, h)
	}
	h.addSource(source)
	return h
}

func (h *foundHost) addSource(source string) {
	if source != "" && !slices.Contains(h.sources, source) {
		h.sources = append(h.sources, source)
	}
}

// addVia records that zone named the host as via ("MX of ecshop.test").
func (h *foundHost) addVia(via, zone string) {
	if via != "" && !slices.Contains(h.vias, via) {
		h.vias = append(h.vias, via)
	}
	if zone != "" && !slices.Contains(h.viaZones, zone) {
		h.viaZones = append(h.viaZones, zone)
	}
}

func (h *foundHost) addAddrs(as []netip.Addr) {
	for _, a := range as {
		a = a.Unmap()
		if !slices.Contains(h.addrs, a) {
			h.addrs = append(h.addrs, a)
		}
	}
}

// decide makes the scope decision for h: in scope when the operator listed it or it lies
// within one of the domains; its special-purpose addresses are dropped unless
// allowPrivate, and a host left without addresses is out of scope.
func decide(h *foundHost, domains []string, allowPrivate bool) checks.Host {
	out := checks.Host{Name: h.name, Sources: slices.Clone(h.sources)}
	var refused []string
	for _, a := range h.addrs {
		if kind, special := specialPurpose(a); special && !allowPrivate {
			refused = append(refused, fmt.Sprintf("%s (%s)", a, kind))
			continue
		}
		out.Addrs = append(out.Addrs, a)
	}
	switch d := domainOf(h.name, domains); {
	case h.listed:
		out.InScope, out.Reason = true, "listed by the operator"
	case d != "":
		out.InScope, out.Reason = true, "within "+d
	case len(h.vias) > 0:
		out.Reason = "outside " + strings.Join(h.viaZones, ", ") + ": " + strings.Join(h.vias, ", ")
	default:
		out.Reason = "outside the scan's domains"
	}
	if len(refused) > 0 {
		note := "refused " + strings.Join(refused, ", ") + ": private and reserved addresses are not allowed"
		if len(out.Addrs) == 0 && out.InScope {
			out.InScope, out.Reason = false, "no usable address: "+note
		} else {
			out.Reason += "; " + note
		}
	}
	if len(h.addrs) == 0 && out.InScope {
		out.InScope, out.Reason = false, "no address found"
		if h.lookupErr != "" {
			out.Reason += ": " + h.lookupErr
		}
	}
	return out
}

// domainOf returns the longest of domains that name lies within, or "".
func domainOf(name string, domains []string) string {
	best := ""
	for _, d := range domains {
		if within(name, d) && len(d) > len(best) {
			best = d
		}
	}
	return best
}
