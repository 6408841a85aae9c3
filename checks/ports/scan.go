package ports

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"ecscan/checks"
)

// portState is what the connect scan learned of one port. The states of a target are kept
// as one byte per requested port.
type portState uint8

const (
	stateUnscanned   portState = iota // not tried (interrupted)
	stateOpen                         // connected
	stateClosed                       // refused
	stateFiltered                     // timed out after the retries
	stateUnreachable                  // host or network unreachable (counted as filtered)
	stateError                        // resources exhausted for too long
)

// Backoff for resource exhaustion (EMFILE, ENFILE, ephemeral ports): the first wait, the
// longest wait, and how long one port keeps trying before it is given up as an error.
var (
	backoffFirst = 5 * time.Millisecond
	backoffMax   = time.Second
	backoffTotal = 2 * time.Minute
)

// backoffs counts the waits for exhausted resources, for the tests' logs.
var backoffs atomic.Int64

// hostScan is the connect scan of one target: the state of every requested port, written by
// the workers at distinct indices.
type hostScan struct {
	target    checks.Target
	states    []portState
	remaining atomic.Int64 // ports not yet finished
	finish    sync.Once
}

// scanner runs the connect scan of every target over one port list with one pool of
// workers. Jobs interleave the targets (job j is port j/T of target j%T), so per-address
// limits do not stall the pool on one host.
type scanner struct {
	dialer  *checks.Dialer
	retries int
	ports   []uint16
	hosts   []*hostScan
	next    atomic.Int64 // next job
	done    atomic.Int64 // finished jobs, for progress
	// onOpen receives each open port's connection; it owns it from then on.
	onOpen func(h *hostScan, i int, c net.Conn)
	// onHostDone is called once per host when its last port is finished.
	onHostDone func(h *hostScan)
	fatal      atomic.Pointer[error]
	// connect, when set (tests), replaces connectTCP.
	connect func(ctx context.Context, ap netip.AddrPort) (net.Conn, error)
}

func newHostScan(t checks.Target, nports int) *hostScan {
	h := &hostScan{target: t, states: make([]portState, nports)}
	h.remaining.Store(int64(nports))
	return h
}

// The pool starts with startWorkers and doubles, up to workers(), whenever at least half of
// its workers have been waiting on one connection for more than slowDial: more workers only
// help while connections wait on the network (latency, timeouts). Where connections are
// answered at once (loopback, a LAN), a small pool does more with less contention.
var (
	startWorkers = 32
	slowDial     = 5 * time.Millisecond
	growEvery    = 20 * time.Millisecond
)

// workers returns the largest pool: the dialer's global concurrency, no more than the
// hosts' per-address concurrency together, no more than the jobs.
func (s *scanner) workers() int {
	l := s.dialer.Limits()
	n := min(max(l.Concurrency, 1), len(s.hosts)*max(l.HostConcurrency, 1))
	return max(1, min(n, len(s.hosts)*len(s.ports)))
}

// run scans until every job is done or ctx is canceled.
func (s *scanner) run(ctx context.Context) {
	total := int64(len(s.hosts) * len(s.ports))
	most := s.workers()
	// busy[i] is when worker i began its current connection (unix ns), 0 when idle.
	busy := make([]atomic.Int64, most)
	// taken is closed when the last job has been handed out: the pool has no more use for
	// growing, and the controller ends at once rather than at its next tick.
	taken := make(chan struct{})
	var once sync.Once
	lastTaken := func() { once.Do(func() { close(taken) }) }
	var wg sync.WaitGroup
	spawn := func(i int) { wg.Go(func() { s.work(ctx, total, &busy[i], lastTaken) }) }
	n := min(most, startWorkers)
	for i := range n {
		spawn(i)
	}
	wg.Go(func() { // the controller, counted so that its spawns precede wg.Wait's end
		t := time.NewTicker(growEvery)
		defer t.Stop()
		for n < most {
			select {
			case <-t.C:
			case <-taken:
				return
			case <-ctx.Done():
				return
			}
			now, slow := time.Now().UnixNano(), 0
			for i := range n {
				if st := busy[i].Load(); st != 0 && now-st > int64(slowDial) {
					slow++
				}
			}
			grown := grow(n, most, slow)
			for i := n; i < grown; i++ {
				spawn(i)
			}
			n = grown
		}
	})
	wg.Wait()
}

// grow returns the pool size after a look at its n workers, slow of them waiting on the
// network: doubled (up to most) when at least half are.
func grow(n, most, slow int) int {
	if 2*slow >= n {
		return min(most, 2*n)
	}
	return n
}

// work runs jobs until there are none left or ctx ends; lastTaken is called once the last
// job has been handed out.
func (s *scanner) work(ctx context.Context, total int64, busy *atomic.Int64, lastTaken func()) {
	for ctx.Err() == nil {
		j := s.next.Add(1) - 1
		if j >= total-1 {
			lastTaken()
		}
		if j >= total {
			return
		}
		busy.Store(time.Now().UnixNano())
		s.job(ctx, int(j), busy)
		busy.Store(0)
	}
}

func (s *scanner) job(ctx context.Context, j int, busy *atomic.Int64) {
	h := s.hosts[j%len(s.hosts)]
	i := j / len(s.hosts)
	st := s.probe(ctx, h, i, busy)
	if st == stateUnscanned {
		return // interrupted: the host is finished by the caller
	}
	h.states[i] = st
	s.done.Add(1)
	if h.remaining.Add(-1) == 0 && s.onHostDone != nil {
		s.onHostDone(h)
	}
}

