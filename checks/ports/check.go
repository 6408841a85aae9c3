package ports

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"sync"
	"time"

	"ecscan/checks"
)

// Config configures the ports check.
type Config struct {
	Ports          []int         // the ports to scan (already resolved from flags)
	Retries        int           // extra tries before a port that timed out is called filtered
	ServiceTimeout time.Duration // per service-identification exchange (0: 5s)
	SSH            bool          // SSH algorithm and auth-method probes
}

// DefaultConfig returns the defaults: DefaultPorts, 1 retry, 5 s per exchange, SSH probes on.
func DefaultConfig() Config {
	return Config{Ports: DefaultPorts(), Retries: 1, ServiceTimeout: 5 * time.Second, SSH: true}
}

// maxIdentify bounds the open ports identified per address: past it (a host that accepts
// every port), the rest are listed as open and unknown without probes.
var maxIdentify = 512

// New returns the ports check.
func New(cfg Config) checks.Check { return &check{cfg: cfg} }

type check struct{ cfg Config }

// Name returns "ports".
func (c *check) Name() string { return "ports" }

func (c *check) ports() ([]uint16, error) {
	if len(c.cfg.Ports) == 0 {
		return nil, errors.New("ports: no ports to scan")
	}
	ps := slices.Clone(c.cfg.Ports)
	slices.Sort(ps)
	ps = slices.Compact(ps)
	out := make([]uint16, len(ps))
	for i, p := range ps {
		if p < 1 || p > 65535 {
			return nil, fmt.Errorf("ports: port %d: out of range 1-65535", p)
		}
		out[i] = uint16(p)
	}
	return out, nil
}

// Run scans every target address, identifies the services on its open ports, and emits one
// Result per address as soon as that address is done.
func (c *check) Run(ctx context.Context, env *checks.Env, emit func(checks.Result)) error {
	ports, err := c.ports()
	if err != nil {
		return err
	}
	if c.cfg.Retries < 0 {
		return fmt.Errorf("ports: retries %d: must not be negative", c.cfg.Retries)
	}
	if env.Dialer == nil {
		return errors.New("ports: no dialer")
	}
	if env.Now == nil {
		env.Now = time.Now
	}
	targets := env.Targets()
	if len(targets) == 0 {
		return nil
	}
	r := c.newRun(env, ports, targets, emit)
	return r.run(ctx)
}

// run is one execution of the check.
type run struct {
	cfg     Config
	env     *checks.Env
	scan    *scanner
	id      *identifier
	started time.Time
	hosts   map[*hostScan]*hostResult

	emitMu    sync.Mutex
	emit      func(checks.Result)
	finishing sync.WaitGroup
	ctx       context.Context
}

// hostResult gathers one address's identified ports while its scan goes on.
type hostResult struct {
	mu      sync.Mutex
	found   []PortObservation
	pending sync.WaitGroup
	count   int
}

func (c *check) newRun(env *checks.Env, ports []uint16, targets []checks.Target, emit func(checks.Result)) *run {
	timeout := c.cfg.ServiceTimeout
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	r := &run{cfg: c.cfg, env: env, emit: emit, started: env.Now(), hosts: map[*hostScan]*hostResult{}}
	r.scan = &scanner{dialer: env.Dialer, retries: c.cfg.Retries, ports: ports}
	for _, t := range targets {
		h := newHostScan(t, len(ports))
		r.scan.hosts = append(r.scan.hosts, h)
		r.hosts[h] = &hostResult{}
	}
	r.id = &identifier{dialer: env.Dialer, timeout: timeout, ssh: c.cfg.SSH}
	r.scan.onOpen = r.onOpen
	r.scan.onHostDone = func(h *hostScan) {
		r.finishing.Add(1)
		go func() { defer r.finishing.Done(); r.finish(h) }()
	}
	return r
}

