package ports

import (
	"context"
	"encoding/binary"
	"net"
	"net/netip"
	"slices"
	"time"

	"ecscan/checks"
)

// identBudget bounds one port's identification to this many exchange timeouts, and
// maxSilent stops it after this many probes that met silence (no byte, no close).
const (
	identBudget = 4
	maxSilent   = 2
)

// identifier identifies the service on open ports.
type identifier struct {
	dialer  *checks.Dialer
	timeout time.Duration // one exchange
	ssh     bool          // run the SSH algorithm and auth-method probes
	planFn  func(port int) []probeID
}

// shortWait is how long a port without a server-first hint is given to greet.
func (d *identifier) shortWait() time.Duration { return max(d.timeout/4, time.Millisecond) }

func (d *identifier) dial(ctx context.Context, t checks.Target, port int) (net.Conn, error) {
	return d.dialer.DialContext(ctx, "tcp", netip.AddrPortFrom(t.Addr, uint16(port)).String())
}

// identify finds what speaks on an open port, starting with the scan's connection first
// (which it closes). Probes follow planFor until one is recognised, TLS is found, the
// server stays silent twice, or the budget is spent.
func (d *identifier) identify(ctx context.Context, t checks.Target, port int, first net.Conn) PortObservation {
	po := PortObservation{Port: port, Service: checks.Service{Host: t.Host, Addr: t.Addr, Port: port, Protocol: "unknown"}}
	budget := time.Now().Add(identBudget * d.timeout)
	conn, silent := first, 0
	var lastErr error
	plan := d.plan(port)
	for i := 0; i < len(plan); i++ {
		p := plan[i]
		if conn == nil {
			if time.Now().After(budget) || silent >= maxSilent || ctx.Err() != nil {
				break
			}
			c, err := d.dial(ctx, t, port)
			if err != nil {
				lastErr = err
				break
			}
			conn = c
		}
		wait := d.shortWait()
		if i == 0 && greetPorts[port] {
			wait = d.timeout
		}
		po.Probes = append(po.Probes, p.String())
		m, err := d.probe(ctx, conn, p, &po, wait, t)
		conn.Close()
		conn = nil
		lastErr = err
		if m.proto != "" || po.Service.TLS {
			lastErr = nil
			break
		}
		if m.tlsHint && !slices.Contains(po.Probes, probeTLS.String()) {
			plan = tlsNext(plan, i)
		}
		if err != nil && checks.Classify(err) == checks.StatusTimeout && p != probeBanner {
			silent++
		}
	}
	if conn != nil {
		conn.Close()
	}
	po.Status, po.Error = checks.Classify(lastErr), errString(lastErr)
	if ctx.Err() != nil && po.Service.Protocol == "unknown" {
		po.Status, po.Error = checks.StatusCanceled, "identification interrupted"
	}
	if po.Service.Protocol == "ssh" && d.ssh {
		d.sshProbes(ctx, t, &po)
	}
	return po
}

// plan returns the probes for a port (planFor unless a test set planFn).
func (d *identifier) plan(port int) []probeID {
	if d.planFn != nil {
		return d.planFn(port)
	}
	return planFor(port)
}

// tlsNext moves the TLS probe right after step i of plan (a reply said TLS is spoken).
func tlsNext(plan []probeID, i int) []probeID {
	out := append([]probeID(nil), plan[:i+1]...)
	out = append(out, probeTLS)
	for _, p := range plan[i+1:] {
		if p != probeTLS {
			out = append(out, p)
		}
	}
	return out
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// probe runs one probe on c and, when it recognises the service, fills po; after a clean
// greeting it runs the protocol's follow-up (EHLO, CAPA, CAPABILITY, FEAT, SSH KEXINIT).
func (d *identifier) probe(ctx context.Context, c net.Conn, p probeID, po *PortObservation, wait time.Duration, t checks.Target) (match, error) {
	stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	v := &conv{ctx: ctx, c: c, timeout: d.timeout, tr: &po.Transcript}
	if p == probeTLS {
		return d.tlsProbe(ctx, v, po, t)
	}
	raw, err := d.exchange(v, p, po.Port, wait, t)
	if po.Service.Banner == "" && len(raw) > 0 {
		po.Service.Banner = checks.ValidText(raw[:min(len(raw), maxBanner)])
	}
	m := recognize(raw, p, po.Port)
	switch {
	case p == probeBanner && len(raw) > 0:
		po.greeted = true
	case p == probePG && po.greeted:
		m = match{} // a PostgreSQL server never speaks first: the byte was not its answer
	}
	if m.proto == "" {
		return m, err
	}
	apply(po, m, raw)
	switch {
	case p == probeBanner:
		d.followUp(v, po, raw)
	case p == probeRedis && m.version == "" && string(raw[:min(len(raw), 5)]) == "+PONG":
		redisInfo(v, po)
	}
	return m, nil
}

// exchange sends a probe's request (none for the banner) and reads the reply.
func (d *identifier) exchange(v *conv, p probeID, port int, wait time.Duration, t checks.Target) ([]byte, error) {
	var req []byte
	var label string
	complete := lineReply
	switch p {
	case probeBanner:
		return v.read(wait, lineReply)
	case probeHTTP:
		req, complete = httpRequest(hostHeader(t.Host), port, false), httpReply
	case probePG:
		req, label = pgSSLRequest, "PostgreSQL SSLRequest"
		complete = func(b []byte) bool { return len(b) > 0 && b[0] != 'E' }
	case probeRedis:
		req = []byte("PING\r\n")
	case probeMemcached:
		req = []byte("version\r\n")
	case probeMongo:
		req, label = mongoIsMaster, "MongoDB OP_QUERY {isMaster: 1}"
		complete = framed(4, func(b []byte) int { return int(binary.LittleEndian.Uint32(b)) })
	case probeRDP:
		req, label = rdpConnReq, "RDP X.224 Connection Request"
		complete = framed(4, func(b []byte) int { return int(binary.BigEndian.Uint16(b[2:])) })
	case probeSMB:
		req, label = smbNegotiate, "SMB NEGOTIATE (NT LM 0.12, SMB 2.002, SMB 2.???)"
		complete = framed(4, func(b []byte) int { return 4 + int(binary.BigEndian.Uint32(b)&0xffffff) })
	case probeMSSQL:
		req, label = mssqlPrelogin, "TDS PRELOGIN"
		complete = framed(4, func(b []byte) int { return int(binary.BigEndian.Uint16(b[2:])) })
	case probeRPC:
		prog, vers := uint32(100000), uint32(2)
		if port == 2049 {
			prog, vers = 100003, 3
		}
		req, label = rpcNullCall(prog, vers), "ONC RPC NULL call"
		complete = framed(4, func(b []byte) int { return 4 + int(binary.BigEndian.Uint32(b)&0x7fffffff) })
	case probeDNS:
		req, label = dnsVersionQuery, "DNS query: version.bind TXT CH"
		complete = framed(2, func(b []byte) int { return 2 + int(binary.BigEndian.Uint16(b)) })
	}
	if err := v.send(req, label); err != nil {
		return nil, err
	}
	return v.read(v.timeout, complete)
}

// apply records a recognised service in po. The banner is the reply as it came, bounded
// (for HTTP, the response head).
func apply(po *PortObservation, m match, raw []byte) {
	s := &po.Service
	s.Protocol = m.proto
	s.Product, s.Version = m.product, m.version
	s.StartTLS = s.StartTLS || m.startTLS
	if m.http != nil {
		po.HTTP = m.http
		raw, _ = splitHTTP(raw)
	}
	s.Banner = checks.ValidText(raw[:min(len(raw), maxBanner)])
}
