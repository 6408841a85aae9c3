package ports

import (
	"context"
	"fmt"
	"net"
	"net/netip"

	"ecscan/checks"
)

// connectTCP opens the connect scan's connection to ap, within the dialer's limits: it
// takes the dialer's global and per-address slots and waits for its rates (Acquire), as
// DialContext does, and the connection gives the slots back when it is closed. It connects
// from the dialer's source address, within its connect timeout. On Linux the socket is
// made and connected with system calls, and the runtime poller is used only when the
// kernel has no answer yet (a remote address; on loopback the answer, SYN-ACK or RST, is
// there when connect returns): the connect scan's cost is then that of the kernel. The
// errors are the ones DialContext returns (syscall errors for refused, unreachable and
// resources exhausted; bind errors for a bad source; timeouts; the context's error).
func connectTCP(ctx context.Context, d *checks.Dialer, ap netip.AddrPort) (net.Conn, error) {
	if !rawConnectable(d.Source(), ap.Addr()) {
		return d.DialContext(ctx, "tcp", ap.String())
	}
	release, err := d.Acquire(ctx, ap.Addr())
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", ap, err)
	}
	c, err := rawConnect(ctx, d.Source().Unmap(), ap.Addr().Unmap(), ap.Port(), d.Limits().ConnectTimeout)
	if err != nil {
		release()
		return nil, &net.OpError{Op: "dial", Net: "tcp", Addr: net.TCPAddrFromAddrPort(ap), Err: err}
	}
	return &releaseConn{Conn: c, release: release}, nil
}

// rawConnectable reports whether connectTCP's system-call path can reach a: an address
// without a zone, from no source address or one of the same family. Other cases go through
// DialContext, which reports their errors.
func rawConnectable(src, a netip.Addr) bool {
	if !rawConnectSupported || a.Zone() != "" || !a.IsValid() {
		return false
	}
	return !src.IsValid() || src.Zone() == "" && src.Unmap().Is4() == a.Unmap().Is4()
}

// releaseConn gives its dialer slots back when it is closed (release runs once).
type releaseConn struct {
	net.Conn
	release func()
}

// Close closes the connection and frees its dialer slots.
func (c *releaseConn) Close() error {
	err := c.Conn.Close()
	c.release()
	return err
}