func (r *run) run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r.ctx = ctx
	progress := r.env.Progress
	if progress == nil {
		progress = checks.NopProgress{}
	}
	progress.Add("ports", 0, len(r.scan.hosts)*len(r.scan.ports))
	stop := make(chan struct{})
	reported := make(chan struct{})
	go func() { r.scan.reportProgress(progress, 200*time.Millisecond, stop); close(reported) }()
	r.scan.run(ctx)
	close(stop)
	<-reported
	if fatal := r.scan.fatal.Load(); fatal != nil {
		cancel()
		for _, hr := range r.hosts {
			hr.pending.Wait()
		}
		r.finishing.Wait()
		return *fatal
	}
	for _, h := range r.scan.hosts {
		r.finish(h) // hosts the interruption left unfinished; a no-op for the others
	}
	r.finishing.Wait()
	return nil
}

// onOpen hands an open port's connection to identification.
func (r *run) onOpen(h *hostScan, i int, conn net.Conn) {
	hr := r.hosts[h]
	port := int(r.scan.ports[i])
	hr.mu.Lock()
	n := hr.count
	hr.count++
	hr.mu.Unlock()
	if n >= maxIdentify || r.ctx.Err() != nil {
		conn.Close()
		po := PortObservation{Port: port, Service: checks.Service{Host: h.target.Host, Addr: h.target.Addr, Port: port, Protocol: "unknown"},
			Status: checks.StatusSkipped, Error: fmt.Sprintf("not identified: more than %d open ports on this address", maxIdentify)}
		if r.ctx.Err() != nil {
			po.Status, po.Error = checks.StatusCanceled, "not identified: scan interrupted"
		}
		hr.add(po)
		return
	}
	hr.pending.Add(1)
	go func() {
		defer hr.pending.Done()
		hr.add(r.id.identify(r.ctx, h.target, port, conn))
	}()
}

func (hr *hostResult) add(po PortObservation) {
	hr.mu.Lock()
	hr.found = append(hr.found, po)
	hr.mu.Unlock()
}

// finish waits for an address's identifications, evaluates and emits its Result, once.
func (r *run) finish(h *hostScan) {
	h.finish.Do(func() {
		hr := r.hosts[h]
		hr.pending.Wait()
		obs := r.observation(h, hr)
		now := r.env.Now()
		res := checks.Result{
			Target: h.target.Host, Addr: h.target.Addr.String(),
			Status: checks.StatusOK, Started: r.started, Ended: now,
			Findings: Evaluate(obs, now), Evidence: BuildEvidence(obs, now), Data: obs,
		}
		switch {
		case obs.Interrupted:
			res.Status, res.Error = checks.StatusCanceled, "scan interrupted"
		case obs.Open == 0 && obs.Closed == 0 && obs.Unreachable > 0 && obs.Unreachable == obs.Filtered:
			res.Status, res.Error = checks.StatusUnreachable, "every port answered unreachable"
		}
		for _, po := range obs.Ports {
			res.Services = append(res.Services, po.Service)
		}
		r.emitMu.Lock()
		defer r.emitMu.Unlock()
		r.emit(res)
	})
}

// observation builds an address's Observation from its port states and identifications.
func (r *run) observation(h *hostScan, hr *hostResult) *Observation {
	obs := &Observation{Host: h.target.Host, Addr: h.target.Addr, Requested: len(h.states)}
	obs.PortSpec = r.scan.spec()
	for _, st := range h.states {
		switch st {
		case stateOpen:
			obs.Open++
		case stateClosed:
			obs.Closed++
		case stateFiltered:
			obs.Filtered++
		case stateUnreachable:
			obs.Filtered++
			obs.Unreachable++
		case stateError:
			obs.Errors++
		case stateUnscanned:
			obs.Unscanned++
		}
	}
	obs.Interrupted = obs.Unscanned > 0 || r.ctx.Err() != nil
	obs.FilteredPorts = FormatPorts(r.scan.portsOf(h, stateFiltered, stateUnreachable))
	hr.mu.Lock()
	obs.Ports = slices.Clone(hr.found)
	hr.mu.Unlock()
	slices.SortFunc(obs.Ports, func(a, b PortObservation) int { return a.Port - b.Port })
	return obs
}
