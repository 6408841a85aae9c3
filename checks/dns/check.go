package dns

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"sync"
	"time"

	"ecscan/checks"
)

// DefaultRecursionName is the name asked of authoritative servers to see whether they
// recurse for anyone: a name outside the zones scanned.
const DefaultRecursionName = "www.example.net."

// Config configures the DNS check.
type Config struct {
	// Resolver is the recursive resolver, "ip:port"; "" is the first nameserver of
	// /etc/resolv.conf.
	Resolver string
	// Timeout bounds one query; 0 is DefaultTimeout.
	Timeout time.Duration
	// RecursionName is asked of the zones' name servers with RD=1; "" is
	// DefaultRecursionName.
	RecursionName string

	// serverAddr maps a name server's address to where it is reached; nil is port 53.
	// Tests point it at fakes on 127.0.0.1.
	serverAddr func(netip.Addr) netip.AddrPort
}

// check is the DNS check.
type check struct{ cfg Config }

// New returns the DNS check: per domain of env.Domains it asks the resolver about the
// zone's mail policies (SPF, DMARC), CAA and DNSSEC, and asks each in-scope name server
// for a zone transfer, for recursion and for its SOA and NS records.
func New(cfg Config) checks.Check { return &check{cfg: cfg} }

// Name returns "dns".
func (c *check) Name() string { return "dns" }

// Run emits one Result per domain (Target the domain) and one per probed name server
// address (Target the server's name, Port 53); name servers outside the scope get a
// Result with StatusSkipped and are never contacted. It returns an error only for a bad
// configuration.
func (c *check) Run(ctx context.Context, env *checks.Env, emit func(checks.Result)) error {
	resolver, err := resolverAddr(c.cfg.Resolver)
	if err != nil {
		return fmt.Errorf("dns: %w", err)
	}
	if env.Dialer == nil {
		return errors.New("dns: the scan has no dialer")
	}
	if n := c.cfg.RecursionName; n != "" {
		if _, err := hostName(n); err != nil {
			return fmt.Errorf("dns: recursion name %w", err)
		}
	}
	now := env.Now
	if now == nil {
		now = time.Now
	}
	q := newQuerier(env.Dialer, c.cfg.Timeout, now)
	domains := uniqueDomains(env.Domains)
	if env.Progress != nil {
		env.Progress.Add("domains", 0, len(domains))
	}
	var wg sync.WaitGroup
	for _, d := range domains {
		wg.Go(func() {
			c.domain(ctx, env, q, resolver, d, emit)
			if env.Progress != nil {
				env.Progress.Add("domains", 1, 0)
			}
		})
	}
	wg.Wait()
	return nil
}

// uniqueDomains normalizes and deduplicates the domains.
func uniqueDomains(ds []string) []string {
	var out []string
	for _, d := range ds {
		if d = bare(d); d != "" && !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}

// domain observes one zone, evaluates it and emits its results.
func (c *check) domain(ctx context.Context, env *checks.Env, q *querier, resolver netip.AddrPort, zone string, emit func(checks.Result)) {
	started := q.now()
	z := c.observeZone(ctx, q, resolver, zone)
	c.pickServers(z, env.Hosts)
	c.observeServers(ctx, q, z)
	ended := q.now()
	emit(zoneResult(z, started, ended))
	for _, s := range z.servers {
		emit(serverResult(s, started, ended))
	}
	for _, s := range z.skipped {
		emit(skippedResult(zone, s, ended))
	}
}

// zoneResult assembles the domain's Result: the resolver's answers, the servers' SOA and
// NS answers (the consistency findings refer to them) and the zone's findings.
func zoneResult(z *zoneObs, started, ended time.Time) checks.Result {
	res := checks.Result{Target: z.zone, Status: checks.StatusOK, Started: started, Ended: ended}
	for _, a := range z.resolverAnswers() {
		res.Evidence = append(res.Evidence, a.evidence())
		if a.err != nil && res.Status == checks.StatusOK {
			res.Status, res.Error = checks.Classify(a.err), a.describe()+": "+a.err.Error()
		}
	}
	for _, s := range z.servers {
		for _, a := range []*answer{s.soa, s.ns} {
			if a != nil {
				res.Evidence = append(res.Evidence, a.evidence())
			}
		}
	}
	res.Findings = evalZone(z, ended)
	res.Data = zoneData(z)
	return res
}

// serverResult assembles one name server address's Result.
func serverResult(s *serverObs, started, ended time.Time) checks.Result {
	res := checks.Result{
		Target: s.name, Addr: s.addr.String(), Port: int(s.at.Port()),
		Status: checks.Classify(s.soa.err), Started: started, Ended: ended,
	}
	if s.soa.err != nil {
		res.Error = s.soa.describe() + ": " + s.soa.err.Error()
	}
	res.Evidence = append(res.Evidence, s.soa.evidence())
	if s.recursion != nil {
		res.Evidence = append(res.Evidence, s.recursion.evidence())
	}
	if s.axfr != nil {
		res.Evidence = append(res.Evidence, s.axfr.evidence())
	}
	res.Findings = evalServer(s)
	res.Data = serverData(s)
	return res
}

// skippedResult records a name server that was not probed.
func skippedResult(zone string, s skippedNS, at time.Time) checks.Result {
	return checks.Result{
		Target: s.name, Port: 53, Status: checks.StatusSkipped,
		Error:   fmt.Sprintf("name server of %s not probed: %s", zone, s.reason),
		Started: at, Ended: at,
		Data: ServerData{Zone: zone, Name: s.name, Skipped: s.reason},
	}
}
