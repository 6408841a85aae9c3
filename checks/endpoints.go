package checks

import (
	"net"
	"slices"
	"strconv"
)

// Endpoint is one service a protocol check examines, with the Target of its Result.
type Endpoint struct {
	Service
	Target string
}

// EndpointsOf picks the services of the given protocols from a service map, once per
// address and port. Target is "host:port", or "addr:port" when the host has that port on
// several addresses.
func EndpointsOf(services []Service, protocols ...string) []Endpoint {
	var out []Endpoint
	seen := map[string]bool{}
	names := map[string]int{}
	for _, s := range services {
		if !slices.Contains(protocols, s.Protocol) || !s.Addr.IsValid() || seen[s.AddrPort().String()] {
			continue
		}
		seen[s.AddrPort().String()] = true
		if s.Host == "" {
			s.Host = s.Addr.String()
		}
		names[net.JoinHostPort(s.Host, strconv.Itoa(s.Port))]++
		out = append(out, Endpoint{Service: s})
	}
	for i := range out {
		s := out[i].Service
		out[i].Target = net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
		if names[out[i].Target] > 1 {
			out[i].Target = s.AddrPort().String()
		}
	}
	return out
}
