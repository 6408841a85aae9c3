package checktest

import (
	"net"
	"net/netip"
	"testing"
)

// Serve listens on a port of 127.0.0.1 the kernel picks and hands every connection to
// handle, in a goroutine of its own, closing the connection when handle returns. The
// listener closes when the test ends.
func Serve(tb testing.TB, handle func(c net.Conn)) netip.AddrPort {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				handle(c)
			}()
		}
	}()
	return netip.MustParseAddrPort(ln.Addr().String())
}
