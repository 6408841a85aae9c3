package checks

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"sort"
	"sync"
	"time"
)

// Check is one kind of probe (ports, dns, tls, …). Run examines what env describes and emits
// a Result per target as it finishes. It returns an error only when it could not run at all
// (bad configuration); refused connections, timeouts and protocol errors are recorded in the
// results' Status, and the scan goes on.
type Check interface {
	Name() string
	Run(ctx context.Context, env *Env, emit func(Result)) error
}

// Env is what a check sees of the scan.
type Env struct {
	// Domains are the domains named by the operator.
	Domains []string
	// Hosts are every host found, in scope or not.
	Hosts []Host
	// Services is the service map: empty during the first stage, then what it found.
	Services []Service
	// Dialer opens every connection, within the scan's limits.
	Dialer *Dialer
	// Now is the scan's clock.
	Now func() time.Time
	// Log receives debug and progress lines.
	Log *slog.Logger
	// Progress receives counters for the progress display.
	Progress Progress
	// Intrusive allows probes that write to the target (and clean up after themselves).
	Intrusive bool
}

// Targets returns every address of every in-scope host, one Target per address.
func (e *Env) Targets() []Target {
	var out []Target
	seen := map[Target]bool{}
	for _, h := range e.Hosts {
		if !h.InScope {
			continue
		}
		for _, a := range h.Addrs {
			t := Target{Host: h.Name, Addr: a}
			if t.Host == "" {
				t.Host = a.String()
			}
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	return out
}

// ServicesOn returns the services of the map on one address.
func (e *Env) ServicesOn(a netip.Addr) []Service {
	var out []Service
	for _, s := range e.Services {
		if s.Addr == a {
			out = append(out, s)
		}
	}
	return out
}

// Progress receives what the runner and the checks have done so far.
type Progress interface {
	// CheckStarted and CheckDone bracket one check's run.
	CheckStarted(name string)
	CheckDone(name string, err error)
	// Add counts units of work of a kind ("ports", "targets"): done more finished, total
	// more expected.
	Add(kind string, done, total int)
}

// NopProgress discards progress.
type NopProgress struct{}

// CheckStarted does nothing.
func (NopProgress) CheckStarted(string) {}

// CheckDone does nothing.
func (NopProgress) CheckDone(string, error) {}

// Add does nothing.
func (NopProgress) Add(string, int, int) {}

// Run is the outcome of running every stage: the results in a stable order, and whether
// the run was interrupted.
type Run struct {
	Results     []Result
	Services    []Service
	Started     time.Time
	Ended       time.Time
	Interrupted bool
	// Errors are the checks that could not run at all.
	Errors map[string]string
}

// Runner runs the checks stage by stage: the checks of one stage run concurrently, and the
// services found by a stage feed the next (ports → tls, mail, web).
type Runner struct {
	Stages [][]Check
}

// Run runs every stage. When ctx is canceled it stops and returns what was gathered.
func (r *Runner) Run(ctx context.Context, env *Env) *Run {
	if env.Progress == nil {
		env.Progress = NopProgress{}
	}
	if env.Log == nil {
		env.Log = slog.New(slog.DiscardHandler)
	}
	run := &Run{Started: env.Now(), Errors: map[string]string{}}
	var mu sync.Mutex
	for _, stage := range r.Stages {
		if ctx.Err() != nil {
			break
		}
		var wg sync.WaitGroup
		for _, c := range stage {
			wg.Add(1)
			go func(c Check) {
				defer wg.Done()
				defer func() {
					if p := recover(); p != nil {
						mu.Lock()
						run.Errors[c.Name()] = fmt.Sprintf("internal error: %v", p)
						mu.Unlock()
						env.Log.Error("check panicked", "check", c.Name(), "panic", p)
					}
				}()
				env.Progress.CheckStarted(c.Name())
				n := 0
				err := c.Run(ctx, env, func(res Result) {
					mu.Lock()
					defer mu.Unlock()
					n++
					run.Results = append(run.Results, normalize(c.Name(), res, n))
				})
				if err != nil {
					mu.Lock()
					run.Errors[c.Name()] = err.Error()
					mu.Unlock()
				}
				env.Progress.CheckDone(c.Name(), err)
			}(c)
		}
		wg.Wait()
		env.Services = collectServices(run.Results)
	}
	run.Services = env.Services
	run.Interrupted = ctx.Err() != nil
	run.Ended = env.Now()
	sortResults(run.Results)
	return run
}

// normalize fills in the check's name and gives evidence items IDs unique in the run:
// "<check>:<target>:<local id>", rewriting the findings' references.
func normalize(check string, res Result, n int) Result {
	res.Check = check
	rename := map[string]string{}
	for i := range res.Evidence {
		local := res.Evidence[i].ID
		if local == "" {
			local = fmt.Sprintf("e%d", i+1)
		}
		id := fmt.Sprintf("%s:%s:%s", check, res.Target, local)
		if res.Target == "" {
			id = fmt.Sprintf("%s:%d:%s", check, n, local)
		}
		rename[local] = id
		res.Evidence[i].ID = id
		if res.Evidence[i].Target == "" {
			res.Evidence[i].Target = res.Target
		}
	}
	for i := range res.Findings {
		f := &res.Findings[i]
		if f.Check == "" {
			f.Check = check
		}
		for j, ref := range f.Evidence {
			if id, ok := rename[ref]; ok {
				f.Evidence[j] = id
			}
		}
	}
	return res
}

// collectServices builds the service map from the results. An address that several host
// names share (ecshop.test and www.ecshop.test) gives one service per port, under the first
// of its names in order, so that the map does not depend on which check finished first.
func collectServices(results []Result) []Service {
	byAP := map[netip.AddrPort]Service{}
	for _, r := range results {
		for _, s := range r.Services {
			if old, ok := byAP[s.AddrPort()]; !ok || s.Host < old.Host {
				byAP[s.AddrPort()] = s
			}
		}
	}
	out := make([]Service, 0, len(byAP))
	for _, s := range byAP {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Addr != out[j].Addr {
			return out[i].Addr.Less(out[j].Addr)
		}
		return out[i].Port < out[j].Port
	})
	return out
}

func sortResults(rs []Result) {
	sort.SliceStable(rs, func(i, j int) bool {
		a, b := rs[i], rs[j]
		if a.Check != b.Check {
			return a.Check < b.Check
		}
		if a.Target != b.Target {
			return a.Target < b.Target
		}
		return a.Port < b.Port
	})
}
