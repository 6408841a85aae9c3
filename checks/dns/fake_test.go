package dns

import (
	"ecscan/checks/checktest"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"

	miekg "github.com/miekg/dns"
)

// startFake runs h as a DNS server on 127.0.0.1, over UDP and TCP on the same port (as
// miekg/dns's server_test.go RunLocalUDPServer does, for both), until the test ends.
func startFake(t *testing.T, h miekg.Handler) netip.AddrPort {
	t.Helper()
	for range 20 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		pc, err := net.ListenPacket("udp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			l.Close() // the UDP port is taken: try another
			continue
		}
		serve(t, &miekg.Server{Listener: l, Handler: h})
		serve(t, &miekg.Server{PacketConn: pc, Handler: h})
		return netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(port))
	}
	t.Fatal("no free port for UDP and TCP on 127.0.0.1")
	return netip.AddrPort{}
}

func serve(t *testing.T, srv *miekg.Server) {
	started := make(chan struct{})
	srv.NotifyStartedFunc = func() { close(started) }
	go srv.ActivateAndServe()
	<-started
	t.Cleanup(func() { srv.Shutdown() })
}

// closedPort returns a loopback address where nothing listens (UDP or TCP).
func closedPort(t *testing.T) netip.AddrPort {
	t.Helper()
	return checktest.ClosedUDPPort(t)
}

// zone is a zone's records as a fake server holds them; sigs are RRSIGs, served with DO.
type zone struct {
	origin string
	rrs    []miekg.RR
	sigs   []miekg.RR
}

// parseZone reads zone-file text.
func parseZone(t *testing.T, origin, text string) *zone {
	t.Helper()
	z := &zone{origin: canonical(origin)}
	zp := miekg.NewZoneParser(strings.NewReader(text), z.origin, "")
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		z.rrs = append(z.rrs, rr)
	}
	if err := zp.Err(); err != nil {
		t.Fatalf("zone %s: %v", origin, err)
	}
	return z
}

func (z *zone) soa() miekg.RR {
	for _, rr := range z.rrs {
		if rr.Header().Rrtype == miekg.TypeSOA {
			return rr
		}
	}
	panic("zone without SOA: " + z.origin)
}

// lookup answers a question from the zone, following CNAMEs within it.
func (z *zone) lookup(name string, qtype uint16, do bool) (rcode int, ans, auth []miekg.RR) {
	name = canonical(name)
	for range maxChain {
		exists, cname := false, ""
		for _, rr := range z.rrs {
			h := rr.Header()
			if canonical(h.Name) != name && !strings.HasSuffix(canonical(h.Name), "."+name) {
				continue
			}
			exists = true
			if canonical(h.Name) != name {
				continue
			}
			if h.Rrtype == qtype {
				ans = append(ans, rr)
			} else if c, ok := rr.(*miekg.CNAME); ok {
				ans, cname = append(ans, rr), canonical(c.Target)
			}
		}
		if do {
			ans = append(ans, z.sigsFor(name, qtype)...)
		}
		switch {
		case !exists:
			return miekg.RcodeNameError, ans, []miekg.RR{z.soa()}
		case cname != "" && within(cname, z.origin) && qtype != miekg.TypeCNAME:
			name = cname
			continue
		case len(ans) == 0:
			return miekg.RcodeSuccess, nil, []miekg.RR{z.soa()}
		}
		return miekg.RcodeSuccess, ans, nil
	}
	return miekg.RcodeServerFailure, nil, nil
}

func (z *zone) sigsFor(name string, qtype uint16) []miekg.RR {
	var out []miekg.RR
	for _, rr := range z.sigs {
		if s := rr.(*miekg.RRSIG); canonical(s.Hdr.Name) == name && s.TypeCovered == qtype {
			out = append(out, rr)
		}
	}
	return out
}

// world is every zone of the tests' little Internet.
type world []*zone

// find returns the zone name lies in (the longest origin), or nil.
func (w world) find(name string) *zone {
	var best *zone
	for _, z := range w {
		if within(name, z.origin) && (best == nil || len(z.origin) > len(best.origin)) {
			best = z
		}
	}
	return best
}

