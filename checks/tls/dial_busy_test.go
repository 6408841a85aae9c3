package tls

import (
	"bufio"
	"context"
	"errors"
	"net"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"

	"ecscan/checks"
)

// TestDialRetriesBusyServer: a server that turns the first connections away with 421 (a
// per-address connection limit) is tried again, and the upgrade then succeeds.
func TestDialRetriesBusyServer(t *testing.T) {
	for _, tc := range []struct {
		busy    int32
		wantErr bool
	}{{2, false}, {busyRetries + 1, true}} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		var n atomic.Int32
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				if n.Add(1) <= tc.busy {
					c.Write([]byte("421 There are too many connections from your internet address.\r\n"))
					c.Close()
					continue
				}
				c.Write([]byte("220 ready\r\n"))
				line, _ := bufio.NewReader(c).ReadString('\n')
				if line == "AUTH TLS\r\n" {
					c.Write([]byte("234 go\r\n"))
				}
				time.Sleep(50 * time.Millisecond)
				c.Close()
			}
		}()
		ap := netip.MustParseAddrPort(ln.Addr().String())
		d := &endpointDialer{dialer: checks.NewDialer(checks.DefaultLimits(), netip.Addr{}), slots: newSlots(5), addr: ap, startTLS: "ftp", timeout: time.Second}
		c, err := d.dial(context.Background(), recorder{})
		var busy *BusyError
		switch {
		case tc.wantErr && !errors.As(err, &busy):
			t.Errorf("busy %d times: got %v, want a BusyError after %d retries", tc.busy, err, busyRetries)
		case !tc.wantErr && err != nil:
			t.Errorf("busy %d times: got %v, want the upgrade after retries", tc.busy, err)
		}
		if c != nil {
			c.Close()
		}
		if got := n.Load(); !tc.wantErr && got != tc.busy+1 {
			t.Errorf("busy %d times: %d connections, want %d", tc.busy, got, tc.busy+1)
		}
		ln.Close()
	}
}
