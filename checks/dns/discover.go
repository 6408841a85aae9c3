package dns

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	miekg "github.com/miekg/dns"

	"ecscan/checks"
)

// maxNamed bounds the MX and NS targets followed per domain (a hostile zone may list
// thousands).
const maxNamed = 16

// DiscoverConfig says what discovery starts from and how it asks.
type DiscoverConfig struct {
	// Targets are the operator's arguments: domains, host names or IP addresses.
	Targets []string
	// Names are extra host names looked up in every domain: relative single labels
	// ("shop", "admin", "mail"), or FQDNs (any name with a dot), which count as listed by
	// the operator.
	Names []string
	// AllowPrivate allows private, loopback and reserved addresses.
	AllowPrivate bool
	// Resolver is the recursive resolver, "ip:port"; "" is the first nameserver of
	// /etc/resolv.conf.
	Resolver string
	// Timeout bounds one query; 0 is DefaultTimeout.
	Timeout time.Duration
	// Dialer carries every query: its Acquire for UDP, its DialContext for TCP. nil is a
	// dialer with checks.DefaultLimits.
	Dialer *checks.Dialer
}

// Discovery is what discovery found.
type Discovery struct {
	// Domains are the zones found among the targets: names whose SOA owner is the name.
	Domains []string
	// Hosts are every host found, in scope or not, with the reason.
	Hosts []checks.Host
	// Evidence are the discovery's queries and answers.
	Evidence []checks.Evidence
}

// discoverer is one discovery run.
type discoverer struct {
	cfg      DiscoverConfig
	q        *querier
	server   netip.AddrPort
	asked    map[string]*answer // by name and type: each question is asked once
	hosts    *hostSet
	domains  []string
	evidence []checks.Evidence
}

// Discover turns the operator's targets into hosts with scope decisions. For a name it
// asks the resolver for the SOA: a name owning its SOA is a domain, whose apex, www, MX
// targets, NS targets and configured names are looked up (A and AAAA); any other name is
// a single host. An IP address is a host as it is. Discover returns an error — one line,
// for the operator — when a target does not resolve, the resolver does not answer the
// first query, or an IP target is private and private addresses are not allowed.
func Discover(ctx context.Context, cfg DiscoverConfig) (*Discovery, error) {
	server, err := resolverAddr(cfg.Resolver)
	if err != nil {
		return nil, err
	}
	d := &discoverer{
		cfg:    cfg,
		q:      newQuerier(cfg.Dialer, cfg.Timeout, nil),
		server: server,
		asked:  map[string]*answer{},
		hosts:  newHostSet(),
	}
	if err := d.run(ctx); err != nil {
		return nil, err
	}
	out := &Discovery{Domains: d.domains, Evidence: d.evidence}
	for _, h := range d.hosts.order {
		out.Hosts = append(out.Hosts, decide(h, d.domains, cfg.AllowPrivate))
	}
	return out, nil
}

func (d *discoverer) run(ctx context.Context) error {
	if len(d.cfg.Targets) == 0 {
		return errors.New("no targets: name a domain, host or IP address")
	}
	for _, n := range d.cfg.Names {
		if _, err := hostName(n); err != nil {
			return fmt.Errorf("host name %w", err)
		}
	}
	for _, t := range d.cfg.Targets {
		if err := d.target(ctx, t); err != nil {
			return err
		}
	}
	for _, n := range d.cfg.Names {
		if name, _ := hostName(n); strings.Contains(name, ".") {
			h, err := d.lookup(ctx, name, "config", "", "", true)
			if err != nil {
				return err
			}
			h.listed = true
		}
	}
	return nil
}

// target handles one of the operator's arguments.
func (d *discoverer) target(ctx context.Context, raw string) error {
	t := strings.TrimSpace(raw)
	if a, err := netip.ParseAddr(strings.Trim(t, "[]")); err == nil {
		return d.ipTarget(a.Unmap())
	}
	name, err := hostName(t)
	if err != nil {
		return fmt.Errorf("target %w", err)
	}
	soa, err := d.ask(ctx, name, miekg.TypeSOA)
	if err != nil {
		return err
	}
	if soa.err != nil {
		return fmt.Errorf("target %s: no answer from resolver %s: %w", name, d.server, soa.err)
	}
	switch soa.msg.Rcode {
	case miekg.RcodeSuccess:
	case miekg.RcodeNameError:
		return fmt.Errorf("target %s does not exist (NXDOMAIN from resolver %s)", name, d.server)
	default:
		return fmt.Errorf("target %s: resolver %s answered %s", name, d.server, soa.rcode())
	}
	if isApex(soa, name) {
		return d.domain(ctx, name)
	}
	h, err := d.lookup(ctx, name, "argument", "", "", true)
	if err != nil {
		return err
	}
	h.listed = true
	if len(h.addrs) == 0 {
		return fmt.Errorf("target %s has no addresses and is not a zone (resolver %s)", name, d.server)
	}
	return nil
}

// ipTarget adds an address given as a target.
func (d *discoverer) ipTarget(a netip.Addr) error {
	if kind, special := specialPurpose(a); special && !d.cfg.AllowPrivate {
		return fmt.Errorf("target %s is a %s address: private and reserved addresses are refused unless allowed", a, kind)
	}
	h := d.hosts.get(a.String(), "argument")
	h.addAddrs([]netip.Addr{a})
	h.listed = true
	return nil
}

// isApex reports whether the SOA answer for name is owned by name itself.
func isApex(soa *answer, name string) bool {
	for _, s := range records[*miekg.SOA](soa) {
		if canonical(s.Hdr.Name) == canonical(name) {
			return true
		}
	}
	return false
}

// hostName checks and normalizes a name: lowercase, without the final dot.
func hostName(s string) (string, error) {
	n := bare(strings.TrimSpace(s))
	if _, ok := miekg.IsDomainName(n); !ok || n == "" || strings.ContainsAny(n, " /:@\\") {
		return "", fmt.Errorf("%q is not a domain name or IP address", s)
	}
	return n, nil
}

// domain discovers a zone's apex, www, MX and NS targets and the configured names.
func (d *discoverer) domain(ctx context.Context, zone string) error {
	if slices.Contains(d.domains, zone) {
		return nil
	}
	d.domains = append(d.domains, zone)
	apex, err := d.lookup(ctx, zone, "apex", "", "", false)
	if err != nil {
		return err
	}
	if apex != nil {
		apex.addSource("argument")
		apex.listed = true
	}
	if _, err := d.lookup(ctx, "www."+zone, "www", "", "", false); err != nil {
		return err
	}
	for _, kind := range []uint16{miekg.TypeMX, miekg.TypeNS} {
		if err := d.named(ctx, zone, kind); err != nil {
			return err
		}
	}
	for _, n := range d.cfg.Names {
		if name, _ := hostName(n); !strings.Contains(name, ".") {
			if _, err := d.lookup(ctx, name+"."+zone, "config", "", "", false); err != nil {
				return err
			}
		}
	}
	return nil
}