// fakeNS is an authoritative server for some zones of a world; it recurses for other
// names when recursion is set, and hands out transfers when axfr is set.
type fakeNS struct {
	world     world
	zones     []string // the origins it serves
	recursion bool     // answer names outside its zones, with RA (an open resolver)
	resolver  bool     // a recursive resolver: RA on everything, never AA
	axfr      bool
	servfail  string // a name answered with SERVFAIL
	queries   atomic.Int64
}

// ServeDNS answers one query.
func (f *fakeNS) ServeDNS(w miekg.ResponseWriter, r *miekg.Msg) {
	f.queries.Add(1)
	m := new(miekg.Msg)
	m.SetReply(r)
	if len(r.Question) != 1 {
		m.Rcode = miekg.RcodeFormatError
		w.WriteMsg(m)
		return
	}
	q := r.Question[0]
	if q.Qtype == miekg.TypeAXFR {
		f.transfer(w, m, q.Name)
		return
	}
	do := r.IsEdns0() != nil && r.IsEdns0().Do()
	z := f.world.find(q.Name)
	own := z != nil && f.serves(z.origin)
	m.RecursionAvailable = f.resolver || f.recursion
	switch {
	case f.servfail != "" && canonical(q.Name) == canonical(f.servfail):
		m.Rcode = miekg.RcodeServerFailure
	case own && !f.resolver:
		m.Authoritative = true
		m.Rcode, m.Answer, m.Ns = z.lookup(q.Name, q.Qtype, do)
	case (f.resolver || f.recursion && r.RecursionDesired) && z != nil:
		m.Rcode, m.Answer, m.Ns = z.lookup(q.Name, q.Qtype, do)
	case f.resolver || f.recursion && r.RecursionDesired:
		m.Rcode = miekg.RcodeNameError
	default:
		m.Rcode = miekg.RcodeRefused
	}
	if w.LocalAddr().Network() == "udp" {
		size := miekg.MinMsgSize
		if o := r.IsEdns0(); o != nil {
			size = int(o.UDPSize())
		}
		m.Truncate(size)
	}
	w.WriteMsg(m)
}

func (f *fakeNS) serves(origin string) bool {
	for _, o := range f.zones {
		if canonical(o) == origin {
			return true
		}
	}
	return false
}

// transfer sends the zone in two messages (SOA, records…, SOA), or REFUSED.
func (f *fakeNS) transfer(w miekg.ResponseWriter, m *miekg.Msg, name string) {
	z := f.world.find(name)
	if !f.axfr || z == nil || !f.serves(z.origin) || z.origin != canonical(name) {
		m.Rcode = miekg.RcodeRefused
		w.WriteMsg(m)
		return
	}
	var body []miekg.RR
	for _, rr := range z.rrs {
		if rr.Header().Rrtype != miekg.TypeSOA {
			body = append(body, rr)
		}
	}
	half := len(body) / 2
	m.Answer = append([]miekg.RR{z.soa()}, body[:half]...)
	w.WriteMsg(m)
	m2 := m.Copy()
	m2.Answer = append(append([]miekg.RR{}, body[half:]...), z.soa())
	w.WriteMsg(m2)
}

// silentServer accepts queries over UDP and TCP and never answers.
func silentServer(t *testing.T) netip.AddrPort {
	t.Helper()
	return rawServer(t, func([]byte) []byte { return nil }, func(c net.Conn) {
		io.Copy(io.Discard, c) // read and never answer, until the client gives up
	})
}

// rawServer answers UDP datagrams with udp(query) (nil: no answer) and hands TCP
// connections to tcp, on the same port of 127.0.0.1.
func rawServer(t *testing.T, udp func(q []byte) []byte, tcp func(net.Conn)) netip.AddrPort {
	t.Helper()
	for range 20 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		pc, err := net.ListenPacket("udp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			l.Close()
			continue
		}
		t.Cleanup(func() { l.Close(); pc.Close() })
		go func() {
			buf := make([]byte, 65535)
			for {
				n, from, err := pc.ReadFrom(buf)
				if err != nil {
					return
				}
				if out := udp(buf[:n]); out != nil {
					pc.WriteTo(out, from)
				}
			}
		}()
		go func() {
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				go func() { defer c.Close(); tcp(c) }()
			}
		}()
		return netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(port))
	}
	t.Fatal("no free port for UDP and TCP on 127.0.0.1")
	return netip.AddrPort{}
}
