package diff

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"ecscan/checks"
)

// compareHosts fills in the hosts that appeared, went away, or changed addresses or scope.
func (d *Diff) compareHosts(old, new []checks.Host) {
	oi, ni := hostIndex(old), hostIndex(new)
	for name, n := range ni {
		o, ok := oi[name]
		if !ok {
			d.NewHosts = append(d.NewHosts, name)
			continue
		}
		oa, na := addrStrings(o), addrStrings(n)
		if !slices.Equal(oa, na) || o.InScope != n.InScope {
			d.ChangedHosts = append(d.ChangedHosts, HostChange{Name: name, OldAddrs: oa, NewAddrs: na, OldInScope: o.InScope, NewInScope: n.InScope})
		}
	}
	for name := range oi {
		if _, ok := ni[name]; !ok {
			d.GoneHosts = append(d.GoneHosts, name)
		}
	}
	slices.Sort(d.NewHosts)
	slices.Sort(d.GoneHosts)
	slices.SortFunc(d.ChangedHosts, func(a, b HostChange) int { return strings.Compare(a.Name, b.Name) })
}

func hostIndex(hs []checks.Host) map[string]checks.Host {
	m := make(map[string]checks.Host, len(hs))
	for _, h := range hs {
		if prev, ok := m[h.Name]; ok {
			h.Addrs = append(slices.Clone(prev.Addrs), h.Addrs...)
			h.InScope = h.InScope || prev.InScope
		}
		m[h.Name] = h
	}
	return m
}

// addrStrings returns a host's addresses, sorted and without repeats.
func addrStrings(h checks.Host) []string {
	var out []string
	for _, a := range h.Addrs {
		out = append(out, a.String())
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// compareServices fills in the open ports that appeared or closed, and the services that
// changed, by "host:port/tcp".
func (d *Diff) compareServices(old, new []checks.Service) {
	oi, ni := serviceIndex(old), serviceIndex(new)
	for port, n := range ni {
		o, ok := oi[port]
		switch {
		case !ok:
			d.NewPorts = append(d.NewPorts, port)
		case o != n:
			d.ChangedServices = append(d.ChangedServices, ServiceChange{Port: port, Old: o, New: n})
		}
	}
	for port := range oi {
		if _, ok := ni[port]; !ok {
			d.ClosedPorts = append(d.ClosedPorts, port)
		}
	}
	slices.SortFunc(d.NewPorts, comparePorts)
	slices.SortFunc(d.ClosedPorts, comparePorts)
	slices.SortFunc(d.ChangedServices, func(a, b ServiceChange) int { return comparePorts(a.Port, b.Port) })
}

// serviceIndex maps "host:port/tcp" to a description of what speaks there. A host with two
// addresses has the port once: the descriptions of both are joined.
func serviceIndex(ss []checks.Service) map[string]string {
	m := make(map[string]string, len(ss))
	for _, s := range ss {
		key := PortName(s)
		desc := describe(s)
		if prev, ok := m[key]; ok && prev != desc {
			parts := append(strings.Split(prev, " | "), desc)
			slices.Sort(parts)
			desc = strings.Join(slices.Compact(parts), " | ")
		}
		m[key] = desc
	}
	return m
}

// PortName names a service's port: "host:port/tcp", with the address when it has no host.
func PortName(s checks.Service) string {
	host := s.Host
	if host == "" {
		host = s.Addr.String()
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return host + ":" + strconv.Itoa(s.Port) + "/tcp"
}

// describe sums a service up: "http Apache httpd 2.4.67", "smtp+starttls Postfix", "https".
func describe(s checks.Service) string {
	proto := s.Protocol
	if s.TLS {
		proto += "+tls"
	}
	if s.StartTLS {
		proto += "+starttls"
	}
	return strings.Join(strings.Fields(fmt.Sprintf("%s %s %s", proto, s.Product, s.Version)), " ")
}

// comparePorts orders "host:port/tcp" by host, then by port number.
func comparePorts(a, b string) int {
	ha, pa := splitPort(a)
	hb, pb := splitPort(b)
	if c := strings.Compare(ha, hb); c != 0 {
		return c
	}
	return pa - pb
}

func splitPort(s string) (string, int) {
	s = strings.TrimSuffix(s, "/tcp")
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return s, 0
	}
	p, _ := strconv.Atoi(s[i+1:])
	return s[:i], p
}
