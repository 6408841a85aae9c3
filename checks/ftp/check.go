package ftp

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"ecscan/checks"
)

// Config configures the FTP check.
type Config struct {
	// Timeout bounds one exchange (a reply, a handshake, a data transfer); 0 is the
	// scan's Limits.Timeout.
	Timeout time.Duration
	// Intrusive (--intrusive) adds the write test and the bounce test; Env.Intrusive
	// turns them on too.
	Intrusive bool
	// PassiveSamples is how many passive-mode replies are gathered after an anonymous
	// login; 0 is 3.
	PassiveSamples int
}

// DefaultPassiveSamples is the passive-mode replies gathered unless configured.
const DefaultPassiveSamples = 3

// maxPassiveSamples bounds Config.PassiveSamples.
const maxPassiveSamples = 50

// parallel bounds the endpoints examined at once (the dialer bounds connections too).
const parallel = 8

// New returns the FTP check: for every FTP service of the service map it reads the banner
// and features, tries an anonymous login and looks around when it works, samples the
// passive-mode ports, and tries AUTH TLS; with Intrusive, it also tries to write a file
// and to bounce a data connection.
func New(cfg Config) checks.Check { return &check{cfg: cfg} }

type check struct{ cfg Config }

// Name returns "ftp".
func (c *check) Name() string { return "ftp" }

// normalize checks the configuration and fills in its defaults.
func (cfg Config) normalize(d *checks.Dialer) (Config, error) {
	switch {
	case cfg.Timeout < 0:
		return cfg, fmt.Errorf("ftp: timeout %s: must not be negative", cfg.Timeout)
	case cfg.PassiveSamples < 0 || cfg.PassiveSamples > maxPassiveSamples:
		return cfg, fmt.Errorf("ftp: passive samples %d: must be 0-%d", cfg.PassiveSamples, maxPassiveSamples)
	}
	if cfg.Timeout == 0 && d != nil {
		cfg.Timeout = d.Limits().Timeout
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.PassiveSamples == 0 {
		cfg.PassiveSamples = DefaultPassiveSamples
	}
	return cfg, nil
}

// Run examines every FTP endpoint of env.Services and emits one Result per endpoint
// (Target "host:port"). It returns an error only for a bad configuration.
func (c *check) Run(ctx context.Context, env *checks.Env, emit func(checks.Result)) error {
	if env.Dialer == nil {
		return errors.New("ftp: the scan has no dialer")
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
	eps := Endpoints(env.Services)
	if env.Progress != nil {
		env.Progress.Add("ftp", 0, len(eps))
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	sem := make(chan struct{}, parallel)
	for _, ep := range eps {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			started := now()
			o := Observe(ctx, env.Dialer, ep.Service, cfg, now)
			ended := now()
			res := checks.Result{
				Target: ep.Target, Addr: ep.Addr.String(), Port: ep.Port,
				Status: o.Status, Error: o.Error, Started: started, Ended: ended,
				Findings: Evaluate(o, ended), Evidence: BuildEvidence(o, ended), Data: o,
			}
			mu.Lock()
			emit(res)
			mu.Unlock()
			if env.Progress != nil {
				env.Progress.Add("ftp", 1, 0)
			}
		})
	}
	wg.Wait()
	return nil
}

// Endpoint is one FTP service to examine, with the Result's Target.
type Endpoint = checks.Endpoint

// Endpoints picks the FTP services of a service map (checks.EndpointsOf).
func Endpoints(services []checks.Service) []Endpoint {
	return checks.EndpointsOf(services, "ftp")
}

// Observe runs the dialogues with one FTP service: the main one, then (on a cleartext
// endpoint that greeted) AUTH TLS on a second connection and, when TLS works, the USER
// probe on a third. Every failure is recorded in the observation.
func Observe(ctx context.Context, d *checks.Dialer, svc checks.Service, cfg Config, now func() time.Time) *Observation {
	o := &Observation{Host: svc.Host, Addr: svc.Addr, Port: svc.Port, ImplicitTLS: svc.TLS}
	if o.Host == "" {
		o.Host = svc.Addr.String()
	}
	cfg, err := cfg.normalize(d)
	if err != nil {
		o.Status, o.Error = checks.StatusError, err.Error()
		return o
	}
	bctx, cancel := context.WithTimeout(ctx, time.Duration(40+cfg.PassiveSamples)*cfg.Timeout)
	defer cancel()
	p := &prober{ctx: bctx, dialer: d, o: o, cfg: cfg, timeout: cfg.Timeout, now: now,
		tls: clientTLS(o.Host), mainTr: newTranscript(), tlsTr: newTranscript()}
	if err := p.main(); err != nil {
		o.Error = fmt.Sprintf("ftp: %s: %v", o.addrPort(), err)
		o.Status = checks.Classify(err)
	} else {
		o.Status = checks.StatusOK
	}
	if !o.ImplicitTLS && o.Greeted && bctx.Err() == nil {
		p.authTLS()
		if o.AuthTLS.Upgraded() && bctx.Err() == nil {
			p.tlsRequired()
		}
	}
	if ctx.Err() != nil {
		o.Status = checks.Classify(ctx.Err())
	}
	identify(o)
	o.Transcript, o.TLSTranscript = p.mainTr.Lines, p.tlsTr.Lines
	return o
}
