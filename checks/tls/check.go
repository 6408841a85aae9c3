package tls

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"sync"
	"time"

	"ecscan/checks"
)

// Config configures the TLS check.
type Config struct {
	// CABundle is a PEM file of extra trusted roots (a private CA), added to the system's.
	CABundle string
	// ExpiryWarning: a certificate expiring sooner fails tls.cert.expiring (default 30 days).
	ExpiryWarning time.Duration
	// HostConnections bounds the connections open at once to one address (default 5).
	HostConnections int
	// Timeout bounds one exchange: a handshake, an upgrade dialogue, one engine probe, an
	// HTTP request (default: the dialer's Timeout, else 10 s).
	Timeout time.Duration
}

// New returns the TLS check, run in the second stage on the service map.
func New(cfg Config) checks.Check { return &check{cfg: cfg, engine: HelloEngine} }

type check struct {
	cfg    Config
	engine Engine
}

// Name returns "tls".
func (c *check) Name() string { return "tls" }

// settle fills in the defaults and rejects what cannot work.
func (c *check) settle(env *checks.Env) (Config, error) {
	cfg := c.cfg
	if cfg.ExpiryWarning < 0 || cfg.HostConnections < 0 || cfg.Timeout < 0 {
		return cfg, errors.New("tls: expiry warning, host connections and timeout must not be negative")
	}
	if cfg.ExpiryWarning == 0 {
		cfg.ExpiryWarning = 30 * 24 * time.Hour
	}
	if cfg.HostConnections == 0 {
		cfg.HostConnections = 5
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
		if env.Dialer != nil && env.Dialer.Limits().Timeout > 0 {
			cfg.Timeout = env.Dialer.Limits().Timeout
		}
	}
	return cfg, nil
}

// loadRoots is the system pool plus the bundle's certificates.
func loadRoots(bundle string) (*x509.CertPool, error) {
	roots, err := x509.SystemCertPool()
	if err != nil {
		roots = x509.NewCertPool()
	}
	if bundle == "" {
		return roots, nil
	}
	data, err := os.ReadFile(bundle)
	if err != nil {
		return nil, fmt.Errorf("tls: CA bundle: %w", err)
	}
	if !roots.AppendCertsFromPEM(data) {
		return nil, fmt.Errorf("tls: CA bundle %s: no PEM certificate in it", bundle)
	}
	return roots, nil
}

// Run observes every endpoint of the service map, all at once within the per-address
// connection limit, and emits one Result per endpoint as it finishes.
func (c *check) Run(ctx context.Context, env *checks.Env, emit func(checks.Result)) error {
	cfg, err := c.settle(env)
	if err != nil {
		return err
	}
	if env.Dialer == nil {
		return errors.New("tls: no dialer")
	}
	roots, err := loadRoots(cfg.CABundle)
	if err != nil {
		return err
	}
	if env.Now == nil {
		env.Now = time.Now
	}
	progress := env.Progress
	if progress == nil {
		progress = checks.NopProgress{}
	}
	targets := plan(env.Services)
	progress.Add("tls", 0, len(targets))
	o := &observer{env: env, engine: c.engine, roots: roots, slots: newSlots(cfg.HostConnections),
		timeout: cfg.Timeout, parallel: cfg.HostConnections}
	policy := Policy{ExpiryWarning: cfg.ExpiryWarning}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, t := range targets {
		wg.Go(func() {
			res := endpointResult(ctx, o, t, policy)
			mu.Lock()
			defer mu.Unlock()
			emit(res)
			progress.Add("tls", 1, 0)
		})
	}
	wg.Wait()
	return nil
}

// endpointResult observes one endpoint and evaluates what it saw.
func endpointResult(ctx context.Context, o *observer, t *target, p Policy) checks.Result {
	started := o.env.Now()
	obs := o.observe(ctx, t)
	now := o.env.Now()
	g := ComputeGrade(gradeInputOf(obs, now))
	return checks.Result{
		Target: net.JoinHostPort(obs.Host, strconv.Itoa(obs.Port)), Addr: obs.Addr.String(), Port: obs.Port,
		Status: obs.Status, Error: obs.Error, Started: started, Ended: now,
		Findings: Evaluate(obs, now, p), Evidence: BuildEvidence(obs, g, now),
		Data: &Data{Observation: obs, Grade: g},
	}
}
