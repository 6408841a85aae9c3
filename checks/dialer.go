package checks

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limits bound what a scan sends, globally and per target address.
type Limits struct {
	Concurrency     int           // connections open at once, all addresses together
	HostConcurrency int           // connections open at once to one address
	Rate            float64       // new connections per second, all addresses (0: no limit)
	HostRate        float64       // new connections per second to one address (0: no limit)
	ConnectTimeout  time.Duration // to establish a TCP connection
	Timeout         time.Duration // for one exchange on an open connection
}

// DefaultLimits are the limits a scan uses unless configured otherwise.
func DefaultLimits() Limits {
	return Limits{
		Concurrency:     1000,
		HostConcurrency: 500,
		Rate:            0,
		HostRate:        0,
		ConnectTimeout:  1500 * time.Millisecond,
		Timeout:         10 * time.Second,
	}
}

// Dialer opens every connection of a scan. It connects only to IP addresses (names are
// resolved by discovery, through the configured resolver), from the configured source
// address, within the limits: a connection holds a global and a per-address slot until it
// is closed, and each new connection waits for the global and per-address rates.
type Dialer struct {
	limits Limits
	source netip.Addr
	global chan struct{}
	rate   *rate.Limiter

	mu    sync.Mutex
	hosts map[netip.Addr]*hostLimit
}

type hostLimit struct {
	slots chan struct{}
	rate  *rate.Limiter
}

// NewDialer returns a dialer with the given limits, connecting from source (the zero Addr:
// the system chooses).
func NewDialer(l Limits, source netip.Addr) *Dialer {
	l.Concurrency = max(l.Concurrency, 1)
	l.HostConcurrency = max(min(l.HostConcurrency, l.Concurrency), 1)
	return &Dialer{
		limits: l,
		source: source,
		global: make(chan struct{}, l.Concurrency),
		rate:   newLimiter(l.Rate),
		hosts:  map[netip.Addr]*hostLimit{},
	}
}

func newLimiter(perSecond float64) *rate.Limiter {
	if perSecond <= 0 {
		return nil
	}
	return rate.NewLimiter(rate.Limit(perSecond), max(1, int(perSecond/10)))
}

// Limits returns the dialer's limits.
func (d *Dialer) Limits() Limits { return d.limits }

// Source returns the source address connections are made from (zero when the system
// chooses).
func (d *Dialer) Source() netip.Addr { return d.source }

func (d *Dialer) host(a netip.Addr) *hostLimit {
	d.mu.Lock()
	defer d.mu.Unlock()
	h := d.hosts[a]
	if h == nil {
		h = &hostLimit{slots: make(chan struct{}, d.limits.HostConcurrency), rate: newLimiter(d.limits.HostRate)}
		d.hosts[a] = h
	}
	return h
}

// Acquire takes a global and a per-address slot and waits for both rates, for traffic that
// does not go through DialContext (DNS over UDP). The returned release frees the slots.
func (d *Dialer) Acquire(ctx context.Context, a netip.Addr) (release func(), err error) {
	h := d.host(a.Unmap())
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case d.global <- struct{}{}:
	case <-ctx.Done():
		<-h.slots
		return nil, ctx.Err()
	}
	var once sync.Once
	release = func() { once.Do(func() { <-d.global; <-h.slots }) }
	for _, l := range []*rate.Limiter{h.rate, d.rate} {
		if l != nil {
			if err := l.Wait(ctx); err != nil {
				release()
				return nil, err
			}
		}
	}
	return release, nil
}

// DialContext connects to address ("ip:port") over network ("tcp", "tcp4", "tcp6"). The
// connection's slots are released when it is closed.
func (d *Dialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return nil, fmt.Errorf("dial %s: not an IP address and port: %w", address, err)
	}
	release, err := d.Acquire(ctx, ap.Addr())
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", address, err)
	}
	nd := net.Dialer{Timeout: d.limits.ConnectTimeout}
	if d.source.IsValid() {
		nd.LocalAddr = &net.TCPAddr{IP: d.source.AsSlice()}
	}
	c, err := nd.DialContext(ctx, network, address)
	if err != nil {
		release()
		return nil, err
	}
	return &limitedConn{Conn: c, release: release}, nil
}

// limitedConn releases its dialer slots when closed.
type limitedConn struct {
	net.Conn
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.release()
	return err
}
