package tls

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"time"

	"ecscan/checks"
)

// slots bounds the connections open at once to one address (Config.HostConnections), on top
// of the scan dialer's own limits: the engine opens several connections per endpoint, and
// the endpoints of one address run at the same time.
type slots struct {
	n  int
	mu sync.Mutex
	m  map[netip.Addr]chan struct{}
}

func newSlots(n int) *slots { return &slots{n: max(n, 1), m: map[netip.Addr]chan struct{}{}} }

// acquire waits for a slot of a; release gives it back.
func (s *slots) acquire(ctx context.Context, a netip.Addr) (release func(), err error) {
	s.mu.Lock()
	ch := s.m[a]
	if ch == nil {
		ch = make(chan struct{}, s.n)
		s.m[a] = ch
	}
	s.mu.Unlock()
	select {
	case ch <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	var once sync.Once
	return func() { once.Do(func() { <-ch }) }, nil
}

// slotConn gives its slot back when closed.
type slotConn struct {
	net.Conn
	release func()
}

func (c *slotConn) Close() error {
	err := c.Conn.Close()
	c.release()
	return err
}

// endpointDialer opens the connections of one endpoint: through the scan's dialer, within the
// address's slots, and for STARTTLS services through the upgrade dialogue.
type endpointDialer struct {
	dialer   *checks.Dialer
	slots    *slots
	addr     netip.AddrPort
	startTLS string // smtp, pop3, imap, ftp; empty for TLS from the first byte or plain HTTP
	timeout  time.Duration
}

// busyRetries and busyWait bound the retries of a connection turned away with 421 (a
// server limiting connections per address, like vsftpd's max_per_ip): the wait doubles
// from busyWait each time.
const (
	busyRetries = 5
	busyWait    = 200 * time.Millisecond
)

// dial opens one connection, upgraded when the endpoint needs it; the upgrade dialogue goes
// to rec. A server that turns the connection away as busy is tried again after a pause.
func (e *endpointDialer) dial(ctx context.Context, rec recorder) (net.Conn, error) {
	wait := busyWait
	for i := 0; ; i++ {
		c, err := e.dialOnce(ctx, rec)
		var busy *BusyError
		if !errors.As(err, &busy) || i == busyRetries {
			return c, err
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		wait *= 2
	}
}

func (e *endpointDialer) dialOnce(ctx context.Context, rec recorder) (net.Conn, error) {
	release, err := e.slots.acquire(ctx, e.addr.Addr())
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", e.addr, err)
	}
	c, err := e.dialer.DialContext(ctx, "tcp", e.addr.String())
	if err != nil {
		release()
		return nil, fmt.Errorf("dial %s: %w", e.addr, err)
	}
	sc := &slotConn{Conn: c, release: release}
	if e.startTLS != "" {
		if err := negotiate(ctx, sc, e.startTLS, e.timeout, rec); err != nil {
			sc.Close()
			return nil, err
		}
	}
	return sc, nil
}

// engineDial is the DialFunc handed to the engine: upgraded connections, dialogue not kept
// (the first connection's is).
func (e *endpointDialer) engineDial(ctx context.Context) (net.Conn, error) {
	return e.dial(ctx, recorder{})
}
