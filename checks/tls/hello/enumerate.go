package hello

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"sync"
	"time"

	"ecscan/checks"
)

// DialFunc opens a fresh connection to the server (STARTTLS already done when the service
// needs it). Every probe of Enumerate gets its connection from it, so the caller's limits
// (checks.Dialer) hold.
type DialFunc func(ctx context.Context) (net.Conn, error)

// Options tune Enumerate. The zero value asks for every version with the defaults.
type Options struct {
	ServerName        string        // SNI; none when empty or an IP address
	Timeout           time.Duration // per probe, dial included (default 10 s)
	MaxSuitesPerHello int           // suites in one hello, at most 128 (default 128)
	Versions          []Version     // which to test (default all six)
	Parallel          int           // versions probed at once (default 1)
}

// DefaultTimeout is the per-probe timeout when Options.Timeout is zero.
const DefaultTimeout = 10 * time.Second

// maxSuitesPerHello is the most suites one hello offers.
const maxSuitesPerHello = 128

func (o Options) withDefaults() (Options, error) {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxSuitesPerHello <= 0 || o.MaxSuitesPerHello > maxSuitesPerHello {
		o.MaxSuitesPerHello = maxSuitesPerHello
	}
	if len(o.Versions) == 0 {
		o.Versions = AllVersions()
	}
	for _, v := range o.Versions {
		if !v.known() {
			return o, fmt.Errorf("tls hello: unknown version %s", v)
		}
	}
	o.Versions = slices.Compact(slices.SortedFunc(slices.Values(o.Versions), func(a, b Version) int { return b.rank() - a.rank() }))
	o.Parallel = max(o.Parallel, 1)
	return o, nil
}

// Enumeration is what Enumerate found out about one endpoint.
type Enumeration struct {
	// Versions holds a result for every version tested.
	Versions map[Version]*VersionResult `json:"versions"`
	// Certificates as sent (DER), from the first handshake that showed them in clear, the
	// highest version first (TLS ≤ 1.2, else SSLv2); nil if only TLS 1.3 answered.
	Certificates [][]byte `json:"certificates,omitempty"`
	// Transcript has one line per probe: what was offered and what came back.
	Transcript []string `json:"transcript"`
}

// VersionResult is what the probes of one version found.
type VersionResult struct {
	// Offered: the server negotiated this version with a usable suite.
	Offered bool `json:"offered"`
	// NoUsableSuite: the server takes the version but none of the offered suites (only
	// handshake_failure or insufficient_security alerts, never protocol_version, while a
	// higher version is offered; not for SSLv3, which servers refuse with
	// handshake_failure), or only suites that cannot work at this version (see Unusable);
	// for SSLv2, a SERVER-HELLO without cipher kinds or a NO-CIPHER-ERROR.
	NoUsableSuite bool `json:"no_usable_suite,omitempty"`
	// AnsweredWith is the version of a ServerHello that answered a hello for this version
	// with another version: a higher one (the server ignores the client's maximum) or a
	// lower one (it does not speak this version and offered its best). Offered is then
	// false.
	AnsweredWith Version `json:"answered_with,omitempty"`
	// Suites are the suites accepted at this version: in the server's preference order
	// when ServerOrder is true, else in the order ecscan offers them.
	Suites []uint16 `json:"suites,omitempty"`
	// Unusable are suites the server picked that cannot be negotiated at this version (an
	// AEAD suite in a TLS 1.0 hello, a TLS 1.3 suite in a TLS 1.2 one).
	Unusable []uint16 `json:"unusable,omitempty"`
	// SSLv2Ciphers are the SSLv2 cipher kinds of the SERVER-HELLO.
	SSLv2Ciphers []uint32 `json:"sslv2_ciphers,omitempty"`
	// ServerOrder: offered two accepted suites in both orders, the server picked the same
	// (false too when fewer than two suites are accepted).
	ServerOrder bool `json:"server_order,omitempty"`
	// Preferred is the suite the server picks when offered all of them (in ecscan's order,
	// strongest first, which a server that follows the client's order follows too).
	Preferred uint16 `json:"preferred,omitempty"`
	// Groups are the named groups the server accepts, probed one at a time: ECDHE curves
	// at TLS 1.2 (confirmed by the ServerKeyExchange), key exchange groups at TLS 1.3
	// (confirmed by the ServerHello's key_share or the HelloRetryRequest's selection).
	Groups []uint16 `json:"groups,omitempty"`
	// DHBits is the smallest DHE prime the ServerKeyExchanges showed, in bits.
	DHBits int `json:"dh_bits,omitempty"`
	// Extensions are the extension types the server's ServerHellos carried (secure
	// renegotiation 0xff01, extended master secret 23, heartbeat 15, …), sorted.
	Extensions []uint16 `json:"extensions,omitempty"`
	// Status is checks.StatusOK when every probe of the version got an answer (a
	// ServerHello, an alert, a closed connection); otherwise the class of the first failure
	// (timeout, reset, protocol-error, canceled, …), which cut the version's scan short:
	// the result is then incomplete, and a version not Offered is not shown to be off.
	Status checks.Status `json:"status"`
	// Error is the first failure's message, when Status is not ok.
	Error string `json:"error,omitempty"`
}

// Enumerate finds the versions, suites, preference order, groups and certificates of one
// TLS (or SSL) endpoint by sending hand-built hellos on fresh connections from dial, one
// probe after another (Options.Parallel versions at once). No handshake is completed.
//
// It returns an error when the options are invalid, when ctx ended (with what was found
// so far), or when no probe got an answer (the first probe's error, with what was found:
// the transcript); errors classify with checks.Classify (timeout, reset, protocol-error,
// canceled, refused). Failures after the server has answered are not errors: they mark
// the versions they cut short (VersionResult.Status).
func Enumerate(ctx context.Context, dial DialFunc, opts Options) (*Enumeration, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	e := &enumerator{dial: dial, opts: opts}
	scans := make([]*versionScan, len(opts.Versions))
	sem := make(chan struct{}, opts.Parallel)
	var wg sync.WaitGroup
	for i, v := range opts.Versions {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			scans[i] = e.scanVersion(ctx, v)
		})
	}
	wg.Wait()
	en := assemble(scans)
	switch {
	case ctx.Err() != nil:
		return en, ctx.Err()
	case e.flights == 0 && e.firstErr != nil:
		return en, e.firstErr
	case e.flights == 0:
		return en, errors.New("tls hello: no probe ran")
	}
	return en, nil
}
