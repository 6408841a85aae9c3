package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"sync"
	"time"

	"ecscan/checks"
	"ecscan/checks/web/wire"
	"ecscan/configs"
)

// Config configures the web check.
type Config struct {
	// HostRate bounds the requests per second to one address, nuclei's and the check's own
	// together; 0 is DefaultHostRate.
	HostRate float64
	// GlobalRate bounds nuclei's requests per second over all targets; 0 is HostRate times
	// the number of addresses.
	GlobalRate float64
	// Concurrency is how many templates nuclei runs at once; 0 is DefaultConcurrency.
	Concurrency int
	// Timeout bounds one request (nuclei rounds it up to whole seconds); 0 is the scan's
	// Limits.Timeout.
	Timeout time.Duration
	// Intrusive adds the intrusive templates (exploit proofs of sample CGIs) and the
	// PUT/DELETE test; Env.Intrusive turns them on too.
	Intrusive bool
	// AllowPrivate lets the check reach private and loopback addresses (the lab); without
	// it nuclei's restrictLocalNetworkAccess is on and the gateway refuses such addresses.
	AllowPrivate bool
	// Resolver (ip:port) is the only DNS server nuclei may ask: the scan's resolver. Empty:
	// the first nameserver of /etc/resolv.conf, as discovery does.
	Resolver string
	// Debug receives nuclei's own log lines and the check's debug lines (nil: discarded).
	Debug io.Writer
}

// Defaults.
const (
	DefaultHostRate    = 10
	DefaultConcurrency = 10
	// parallelSites bounds the targets the check's own requests examine at once.
	parallelSites = 4
)

// UserAgent is what the check's requests, and nuclei's, say they are.
const UserAgent = "Mozilla/5.0 (compatible; ecscan; security self-assessment)"

// New returns the web check (Name "web"): for every HTTP and HTTPS service of the service
// map, the check's own requests (soft-404 baseline, home page headers and cookies, password
// forms) and a nuclei run of ecscan's templates (directory listings, sample programs, HTTP
// methods, exposed files); with Intrusive, exploit proofs and a PUT/DELETE test.
func New(cfg Config) checks.Check { return &check{cfg: cfg} }

type check struct{ cfg Config }

// Name returns "web".
func (c *check) Name() string { return "web" }

// normalize checks the configuration and fills in its defaults.
func (cfg Config) normalize(d *checks.Dialer) (Config, error) {
	switch {
	case cfg.HostRate < 0, cfg.GlobalRate < 0:
		return cfg, fmt.Errorf("web: rates must not be negative (host %v, global %v)", cfg.HostRate, cfg.GlobalRate)
	case cfg.Concurrency < 0:
		return cfg, fmt.Errorf("web: concurrency %d: must not be negative", cfg.Concurrency)
	case cfg.Timeout < 0:
		return cfg, fmt.Errorf("web: timeout %s: must not be negative", cfg.Timeout)
	}
	if cfg.HostRate == 0 {
		cfg.HostRate = DefaultHostRate
	}
	if cfg.Concurrency == 0 {
		cfg.Concurrency = DefaultConcurrency
	}
	if cfg.Timeout == 0 && d != nil {
		cfg.Timeout = d.Limits().Timeout
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Resolver == "" {
		r, err := systemResolver("/etc/resolv.conf")
		if err != nil {
			return cfg, fmt.Errorf("web: no resolver given and none in /etc/resolv.conf: %w", err)
		}
		cfg.Resolver = r
	}
	if _, err := netip.ParseAddrPort(cfg.Resolver); err != nil {
		return cfg, fmt.Errorf("web: resolver %q: want ip:port: %w", cfg.Resolver, err)
	}
	if cfg.Debug == nil {
		cfg.Debug = io.Discard
	}
	cfg.Debug = &lockedWriter{w: cfg.Debug}
	return cfg, nil
}

// lockedWriter serialises the writes of nuclei's goroutines, the gateway's and the check's
// to the debug writer.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// Run examines every web target of env.Services and emits one Result per target (Target
// "scheme://host:port"). It returns an error only for a bad configuration.
func (c *check) Run(ctx context.Context, env *checks.Env, emit func(checks.Result)) error {
	if env.Dialer == nil {
		return errors.New("web: the scan has no dialer")
	}
	cfg, err := c.cfg.normalize(env.Dialer)
	if err != nil {
		return err
	}
	cfg.Intrusive = cfg.Intrusive || env.Intrusive
	now := env.Now
	if now == nil {
		now = time.Now
	}
	specs, err := loadTemplates(configs.FS, cfg.Intrusive)
	if err != nil {
		return err
	}
	var ts []target
	for _, t := range webTargets(env.Services) {
		if !allowedAddr(t.Addr, cfg.AllowPrivate) {
			emit(checks.Result{Target: t.Label(), Addr: t.Addr.String(), Port: t.Port, Status: checks.StatusSkipped,
				Error: "private address (see --allow-private)", Started: now(), Ended: now()})
			continue
		}
		ts = append(ts, t)
	}
	if len(ts) == 0 {
		return nil
	}
	if env.Progress != nil {
		env.Progress.Add("web", 0, len(ts))
	}
	s := &scan{cfg: cfg, env: env, targets: ts, specs: specs, now: now, obs: map[string]*Observation{}}
	s.run(ctx)
	for _, t := range ts {
		res := s.result(t)
		if ctx.Err() != nil {
			res.Status, res.Error = checks.Classify(ctx.Err()), "web: interrupted: "+ctx.Err().Error()
		}
		emit(res)
		if env.Progress != nil {
			env.Progress.Add("web", 1, 0)
		}
	}
	return nil
}

// scan is one run of the check over its targets.
type scan struct {
	cfg     Config
	env     *checks.Env
	targets []target
	specs   []templateSpec
	now     func() time.Time
	started time.Time

	mu  sync.Mutex
	obs map[string]*Observation // by target key
}

// run makes the check's own requests, then the nuclei run, then (intrusive) the PUT test.
func (s *scan) run(ctx context.Context) {
	s.started = s.now()
	lim := newHostLimiter(s.cfg.HostRate)
	slow := newBreaker(s.cfg.Timeout)
	rt := routes(s.targets)
	f := newFetcher(rt, s.env.Dialer.DialContext, lim, slow, s.cfg.Timeout, UserAgent)
	for _, t := range s.targets {
		s.obs[t.key()] = &Observation{Host: t.Host, Addr: t.Addr, Port: t.Port, TLS: t.TLS, URL: t.URL(), Intrusive: s.cfg.Intrusive}
	}
	s.eachTarget(func(t target) { f.observeSite(ctx, t, s.obs[t.key()], randomToken) })
	s.runTemplates(ctx, rt, lim, slow)
	if s.cfg.Intrusive {
		s.eachTarget(func(t target) { f.putTest(ctx, t, s.obs[t.key()], randomToken) })
	}
}

// eachTarget runs fn on every target, parallelSites at a time.
func (s *scan) eachTarget(fn func(target)) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, parallelSites)
	for _, t := range s.targets {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			fn(t)
		})
	}
	wg.Wait()
}