// probe connects to one port until it has an answer: open, closed, filtered after the
// retries, or unscanned when ctx ends. Resource exhaustion is waited out, never taken for
// an answer.
func (s *scanner) probe(ctx context.Context, h *hostScan, i int, busy *atomic.Int64) portState {
	ap := netip.AddrPortFrom(h.target.Addr, s.ports[i])
	timeouts := 0
	var waited time.Duration
	wait := backoffFirst
	self := 0
	for {
		c, err := s.dial(ctx, ap)
		if err == nil && selfConnected(c) {
			c.Close()
			if self++; self < maxSelfConnects {
				continue
			}
			return stateClosed
		}
		if err == nil {
			s.onOpen(h, i, c)
			return stateOpen
		}
		if ctx.Err() != nil {
			return stateUnscanned
		}
		switch dialOutcome(err) {
		case stateClosed:
			return stateClosed
		case stateUnreachable:
			return stateUnreachable
		case stateUnscanned:
			return stateUnscanned
		case stateError:
			if fatal := badSource(err); fatal != nil {
				s.fatal.CompareAndSwap(nil, &fatal)
				return stateUnscanned
			}
			if waited >= backoffTotal {
				return stateError
			}
			backoffs.Add(1)
			busy.Store(0) // waiting out exhaustion is no reason to grow the pool
			if !sleep(ctx, wait) {
				return stateUnscanned
			}
			busy.Store(time.Now().UnixNano())
			waited += wait
			wait = min(2*wait, backoffMax)
		default: // timeout, or an answer that is no answer: try again
			timeouts++
			if timeouts > s.retries {
				return stateFiltered
			}
		}
	}
}

// maxSelfConnects bounds the connects of one port that end connected to themselves.
const maxSelfConnects = 3

// dial connects to ap with connectTCP (or s.connect in tests).
func (s *scanner) dial(ctx context.Context, ap netip.AddrPort) (net.Conn, error) {
	if s.connect != nil {
		return s.connect(ctx, ap)
	}
	return connectTCP(ctx, s.dialer, ap)
}

// selfConnected recognises a socket connected to itself. On loopback the kernel may give a
// connect to a port nothing listens on that very address and port as its source (a
// listener's port is never given out), and the SYN then meets itself: a simultaneous open
// that connects the socket to itself, with no server behind it. The scan connects again,
// from another port, as net.Dialer does (golang.org/issue/2690); a port that keeps doing so
// is closed, since nothing listens on it.
func selfConnected(c net.Conn) bool {
	l, lok := c.LocalAddr().(*net.TCPAddr)
	r, rok := c.RemoteAddr().(*net.TCPAddr)
	return lok && rok && l.AddrPort() == r.AddrPort()
}

// dialOutcome classifies a failed connection: stateClosed (refused), stateUnreachable,
// stateUnscanned (canceled), stateError (local resources exhausted: back off and retry) or
// stateFiltered (timeout and anything else).
func dialOutcome(err error) portState {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		switch errno {
		case syscall.ECONNREFUSED:
			return stateClosed
		case syscall.EHOSTUNREACH, syscall.ENETUNREACH:
			return stateUnreachable
		case syscall.EMFILE, syscall.ENFILE, syscall.ENOBUFS, syscall.ENOMEM,
			syscall.EADDRNOTAVAIL, syscall.EADDRINUSE, syscall.EAGAIN:
			return stateError
		}
	}
	switch checks.Classify(err) {
	case checks.StatusRefused:
		return stateClosed
	case checks.StatusUnreachable:
		return stateUnreachable
	case checks.StatusCanceled:
		return stateUnscanned
	}
	return stateFiltered
}

// badSource recognises a source address that is not on this machine (bind fails with
// EADDRNOTAVAIL): no connection can ever be made, so the scan cannot run.
func badSource(err error) error {
	var se *os.SyscallError
	if errors.As(err, &se) && se.Syscall == "bind" && errors.Is(se.Err, syscall.EADDRNOTAVAIL) {
		return fmt.Errorf("ports: the source address is not an address of this machine: %w", err)
	}
	return nil
}

// sleep waits d or until ctx ends; it reports whether the full wait passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// reportProgress forwards the scan's progress every interval until stop is closed, and a
// last time then.
func (s *scanner) reportProgress(p checks.Progress, interval time.Duration, stop <-chan struct{}) {
	var sent int64
	flush := func() {
		n := s.done.Load()
		if n > sent {
			p.Add("ports", int(n-sent), 0)
			sent = n
		}
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			flush()
		case <-stop:
			flush()
			return
		}
	}
}

// portsOf returns the target's requested ports in a state.
func (s *scanner) portsOf(h *hostScan, states ...portState) []int {
	var out []int
	for i, st := range h.states {
		for _, want := range states {
			if st == want {
				out = append(out, int(s.ports[i]))
			}
		}
	}
	return out
}

// spec returns the requested ports in ParsePorts form.
func (s *scanner) spec() string {
	ps := make([]int, len(s.ports))
	for i, p := range s.ports {
		ps[i] = int(p)
	}
	return FormatPorts(ps)
}
