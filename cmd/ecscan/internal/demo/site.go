package demo

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Site is the running practice site.
type Site struct {
	// Zone is the site's domain, "demo-shop.test".
	Zone string
	// Resolver is the site's name server, "ip:port": it answers for the zone (and refuses
	// everything else), so the scan's discovery and DNS check use it as their resolver.
	Resolver string
	// Targets are the scan's targets: the zone.
	Targets []string
	// Names are the extra host names discovery must look up (--names): "ftp", which
	// neither the apex, www, MX nor NS records lead to.
	Names []string
	// Ports are every TCP port the site listens on, sorted (--ports): scanning only these
	// keeps the machine's own services (an sshd on 0.0.0.0:22) out of the report.
	Ports []int
	// Layout is LayoutStandard, LayoutHigh or LayoutShared.
	Layout string
	// Unshown are the finding IDs the site is built to show that this layout cannot.
	Unshown []string
	// CAFile is the demo CA's certificate (PEM), to pass as --ca-bundle.
	CAFile string
	// Hosts maps each host name to its address ("www.demo-shop.test" → "127.0.77.80").
	Hosts map[string]string
	// Endpoints are the servers, in the order of their standard ports.
	Endpoints []Endpoint

	fallback error // why the standard layout was not used
	tr       *tracker
	stops    []func() // stop the servers: close their listeners
	waits    []func() // wait for what the tracker does not know of

	closeOnce sync.Once
}

// Endpoint is one server of the site.
type Endpoint struct {
	Service string `json:"service"` // "dns", "http", "https", "smtp", "pop3", "imap", "ftp"
	Host    string `json:"host"`    // its host name
	Addr    string `json:"addr"`    // "127.0.77.80:443"
}

// Start starts the site's servers on loopback and returns when all of them accept
// connections. It writes the demo CA's certificate and the site's certificate into dir
// (created if needed; never a private key). It tries the standard ports, each machine on
// its own address of 127.0.77.0/24 (the next /24 when an address is taken, up to
// 127.0.86.0/24); when the standard ports cannot be bound (no privilege for ports below
// 1024, or taken in every block), the same addresses with every port + 10000; and last,
// those ports on 127.0.0.1. ctx bounds the start only: the site runs until Close.
func Start(ctx context.Context, dir string) (*Site, error) {
	if dir == "" {
		return nil, errors.New("demo: no directory for the site's files")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	var names []string
	for _, h := range siteHosts {
		names = append(names, hostName(h.name))
	}
	p, err := newPKI(dir, names, time.Now())
	if err != nil {
		return nil, err
	}
	var errs []error
	skip := ""
	for _, pl := range placements() {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("demo: %w", ctx.Err())
		}
		if pl.layout == skip {
			continue
		}
		s, err := start(ctx, pl, p)
		if err == nil {
			if len(errs) > 0 && pl.layout != LayoutStandard {
				s.fallback = errs[0]
			}
			return s, nil
		}
		errs = append(errs, err)
		if errors.Is(err, syscall.EACCES) || errors.Is(err, syscall.EADDRNOTAVAIL) {
			skip = pl.layout // no block of this layout can be bound
		}
	}
	return nil, fmt.Errorf("demo: no loopback address could be bound: %w", errors.Join(errs...))
}

// start binds every server of one placement and starts serving; on any failure it closes
// what it opened.
func start(ctx context.Context, pl placement, p *pki) (*Site, error) {
	b, err := bind(pl)
	if err != nil {
		return nil, err
	}
	s := &Site{
		Zone:     Zone,
		Targets:  []string{Zone},
		Names:    []string{"ftp"},
		Layout:   pl.layout,
		CAFile:   p.caFile,
		Hosts:    map[string]string{},
		Resolver: pl.endpoint(services[slices.IndexFunc(services, func(s service) bool { return s.name == "dns" })]).String(),
		tr:       newTracker(),
	}
	if pl.layout != LayoutStandard {
		s.Unshown = slices.Clone(unshown)
	}
	addrs := map[string]netip.Addr{}
	for _, h := range siteHosts {
		addrs[h.name] = pl.addr(h.role)
		s.Hosts[hostName(h.name)] = pl.addr(h.role).String()
	}
	for _, sv := range services {
		s.Ports = append(s.Ports, pl.port(sv))
		s.Endpoints = append(s.Endpoints, Endpoint{Service: sv.name, Host: hostFor(sv.role), Addr: pl.endpoint(sv).String()})
	}
	slices.Sort(s.Ports)
	if err := s.serve(ctx, b, addrs, pl, p); err != nil {
		b.close()
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

// hostFor returns the main host name of a machine.
func hostFor(r role) string {
	for _, h := range siteHosts {
		if h.role == r {
			return hostName(h.name)
		}
	}
	return ""
}

// Close stops every server, closes every connection and waits for every goroutine of the
// site. It is safe to call more than once.
func (s *Site) Close() error {
	s.closeOnce.Do(func() {
		for _, stop := range s.stops {
			stop()
		}
		s.tr.shutdown()
		for _, wait := range s.waits {
			wait()
		}
	})
	return nil
}

// PortsSpec returns Ports as a --ports value, "21,25,53,80,110,143,443".
func (s *Site) PortsSpec() string { return portList(s.Ports) }

// ScanArgs returns the arguments of `ecscan scan` that scan the site: the private
// addresses allowed, the site's name server as resolver, the ftp host name, only the
// site's ports, the demo CA trusted, and the zone as target.
func (s *Site) ScanArgs() []string {
	args := []string{"--allow-private", "--resolver", s.Resolver, "--ports", s.PortsSpec(), "--ca-bundle", s.CAFile}
	for _, n := range s.Names {
		args = append(args, "--names", n)
	}
	return append(args, s.Targets...)
}

// Describe lists the site's servers for the terminal, in lang ("ja" or "en"), with what
// the layout cannot show.
func (s *Site) Describe(lang string) string {
	ja := lang != "en"
	var b strings.Builder
	layout := map[string][2]string{
		LayoutStandard: {"標準ポート", "standard ports"},
		LayoutHigh:     {"標準ポートを開けないため、ポート番号 +10000", "ports + 10000, since the standard ports could not be bound"},
		LayoutShared:   {"127.0.0.1 以外のループバックアドレスを使えないため、127.0.0.1 のポート番号 +10000", "ports + 10000 on 127.0.0.1, since no other loopback address could be bound"},
	}[s.Layout]
	if ja {
		fmt.Fprintf(&b, "練習用サイト %s（%s）\n", s.Zone, layout[0])
	} else {
		fmt.Fprintf(&b, "Practice site %s (%s)\n", s.Zone, layout[1])
	}
	if s.fallback != nil {
		fmt.Fprintf(&b, "  (%v)\n", s.fallback)
	}
	for _, e := range s.Endpoints {
		fmt.Fprintf(&b, "  %-6s %-22s %s\n", e.Service, e.Host, e.Addr)
	}
	if len(s.Unshown) > 0 {
		if ja {
			fmt.Fprintf(&b, "この配置では次の項目は確認できません: %s\n", strings.Join(s.Unshown, ", "))
		} else {
			fmt.Fprintf(&b, "This layout cannot show: %s\n", strings.Join(s.Unshown, ", "))
		}
	}
	return b.String()
}