// runTemplates writes the templates to a private directory, starts the gateway and runs
// nuclei; its results are filed under their targets.
func (s *scan) runTemplates(ctx context.Context, rt map[string]netip.AddrPort, lim *hostLimiter, slow *breaker) {
	fail := func(err error) {
		for _, o := range s.obs {
			o.EngineError = err.Error()
		}
		fmt.Fprintf(s.cfg.Debug, "web: %v\n", err)
	}
	dir, err := writeTemplates(s.specs)
	if err != nil {
		fail(err)
		return
	}
	defer os.RemoveAll(dir)
	gw, err := startGateway(ctx, gatewayConfig{
		Routes: rt, Dial: s.env.Dialer.DialContext, Wait: lim.Wait, Slow: slow,
		Timeout: 3*s.cfg.Timeout + 5*time.Second, MaxDown: 2 * maxBody,
		Logf: func(format string, args ...any) { fmt.Fprintf(s.cfg.Debug, format+"\n", args...) },
	})
	if err != nil {
		fail(err)
		return
	}
	defer gw.Close()
	var urls []string
	for _, t := range s.targets {
		urls = append(urls, t.URL())
	}
	var ids []string
	for _, sp := range s.specs {
		ids = append(ids, sp.ID)
	}
	p := wire.Params{
		Dir: dir, Templates: ids, Targets: urls, Proxy: gw.URL(), Resolver: s.cfg.Resolver,
		Timeout: s.cfg.Timeout, Concurrency: s.cfg.Concurrency, Hosts: len(s.targets),
		Rate: s.globalRate(), Sandbox: !s.cfg.AllowPrivate, UserAgent: UserAgent,
	}
	err = runNuclei(ctx, p, s.cfg.Debug, s.collect)
	refused := gw.Refused()
	for _, o := range s.obs {
		o.TemplatesRun = err == nil
		o.Refused = refused
	}
	if err != nil {
		fail(err)
	}
}

// globalRate is nuclei's rate over all targets: GlobalRate, at most HostRate per address.
func (s *scan) globalRate() float64 {
	addrs := map[netip.Addr]bool{}
	for _, t := range s.targets {
		addrs[t.Addr] = true
	}
	r := s.cfg.HostRate * float64(len(addrs))
	if s.cfg.GlobalRate > 0 && s.cfg.GlobalRate < r {
		r = s.cfg.GlobalRate
	}
	return r
}

// collect files one nuclei event under its target.
func (s *scan) collect(ev wire.Event) {
	r := &TemplateResult{
		Template: ev.Template, Finding: ev.Finding, Severity: ev.Severity, Kind: ev.Kind,
		Matched: ev.Matched, Matcher: ev.Matcher, URL: ev.URL, Extracted: ev.Extracted,
		Request: ev.Request, Response: ev.Response, Error: ev.Error,
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.obs[ev.Key]
	if o == nil {
		fmt.Fprintf(s.cfg.Debug, "web: nuclei result for an unknown target %q (%s)\n", ev.Key, ev.Template)
		return
	}
	o.Templates = append(o.Templates, r)
}

// result builds the Result of a target from its observation.
func (s *scan) result(t target) checks.Result {
	o := s.obs[t.key()]
	ended := s.now()
	finishObservation(o, s.specs)
	res := checks.Result{
		Target: t.Label(), Addr: t.Addr.String(), Port: t.Port, Started: s.started, Ended: ended,
		Findings: Evaluate(o, ended), Evidence: BuildEvidence(o, ended), Data: o,
	}
	res.Status, res.Error = observationStatus(o)
	return res
}

// randomToken returns 12 random hex digits.
func randomToken() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
