package dns

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	miekg "github.com/miekg/dns"

	"ecscan/checks"
)

// named follows the MX or NS records of zone to their hosts.
func (d *discoverer) named(ctx context.Context, zone string, kind uint16) error {
	a, err := d.ask(ctx, zone, kind)
	if err != nil {
		return err
	}
	var targets []string
	switch kind {
	case miekg.TypeMX:
		for _, mx := range records[*miekg.MX](a) {
			targets = append(targets, mx.Mx)
		}
	case miekg.TypeNS:
		for _, ns := range records[*miekg.NS](a) {
			targets = append(targets, ns.Ns)
		}
	}
	source := strings.ToLower(typeName(kind))
	via := typeName(kind) + " of " + zone
	for i, t := range targets {
		if i == maxNamed {
			break
		}
		name := bare(t)
		if name == "" {
			continue // a null MX (RFC 7505): the domain accepts no mail
		}
		if _, err := d.lookup(ctx, name, source, via, zone, true); err != nil {
			return err
		}
	}
	return nil
}

// lookup asks for name's A and AAAA records and adds what it finds as a host with source
// (and via, when a zone named it). A name without addresses is added when keep is set
// (the operator or the zone named it) or the lookup failed (so the failure shows);
// otherwise lookup returns nil.
func (d *discoverer) lookup(ctx context.Context, name, source, via, zone string, keep bool) (*foundHost, error) {
	var addrs []netip.Addr
	var failed []string
	for _, t := range []uint16{miekg.TypeA, miekg.TypeAAAA} {
		a, err := d.ask(ctx, name, t)
		if err != nil {
			return nil, err
		}
		switch {
		case a.err != nil:
			failed = append(failed, fmt.Sprintf("%s: %s", typeName(t), checks.Classify(a.err)))
		case a.msg.Rcode != miekg.RcodeSuccess && a.msg.Rcode != miekg.RcodeNameError:
			failed = append(failed, fmt.Sprintf("%s: %s", typeName(t), a.rcode()))
		}
		addrs = append(addrs, addresses(a)...)
	}
	if len(addrs) == 0 && !keep && len(failed) == 0 {
		return nil, nil // the name does not exist, or has no address: nothing to list
	}
	h := d.hosts.get(name, source)
	h.addVia(via, zone)
	h.addAddrs(addrs)
	if len(failed) > 0 && len(h.addrs) == 0 {
		h.lookupErr = "resolver " + d.server.String() + " answered " + strings.Join(failed, ", ")
	}
	return h, nil
}

// addresses returns the A and AAAA records of an answer as addresses.
func addresses(a *answer) []netip.Addr {
	var out []netip.Addr
	for _, r := range records[*miekg.A](a) {
		if ip, ok := netip.AddrFromSlice(r.A); ok {
			out = append(out, ip.Unmap())
		}
	}
	for _, r := range records[*miekg.AAAA](a) {
		if ip, ok := netip.AddrFromSlice(r.AAAA); ok {
			out = append(out, ip)
		}
	}
	return out
}

// ask sends one question to the resolver (once per name and type) and keeps the
// exchange as evidence. It returns an error only when the resolver does not answer the
// very first query — the resolver is unusable — or the scan was canceled.
func (d *discoverer) ask(ctx context.Context, name string, qtype uint16) (*answer, error) {
	key := canonical(name) + " " + typeName(qtype)
	if a, ok := d.asked[key]; ok {
		return a, nil
	}
	first := len(d.asked) == 0
	a := d.q.ask(ctx, d.server, name, qtype, true, false)
	a.id = fmt.Sprintf("discovery:%s/%s", bare(name), typeName(qtype))
	d.asked[key] = a
	ev := a.evidence()
	ev.Target = bare(name)
	d.evidence = append(d.evidence, ev)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("discovery interrupted: %w", err)
	}
	if first && a.err != nil {
		switch checks.Classify(a.err) {
		case checks.StatusTimeout, checks.StatusRefused, checks.StatusUnreachable, checks.StatusReset:
			return nil, fmt.Errorf("resolver %s unreachable: %s: %w", d.server, a.describe(), a.err)
		}
		return nil, fmt.Errorf("resolver %s: %s: %w", d.server, a.describe(), a.err)
	}
	if first && a.msg.Rcode == miekg.RcodeRefused {
		return nil, fmt.Errorf("resolver %s refused to answer %s: is it a recursive resolver that serves this host?", d.server, a.describe())
	}
	return a, nil
}
