package hello

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sync"

	"ecscan/checks"
)

// enumerator holds what the probes of one Enumerate share: the dialer, the options, and
// the count of answers and failures that stops the enumeration of a server that never
// answers.
type enumerator struct {
	dial DialFunc
	opts Options

	mu       sync.Mutex
	flights  int   // probes that got an answer
	failures int   // failed probes in a row (timeouts, protocol errors)
	firstErr error // the first probe's error
	lastErr  error // the last probe's error
}

// Consecutive failures after which no more probes are sent: fewer when the server has not
// answered once.
const (
	maxFailuresSilent = 2
	maxFailures       = 4
)

// note counts a probe's result.
func (e *enumerator) note(r probeResult) {
	e.mu.Lock()
	defer e.mu.Unlock()
	switch {
	case r.f != nil:
		e.flights++
		e.failures = 0
	case r.closed:
		e.failures = 0
	default:
		e.failures++
	}
	if r.err != nil {
		e.lastErr = r.err
		if e.firstErr == nil {
			e.firstErr = r.err
		}
	}
}

// stopErr says why no more probes may be sent: ctx ended, or the enumeration gave up on
// the server.
func (e *enumerator) stopErr(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.failures >= maxFailures || e.flights == 0 && e.failures >= maxFailuresSilent {
		return fmt.Errorf("tls hello: gave up after %d failed probes in a row: %w", e.failures, e.lastErr)
	}
	return nil
}

// versionScan is the enumeration of one version.
type versionScan struct {
	e     *enumerator
	v     Version
	res   VersionResult
	lines []string
	certs [][]byte

	sawHandshakeFailure bool // a hello refused with handshake_failure or insufficient_security
	sawProtocolVersion  bool // a hello refused with protocol_version
	fromChunks          int  // hellos (chunks) whose offer yielded accepted suites
}

// probe sends one hello of the version. more asks for the messages after a TLS ≤ 1.2
// ServerHello. ok is false when no probe could be sent.
func (vs *versionScan) probe(ctx context.Context, spec helloSpec, more bool) (probeResult, bool) {
	spec.version, spec.serverName = vs.v, vs.e.opts.ServerName
	msg, err := buildClientHello(spec)
	if err != nil {
		vs.fail(err)
		return probeResult{}, false
	}
	return vs.send(ctx, describeOffer(spec), msg, func(r io.Reader) (*flight, error) { return readTLSFlight(r, more) })
}

// send runs one probe, records its transcript line and counts it; a failed probe makes
// the version's result incomplete (Status, Error). ok is false when the probe was not
// sent (ctx ended, or the enumeration gave up).
func (vs *versionScan) send(ctx context.Context, offer string, msg []byte, read func(io.Reader) (*flight, error)) (probeResult, bool) {
	if err := vs.e.stopErr(ctx); err != nil {
		vs.fail(err)
		return probeResult{}, false
	}
	r := vs.e.exchange(ctx, msg, read)
	vs.e.note(r)
	vs.lines = append(vs.lines, clip(offer+" → "+describeResult(r)))
	if r.err != nil && !r.closed {
		vs.fail(r.err)
	}
	return r, true
}

// fail records the first failure of the version's scan.
func (vs *versionScan) fail(err error) {
	if vs.res.Status == "" {
		vs.res.Status, vs.res.Error = checks.Classify(err), clip(err.Error())
	}
}

// scanVersion enumerates one version: its suites, their order, its groups.
func (e *enumerator) scanVersion(ctx context.Context, v Version) *versionScan {
	vs := &versionScan{e: e, v: v}
	defer func() {
		if vs.res.Status == "" {
			vs.res.Status = checks.StatusOK
		}
	}()
	if v == SSL20 {
		vs.scanSSLv2(ctx)
		return vs
	}
	for chunk := range slices.Chunk(vs.candidates(), e.opts.MaxSuitesPerHello) {
		if !vs.scanChunk(ctx, chunk) {
			break
		}
	}
	if len(vs.res.Suites) >= 2 {
		vs.scanOrder(ctx)
	}
	if len(vs.res.Suites) > 0 {
		vs.res.Preferred = vs.res.Suites[0]
	}
	vs.scanGroups(ctx)
	vs.res.Offered = len(vs.res.Suites) > 0
	return vs
}

