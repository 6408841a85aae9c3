package web

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"ecscan/checks"
)

// target is one web endpoint of the service map: the host name that goes into the Host
// header and the SNI, the address the service map found it on, the port, and TLS.
type target struct {
	Host string
	Addr netip.Addr
	Port int
	TLS  bool
}

// Scheme returns "https" or "http".
func (t target) Scheme() string {
	if t.TLS {
		return "https"
	}
	return "http"
}

// hostPort returns "host:port" with the host name (brackets for an IPv6 literal).
func (t target) hostPort() string { return net.JoinHostPort(t.Host, strconv.Itoa(t.Port)) }

// URL returns the root URL given to nuclei: the default port is left out, so that the Host
// header is the bare name.
func (t target) URL() string {
	if (t.TLS && t.Port == 443) || (!t.TLS && t.Port == 80) {
		host := t.Host
		if strings.Contains(host, ":") {
			host = "[" + host + "]"
		}
		return t.Scheme() + "://" + host
	}
	return t.Scheme() + "://" + t.hostPort()
}

// key identifies the target: "https://host:port", lower case.
func (t target) key() string { return strings.ToLower(t.Scheme() + "://" + t.hostPort()) }

// Label names the target in results: "https://www.example.jp:443".
func (t target) Label() string { return t.Scheme() + "://" + t.hostPort() }

// webTargets returns one target per HTTP service of the map, in a stable order. Services
// of the same host, port and scheme on several addresses are scanned once, on the first
// address (nuclei follows names, not addresses).
func webTargets(services []checks.Service) []target {
	var out []target
	seen := map[string]bool{}
	sorted := append([]checks.Service(nil), services...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].Addr != sorted[j].Addr {
			return sorted[i].Addr.Less(sorted[j].Addr)
		}
		return sorted[i].Port < sorted[j].Port
	})
	for _, s := range sorted {
		if s.Protocol != "http" || !s.Addr.IsValid() || s.Port <= 0 || s.Port > 65535 {
			continue
		}
		host := strings.TrimSuffix(strings.ToLower(s.Host), ".")
		if host == "" {
			host = s.Addr.Unmap().String()
		}
		t := target{Host: host, Addr: s.Addr.Unmap(), Port: s.Port, TLS: s.TLS}
		if !seen[t.key()] {
			seen[t.key()] = true
			out = append(out, t)
		}
	}
	return out
}

// routes returns the gateway's map: "host:port" and "addr:port" of every target → the
// address to connect to.
func routes(ts []target) map[string]netip.AddrPort {
	m := map[string]netip.AddrPort{}
	for _, t := range ts {
		ap := netip.AddrPortFrom(t.Addr, uint16(t.Port))
		m[strings.ToLower(t.hostPort())] = ap
		m[ap.String()] = ap
	}
	return m
}

// allowedAddr says whether the check may connect to a: any address when the operator allows
// private targets, otherwise only global unicast addresses that are not private (the
// equivalent of nuclei's restrictLocalNetworkAccess).
func allowedAddr(a netip.Addr, allowPrivate bool) bool {
	if allowPrivate {
		return true
	}
	a = a.Unmap()
	return a.IsGlobalUnicast() && !a.IsPrivate()
}

// hostLimiter waits for the per-address request rate.
type hostLimiter struct {
	perSecond float64
	mu        sync.Mutex
	lims      map[netip.Addr]*rate.Limiter
}

func newHostLimiter(perSecond float64) *hostLimiter {
	return &hostLimiter{perSecond: perSecond, lims: map[netip.Addr]*rate.Limiter{}}
}

// Wait blocks until a may get another request.
func (h *hostLimiter) Wait(ctx context.Context, a netip.Addr) error {
	if h == nil || h.perSecond <= 0 {
		return nil
	}
	h.mu.Lock()
	l := h.lims[a]
	if l == nil {
		l = rate.NewLimiter(rate.Limit(h.perSecond), 1)
		h.lims[a] = l
	}
	h.mu.Unlock()
	return l.Wait(ctx)
}

// maxSlow is how many answers that took the whole timeout an endpoint may give before the
// check stops sending it requests: a server that drips its answers cannot hold the scan for
// hundreds of timeouts.
const maxSlow = 5

// breaker counts the slow answers of each endpoint (nuclei's, through the gateway, and the
// check's own) and refuses further connections to an endpoint past maxSlow.
type breaker struct {
	timeout time.Duration
	mu      sync.Mutex
	slow    map[netip.AddrPort]int
}

func newBreaker(timeout time.Duration) *breaker {
	return &breaker{timeout: timeout, slow: map[netip.AddrPort]int{}}
}

// note records how long an exchange with ap took.
func (b *breaker) note(ap netip.AddrPort, took time.Duration) {
	if b == nil || took < b.timeout {
		return
	}
	b.mu.Lock()
	b.slow[ap]++
	b.mu.Unlock()
}

// check returns an error when ap gave too many slow answers.
func (b *breaker) check(ap netip.AddrPort) error {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	n := b.slow[ap]
	b.mu.Unlock()
	if n >= maxSlow {
		return &slowError{ap: ap, n: n}
	}
	return nil
}

// slowError is a timeout: the endpoint answered too slowly too often.
type slowError struct {
	ap netip.AddrPort
	n  int
}

func (e *slowError) Error() string {
	return fmt.Sprintf("web: %s took the whole timeout %d times: no more requests to it", e.ap, e.n)
}

// Timeout makes it a timeout for checks.Classify.
func (e *slowError) Timeout() bool { return true }

// Temporary is part of net.Error.
func (e *slowError) Temporary() bool { return false }
