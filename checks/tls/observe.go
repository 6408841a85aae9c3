package tls

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"ecscan/checks"
)

// observer observes endpoints: the network side of the check.
type observer struct {
	env      *checks.Env
	engine   Engine // nil: no enumeration
	roots    *x509.CertPool
	slots    *slots
	timeout  time.Duration // one exchange: a handshake, an upgrade dialogue, an HTTP request
	parallel int           // connections at once per endpoint, for the engine
}

// observe runs every probe of one endpoint and returns what it saw; failures are recorded
// in the observation's Status.
func (o *observer) observe(ctx context.Context, t *target) *Observation {
	s := t.svc
	if s.Host == "" {
		s.Host = s.Addr.String()
	}
	obs := &Observation{
		Host: s.Host, Addr: s.Addr, Port: s.Port, Protocol: s.Protocol, Mode: t.mode, SNI: sni(s.Host),
		Advertised: s.StartTLS, Web: t.web, PrimaryWeb: t.primaryWeb, Status: checks.StatusOK,
	}
	if t.mode == ModePlaintext {
		return obs // a web host without HTTPS: nothing to connect to
	}
	ed := &endpointDialer{dialer: o.env.Dialer, slots: o.slots, addr: s.AddrPort(), startTLS: t.startTLS, timeout: o.timeout}
	if t.startTLS != "" {
		obs.StartTLS = &Dialogue{Protocol: t.startTLS}
	}
	conn, err := ed.dial(ctx, recorder{obs.StartTLS})
	if err != nil {
		o.dialFailed(obs, err)
		return obs
	}
	if obs.StartTLS != nil {
		obs.StartTLS.Upgraded = true
	}
	hsErr := o.certificate(ctx, obs, conn)
	switch checks.Classify(hsErr) {
	case checks.StatusTimeout, checks.StatusCanceled:
		// a server that lets a ClientHello go unanswered would only make the engine wait
	default:
		o.enumerate(ctx, obs, ed) // crypto/tls may fail where the engine succeeds (SSLv3, rare suites)
	}
	if obs.Chain == nil && obs.Enumeration != nil && len(obs.Enumeration.Certificates) > 0 {
		o.analyze(obs, obs.Enumeration.Certificates, "enumeration", nil)
	}
	if t.redirect != nil {
		obs.Redirect = o.redirect(ctx, t.redirect)
	}
	switch {
	case ctx.Err() != nil:
		obs.Status, obs.Error = checks.StatusCanceled, "scan interrupted"
	case hsErr != nil && !obs.Enumeration.AnyOffered():
		obs.Status, obs.Error = checks.Classify(hsErr), hsErr.Error()
	}
	return obs
}

// dialFailed records a connection or upgrade that failed. A refused upgrade is an answer:
// the service is plaintext only (Status ok), unless the server had listed the upgrade.
func (o *observer) dialFailed(obs *Observation, err error) {
	obs.Error = err.Error()
	obs.Status = checks.Classify(err)
	var re *RefusedError
	if errors.As(err, &re) {
		obs.Mode = ModePlaintext
		obs.StartTLS.Refused = true
		obs.Status, obs.Error = checks.StatusOK, "" // the refusal is the answer (in the dialogue)
		if obs.Advertised {
			obs.Status, obs.Error = checks.StatusProtocolError, "the server listed the upgrade, then refused it: "+err.Error()
		}
	}
	if obs.StartTLS != nil {
		obs.StartTLS.Error = err.Error()
	}
}

// enumerate runs the engine over fresh connections of the endpoint.
func (o *observer) enumerate(ctx context.Context, obs *Observation, ed *endpointDialer) {
	if o.engine == nil {
		obs.EngineError = "protocol and cipher suite enumeration not available in this build"
		return
	}
	e, err := o.engine(ctx, ed.engineDial, EngineOptions{ServerName: obs.SNI, Timeout: o.timeout, Parallel: o.parallel})
	if err != nil {
		obs.EngineError = fmt.Sprintf("enumeration of %s: %v", ed.addr, err)
	}
	obs.Enumeration = e
}

// redirect asks the host's plain HTTP service for / and keeps the answer's head.
func (o *observer) redirect(ctx context.Context, s *checks.Service) *HTTPHead {
	url := "http://" + hostHeader(s.Host, s.Port, false) + "/"
	ed := &endpointDialer{dialer: o.env.Dialer, slots: o.slots, addr: s.AddrPort(), timeout: o.timeout}
	c, err := ed.dial(ctx, recorder{})
	if err != nil {
		return &HTTPHead{URL: url, Port: s.Port, Error: err.Error()}
	}
	defer c.Close()
	h := getHead(ctx, c, url, hostHeader(s.Host, s.Port, false), o.timeout)
	h.Port = s.Port
	return h
}

// sni is the server name to send: the host name, or none for an address.
func sni(host string) string {
	if _, err := netip.ParseAddr(host); err == nil {
		return ""
	}
	return host
}
