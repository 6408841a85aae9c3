package tls

import (
	"net/netip"
	"slices"

	"ecscan/checks"
)

// target is one endpoint to observe, as the service map describes it.
type target struct {
	svc      checks.Service
	mode     string
	startTLS string // the upgrade protocol, for ModeStartTLS
	// web: an HTTP service; primaryWeb: it speaks for its host's HTTPS (tls.https).
	web, primaryWeb bool
	// redirect is the plain HTTP service (port 80) of the same host, whose redirect to
	// HTTPS the primary web endpoint checks.
	redirect *checks.Service
}

// plainHTTPPort is the port of plain HTTP whose redirect to HTTPS is checked (a variable so
// that tests can use a listener's port).
var plainHTTPPort = 80

type hostKey struct {
	host string
	addr netip.Addr
}

// plan picks the endpoints from the service map:
//
//   - every service with TLS from the first byte, whatever its protocol;
//   - every SMTP, POP3, IMAP and FTP service without it: STARTTLS (STLS, AUTH TLS) is tried
//     whether or not the server listed it, so that a plaintext-only service is shown by its
//     own refusal;
//   - every host serving plain HTTP on port 80 and no HTTPS at all (no I/O: tls.https fails).
//
// The HTTPS endpoint on 443 (or the lowest HTTPS port) of a host is its primary web
// endpoint; it checks the redirect of the host's port 80.
func plan(services []checks.Service) []*target {
	var out []*target
	https := map[hostKey][]*target{}
	plain80 := map[hostKey]checks.Service{}
	for _, s := range services {
		k := hostKey{s.Host, s.Addr}
		switch {
		case s.TLS:
			t := &target{svc: s, mode: ModeImplicit, web: s.Protocol == "http"}
			out = append(out, t)
			if t.web {
				https[k] = append(https[k], t)
			}
		case startTLSProtocols[s.Protocol]:
			out = append(out, &target{svc: s, mode: ModeStartTLS, startTLS: s.Protocol})
		case s.Protocol == "http" && s.Port == plainHTTPPort:
			plain80[k] = s
		}
	}
	for k, ts := range https {
		primary := slices.MinFunc(ts, func(a, b *target) int { return webOrder(a.svc.Port) - webOrder(b.svc.Port) })
		primary.primaryWeb = true
		if s, ok := plain80[k]; ok {
			primary.redirect = &s
		}
	}
	for k, s := range plain80 {
		if _, ok := https[k]; !ok {
			out = append(out, &target{svc: s, mode: ModePlaintext, web: true, primaryWeb: true})
		}
	}
	slices.SortFunc(out, func(a, b *target) int {
		if c := a.svc.Addr.Compare(b.svc.Addr); c != 0 {
			return c
		}
		return a.svc.Port - b.svc.Port
	})
	return out
}

// webOrder puts 443 first, then the other ports in order.
func webOrder(port int) int {
	if port == 443 {
		return -1
	}
	return port
}
