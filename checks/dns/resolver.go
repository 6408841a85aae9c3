package dns

import (
	"fmt"
	"net/netip"
	"strconv"

	miekg "github.com/miekg/dns"
)

// resolvConf is where the system's resolver is read from when none is configured.
var resolvConf = "/etc/resolv.conf"

// resolverAddr reads the configured resolver: "ip:port", a bare IP (port 53), or "" for
// the first nameserver of the system's resolv.conf.
func resolverAddr(s string) (netip.AddrPort, error) {
	if s == "" {
		return systemResolver(resolvConf)
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap, nil
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return netip.AddrPortFrom(a, 53), nil
	}
	return netip.AddrPort{}, fmt.Errorf("resolver %q: want an IP address and port such as 127.0.30.53:53", s)
}

// systemResolver returns the first nameserver of a resolv.conf(5) file.
func systemResolver(path string) (netip.AddrPort, error) {
	cc, err := miekg.ClientConfigFromFile(path)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("resolver: read %s: %w", path, err)
	}
	if len(cc.Servers) == 0 {
		return netip.AddrPort{}, fmt.Errorf("resolver: no nameserver in %s; configure one", path)
	}
	a, err := netip.ParseAddr(cc.Servers[0])
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("resolver: nameserver %q in %s is not an IP address: %w", cc.Servers[0], path, err)
	}
	port, err := strconv.ParseUint(cc.Port, 10, 16)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("resolver: port %q in %s: %w", cc.Port, path, err)
	}
	return netip.AddrPortFrom(a, uint16(port)), nil
}
