package mail

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"ecscan/checks"
)

// Config configures the mail check.
type Config struct {
	// Timeout bounds one exchange (a greeting, a command and its answer, a TLS
	// handshake); 0 is the scan's Limits.Timeout.
	Timeout time.Duration
}

// exchanges bounds a whole endpoint's dialogue, in timeouts: more than any dialogue needs.
const exchanges = 10

// parallel bounds the endpoints examined at once (the dialer bounds connections too).
const parallel = 16

// New returns the mail check: for every POP3 and IMAP service of the service map it reads
// the greeting and the capabilities, upgrades to TLS where STLS/STARTTLS is offered, and
// judges whether a password can travel in clear. It never logs in.
func New(cfg Config) checks.Check { return &check{cfg: cfg} }

type check struct{ cfg Config }

// Name returns "mail".
func (c *check) Name() string { return "mail" }

// Run examines every POP3 and IMAP endpoint of env.Services and emits one Result per
// endpoint (Target "host:port"). It returns an error only for a bad configuration.
func (c *check) Run(ctx context.Context, env *checks.Env, emit func(checks.Result)) error {
	if c.cfg.Timeout < 0 {
		return fmt.Errorf("mail: timeout %s: must not be negative", c.cfg.Timeout)
	}
	if env.Dialer == nil {
		return errors.New("mail: the scan has no dialer")
	}
	timeout := c.cfg.Timeout
	if timeout == 0 {
		timeout = env.Dialer.Limits().Timeout
	}
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	now := env.Now
	if now == nil {
		now = time.Now
	}
	eps := Endpoints(env.Services)
	if env.Progress != nil {
		env.Progress.Add("mail", 0, len(eps))
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	sem := make(chan struct{}, parallel)
	for _, ep := range eps {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			res := probe(ctx, env.Dialer, ep, timeout, now)
			mu.Lock()
			emit(res)
			mu.Unlock()
			if env.Progress != nil {
				env.Progress.Add("mail", 1, 0)
			}
		})
	}
	wg.Wait()
	return nil
}

// Endpoint is one POP3 and IMAP service to examine, with the Result's Target.
type Endpoint = checks.Endpoint

// Endpoints picks the POP3 and IMAP services of a service map (checks.EndpointsOf).
func Endpoints(services []checks.Service) []Endpoint {
	return checks.EndpointsOf(services, "pop3", "imap")
}

// probe observes, evaluates and assembles one endpoint's Result.
func probe(ctx context.Context, d *checks.Dialer, ep Endpoint, timeout time.Duration, now func() time.Time) checks.Result {
	started := now()
	o := Observe(ctx, d, ep.Service, timeout)
	ended := now()
	return checks.Result{
		Target: ep.Target, Addr: ep.Addr.String(), Port: ep.Port,
		Status: o.Status, Error: o.Error, Started: started, Ended: ended,
		Findings: Evaluate(o, ended), Evidence: BuildEvidence(o, ended), Data: o,
	}
}

// Observe runs the dialogue with one POP3 or IMAP service. Every failure is recorded in the
// observation's Status and Error.
func Observe(ctx context.Context, d *checks.Dialer, svc checks.Service, timeout time.Duration) *Observation {
	o := &Observation{Host: svc.Host, Addr: svc.Addr, Port: svc.Port, Protocol: svc.Protocol, ImplicitTLS: svc.TLS}
	if o.Host == "" {
		o.Host = svc.Addr.String()
	}
	tr := newTranscript()
	err := observe(ctx, d, o, timeout, tr)
	identify(o)
	o.Status = checks.Classify(err)
	if ctx.Err() != nil {
		o.Status = checks.Classify(ctx.Err())
	}
	if err != nil {
		o.Error = err.Error()
	}
	o.Transcript = tr.Lines
	return o
}

func observe(ctx context.Context, d *checks.Dialer, o *Observation, timeout time.Duration, tr *transcript) error {
	ap := o.addrPort()
	wrap := func(err error) error { return fmt.Errorf("mail: %s %s: %w", o.Protocol, ap, err) }
	ctx, cancel := context.WithTimeout(ctx, exchanges*timeout)
	defer cancel()
	s, err := dial(ctx, d, ap, timeout, tr)
	if err != nil {
		return wrap(err)
	}
	defer s.close()
	if o.ImplicitTLS {
		cs, _, err := s.upgrade(o.Host)
		if err != nil {
			o.TLS = &TLSInfo{Error: err.Error()}
			return wrap(err)
		}
		o.TLS = &TLSInfo{Version: tlsVersion(cs), Cipher: tlsCipher(cs)}
	}
	switch o.Protocol {
	case "pop3":
		err = pop3(s, o)
	case "imap":
		err = imap(s, o)
	default:
		err = fmt.Errorf("protocol %q is not POP3 or IMAP", o.Protocol)
	}
	s.noteEnd(err)
	if err != nil {
		return wrap(err)
	}
	return nil
}