// candidates are the suites offered at the version, in offer order: the TLS 1.3 suites of
// RFC 8446 for TLS 1.3, every other suite of the registry below it.
func (vs *versionScan) candidates() []uint16 {
	var out []uint16
	for _, s := range offerOrder(Suites()) {
		switch {
		case vs.v == TLS13 && s.ID>>8 == 0x13 && s.ID <= 0x1305:
			out = append(out, s.ID)
		case vs.v != TLS13 && !s.TLS13:
			out = append(out, s.ID)
		}
	}
	return out
}

// baseSpec is a hello of the version offering suites, with the version's groups (and key
// shares for x25519 and secp256r1 in TLS 1.3).
func (vs *versionScan) baseSpec(suites []uint16) helloSpec {
	spec := helloSpec{suites: suites, groups: ecGroupsTLS12()}
	if vs.v == TLS13 {
		spec.groups = groupsTLS13()
		spec.shares, _ = newKeyShares(groupX25519, groupSecp256r1)
	}
	return spec
}

// wantsRest reports whether a probe offering suites should read past the ServerHello:
// for the certificate (until one is seen) and for the DHE prime (until one is seen).
func (vs *versionScan) wantsRest(suites []uint16) bool {
	if vs.v == TLS13 {
		return false
	}
	if vs.certs == nil {
		return true
	}
	return vs.res.DHBits == 0 && slices.ContainsFunc(suites, func(id uint16) bool {
		s, _ := SuiteByID(id)
		return s.Kex == "DHE"
	})
}

// scanChunk offers the suites of one chunk, removing the one the server picks each time,
// until it refuses: the accepted suites of the chunk, in the order picked. It returns
// false when the version is settled (refused with protocol_version, answered with another
// version, or a probe failed).
func (vs *versionScan) scanChunk(ctx context.Context, chunk []uint16) bool {
	offer := slices.Clone(chunk)
	accepted := 0
	defer func() {
		if accepted > 0 {
			vs.fromChunks++
		}
	}()
	for len(offer) > 0 {
		r, ok := vs.probe(ctx, vs.baseSpec(offer), vs.wantsRest(offer))
		switch {
		case !ok:
			return false
		case r.closed:
			return true
		case r.err != nil:
			return false
		case r.f.hello == nil:
			return vs.refused(r.f.alert)
		}
		sh := r.f.hello
		if sh.version != vs.v {
			vs.res.AnsweredWith = sh.version
			return false
		}
		if !slices.Contains(offer, sh.suite) {
			vs.lines = append(vs.lines, "  (the server chose a suite that was not offered: the version's scan stops)")
			return false
		}
		if sh.hrr && vs.v != TLS13 {
			vs.lines = append(vs.lines, "  (a HelloRetryRequest to a hello below TLS 1.3: the version's scan stops)")
			return false
		}
		vs.accept(r.f)
		accepted++
		offer = slices.DeleteFunc(offer, func(id uint16) bool { return id == sh.suite })
	}
	return true
}

// refused records an alert that refused a hello; it returns false for protocol_version,
// which settles the version.
func (vs *versionScan) refused(a *alertError) bool {
	switch a.desc {
	case alertProtocolVersion:
		vs.sawProtocolVersion = true
		return false
	case alertHandshakeFailure, alertInsufficientSecurity:
		vs.sawHandshakeFailure = true
	}
	return true
}

// accept records a ServerHello that picked an offered suite.
func (vs *versionScan) accept(f *flight) {
	sh := f.hello
	s, _ := SuiteByID(sh.suite)
	if usableAt(s, vs.v) {
		vs.res.Suites = append(vs.res.Suites, sh.suite)
	} else {
		vs.res.Unusable = append(vs.res.Unusable, sh.suite)
	}
	for _, x := range sh.extensions {
		if !slices.Contains(vs.res.Extensions, x) {
			vs.res.Extensions = append(vs.res.Extensions, x)
		}
	}
	slices.Sort(vs.res.Extensions)
	if vs.certs == nil && len(f.certs) > 0 {
		vs.certs = f.certs
	}
	if b := f.kx.dhBits; b > 0 && (vs.res.DHBits == 0 || b < vs.res.DHBits) {
		vs.res.DHBits = b
	}
}
