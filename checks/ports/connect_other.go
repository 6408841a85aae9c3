//go:build !linux

package ports

import (
	"context"
	"net"
	"net/netip"
	"time"
)

// rawConnectSupported: elsewhere than on Linux, connectTCP dials with DialContext.
const rawConnectSupported = false

// rawConnect is not used where rawConnectSupported is false.
func rawConnect(context.Context, netip.Addr, netip.Addr, uint16, time.Duration) (net.Conn, error) {
	panic("ports: rawConnect without system-call support")
}
