package smtp

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"time"

	"ecscan/checks"
)

// Defaults of Config.
const (
	DefaultHeloName = "ecscan.invalid"
	DefaultTimeout  = 10 * time.Second
)

// Config configures the SMTP check.
type Config struct {
	// Domains are the site's own domains, for the own-domain sender of the relay test;
	// empty: the scan's domains (checks.Env.Domains).
	Domains []string
	// RelayTestTo, when set (--smtp-relay-test-to), is an address the operator owns: through a
	// server that accepted a relay form, one marked test message is sent to it.
	RelayTestTo string
	// Timeout bounds one exchange (a command and its reply); 0: the dialer's exchange
	// timeout, else DefaultTimeout.
	Timeout time.Duration
	// HeloName is the name given in EHLO/HELO; "": DefaultHeloName.
	HeloName string

	// random returns a fresh token (the control name, the test message's ID); tests fix it.
	random func() string
}

type check struct{ cfg Config }

// New returns the SMTP check: on every SMTP service of the service map it reads the
// banner and the capabilities, tries STARTTLS, tests relaying and EXPN, VRFY and RCPT TO.
func New(cfg Config) checks.Check { return &check{cfg: cfg} }

// Name returns "smtp".
func (c *check) Name() string { return "smtp" }

// Run probes every SMTP service of env.Services on an in-scope address, concurrently
// within the dialer's limits, and emits one Result per service (Target "host:port"). It
// returns an error only for a bad configuration.
func (c *check) Run(ctx context.Context, env *checks.Env, emit func(checks.Result)) error {
	cfg, err := c.resolve(env)
	if err != nil {
		return err
	}
	now := env.Now
	if now == nil {
		now = time.Now
	}
	probe, skip := endpoints(env)
	if env.Progress != nil {
		env.Progress.Add("smtp", 0, len(probe))
	}
	for _, ep := range skip {
		emit(checks.Result{Target: ep.target(), Addr: ep.addr.String(), Port: ep.port, Status: checks.StatusSkipped,
			Error: "address not in scope", Started: now(), Ended: now()})
	}
	var wg sync.WaitGroup
	for _, ep := range probe {
		wg.Go(func() {
			emit(c.service(ctx, cfg, env.Dialer, ep, now))
			if env.Progress != nil {
				env.Progress.Add("smtp", 1, 0)
			}
		})
	}
	wg.Wait()
	return nil
}

// service observes and evaluates one service.
func (c *check) service(ctx context.Context, cfg Config, d *checks.Dialer, ep endpoint, now func() time.Time) checks.Result {
	started := now()
	r := &prober{cfg: cfg, dialer: d, ep: ep, own: ownDomain(cfg.Domains, ep.host), now: now, random: cfg.random,
		timeout: cfg.Timeout, budget: sessionBudget * cfg.Timeout,
		obs: &Observation{Host: ep.host, Addr: ep.addr, Port: ep.port, ImplicitTLS: ep.implicitTLS, Status: checks.StatusOK}}
	obs := r.observe(ctx)
	ended := now()
	return checks.Result{
		Target: ep.target(), Addr: ep.addr.String(), Port: ep.port,
		Status: obs.Status, Error: obs.Error, Started: started, Ended: ended,
		Findings: Evaluate(obs, ended), Evidence: BuildEvidence(obs, ended), Data: obs,
	}
}

// resolve validates the configuration and fills in the defaults.
func (c *check) resolve(env *checks.Env) (Config, error) {
	cfg := c.cfg
	if env.Dialer == nil {
		return cfg, errors.New("smtp: the scan has no dialer")
	}
	if cfg.Timeout < 0 {
		return cfg, fmt.Errorf("smtp: timeout %s: must not be negative", cfg.Timeout)
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = env.Dialer.Limits().Timeout
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.HeloName == "" {
		cfg.HeloName = DefaultHeloName
	}
	if !isHostName(cfg.HeloName) && !isLiteral(cfg.HeloName) {
		return cfg, fmt.Errorf("smtp: HELO name %q: not a host name or address literal", cfg.HeloName)
	}
	if cfg.RelayTestTo != "" && !isMailbox(cfg.RelayTestTo) {
		return cfg, fmt.Errorf("smtp: relay test address %q: not a plain address local@domain", cfg.RelayTestTo)
	}
	if len(cfg.Domains) == 0 {
		cfg.Domains = env.Domains
	}
	var domains []string
	for _, dom := range cfg.Domains {
		dom = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(dom), "."))
		if !isHostName(dom) {
			return cfg, fmt.Errorf("smtp: domain %q: not a domain name", dom)
		}
		domains = append(domains, dom)
	}
	cfg.Domains = domains
	if cfg.random == nil {
		cfg.random = randomToken
	}
	return cfg, nil
}

// endpoints lists the SMTP services to probe, and those whose address is not in scope
// (when the scan knows its hosts).
func endpoints(env *checks.Env) (probe, skip []endpoint) {
	inScope := map[netip.Addr]bool{}
	for _, t := range env.Targets() {
		inScope[t.Addr] = true
	}
	for _, s := range env.Services {
		if s.Protocol != "smtp" {
			continue
		}
		ep := endpoint{host: s.Host, addr: s.Addr, port: s.Port, implicitTLS: s.TLS}
		if ep.host == "" {
			ep.host = s.Addr.String()
		}
		if len(env.Hosts) > 0 && !inScope[s.Addr] {
			skip = append(skip, ep)
			continue
		}
		probe = append(probe, ep)
	}
	return probe, skip
}

// ownDomain picks the site's domain that host belongs to, else the first one.
func ownDomain(domains []string, host string) string {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, d := range domains {
		if host == d || strings.HasSuffix(host, "."+d) {
			return d
		}
	}
	if len(domains) > 0 {
		return domains[0]
	}
	return ""
}

// isLiteral reports an address literal "[192.0.2.1]" or "[IPv6:…]".
func isLiteral(s string) bool {
	inner, ok := strings.CutPrefix(s, "[")
	if inner, ok = strings.CutSuffix(inner, "]"); !ok {
		return false
	}
	if v6, is6 := strings.CutPrefix(inner, "IPv6:"); is6 {
		a, err := netip.ParseAddr(v6)
		return err == nil && a.Is6()
	}
	a, err := netip.ParseAddr(inner)
	return err == nil && a.Is4()
}

// isMailbox reports a plain address: printable ASCII without spaces, quotes or brackets,
// one @, a non-empty local part and a host name.
func isMailbox(s string) bool {
	if len(s) > 254 || strings.ContainsAny(s, " \"<>()[],;:\\") {
		return false
	}
	for _, r := range s {
		if r <= ' ' || r > '~' {
			return false
		}
	}
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && len(local) <= 64 && isHostName(domain) && strings.Contains(domain, ".")
}

// randomToken returns 12 random hex digits.
func randomToken() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}
