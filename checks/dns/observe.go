package dns

import (
	"context"
	"fmt"
	"net/netip"
	"sync"

	miekg "github.com/miekg/dns"

	"ecscan/checks"
)

// zoneObs is what the resolver and the zone's in-scope name servers said about a domain.
type zoneObs struct {
	zone     string // bare: "ecshop.test"
	resolver netip.AddrPort
	// Asked of the resolver (RD=1; DNSKEY and DS with DO=1).
	ns, soa, txt, dmarc, caa, dnskey, ds *answer

	servers []*serverObs // the in-scope name server addresses, probed
	skipped []skippedNS  // the other name servers, not probed
}

// serverObs is what one address of one in-scope name server said.
type serverObs struct {
	zone string
	name string // bare NS name: "ns1.ecshop.test"
	addr netip.Addr
	at   netip.AddrPort // where it was reached (port 53 outside tests)
	// soa and ns are asked with RD=0; soa doubles as the reachability probe.
	soa, ns   *answer
	recursion *answer // RD=1 for a name outside the zone
	axfr      *transfer
}

// skippedNS is a name server of the zone that is not probed, and why.
type skippedNS struct {
	name   string
	reason string
}

// unreachable reports whether the server did not answer its first probe at all, so the
// other probes are not sent.
func (s *serverObs) unreachable() bool {
	switch checks.Classify(s.soa.err) {
	case checks.StatusTimeout, checks.StatusUnreachable, checks.StatusRefused, checks.StatusCanceled:
		return true
	}
	return false
}

// observeZone asks the resolver about zone.
func (c *check) observeZone(ctx context.Context, q *querier, resolver netip.AddrPort, zone string) *zoneObs {
	z := &zoneObs{zone: zone, resolver: resolver}
	ask := func(name string, t uint16, do bool) *answer {
		a := q.ask(ctx, resolver, name, t, true, do)
		a.id = fmt.Sprintf("%s/%s", bare(name), typeName(t))
		return a
	}
	z.ns = ask(zone, miekg.TypeNS, false)
	z.soa = ask(zone, miekg.TypeSOA, false)
	z.txt = ask(zone, miekg.TypeTXT, false)
	z.dmarc = ask("_dmarc."+zone, miekg.TypeTXT, false)
	z.caa = ask(zone, miekg.TypeCAA, false)
	z.dnskey = ask(zone, miekg.TypeDNSKEY, true)
	z.ds = ask(zone, miekg.TypeDS, true)
	return z
}

// resolverAnswers are the zone's resolver answers, in the order asked.
func (z *zoneObs) resolverAnswers() []*answer {
	return []*answer{z.ns, z.soa, z.txt, z.dmarc, z.caa, z.dnskey, z.ds}
}

// pickServers splits the zone's name servers (as the resolver lists them) into the
// addresses to probe — in-scope hosts of the scan — and the rest, which are never probed.
func (c *check) pickServers(z *zoneObs, hosts []checks.Host) {
	byName := map[string]checks.Host{}
	for _, h := range hosts {
		byName[bare(h.Name)] = h
	}
	for _, name := range nsNames(records[*miekg.NS](z.ns)) {
		h, ok := byName[name]
		switch {
		case !ok:
			z.skipped = append(z.skipped, skippedNS{name, "not among the scan's hosts"})
		case !h.InScope:
			z.skipped = append(z.skipped, skippedNS{name, "out of scope: " + h.Reason})
		case len(h.Addrs) == 0:
			z.skipped = append(z.skipped, skippedNS{name, "no address"})
		}
		if !ok || !h.InScope {
			continue
		}
		for _, a := range h.Addrs {
			z.servers = append(z.servers, &serverObs{zone: z.zone, name: name, addr: a, at: c.serverAddr(a)})
		}
	}
}

// serverAddr is where a name server's address is reached: port 53, or the tests' fakes.
func (c *check) serverAddr(a netip.Addr) netip.AddrPort {
	if c.cfg.serverAddr != nil {
		return c.cfg.serverAddr(a)
	}
	return netip.AddrPortFrom(a, 53)
}

// observeServers probes every picked server address concurrently.
func (c *check) observeServers(ctx context.Context, q *querier, z *zoneObs) {
	var wg sync.WaitGroup
	for _, s := range z.servers {
		wg.Go(func() { c.observeServer(ctx, q, s) })
	}
	wg.Wait()
}

// observeServer asks one name server for the zone's SOA and NS without recursion, for a
// name outside the zone with recursion, and for a zone transfer over TCP.
func (c *check) observeServer(ctx context.Context, q *querier, s *serverObs) {
	prefix := fmt.Sprintf("%s/%s@%s", s.zone, s.name, s.addr)
	s.soa = q.ask(ctx, s.at, s.zone, miekg.TypeSOA, false, false)
	s.soa.id = prefix + "/SOA"
	if s.unreachable() {
		return
	}
	s.ns = q.ask(ctx, s.at, s.zone, miekg.TypeNS, false, false)
	s.ns.id = prefix + "/NS"
	s.recursion = q.ask(ctx, s.at, c.recursionName(), miekg.TypeA, true, false)
	s.recursion.id = prefix + "/recursion"
	s.axfr = q.axfr(ctx, s.at, s.zone)
	s.axfr.id = prefix + "/AXFR"
}

// recursionName is the name asked of name servers to see whether they recurse.
func (c *check) recursionName() string {
	if c.cfg.RecursionName == "" {
		return DefaultRecursionName
	}
	return miekg.Fqdn(c.cfg.RecursionName)
}
