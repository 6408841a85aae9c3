package dns

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"time"

	miekg "github.com/miekg/dns"

	"ecscan/checks"
)

// Bounds of a zone transfer: the records kept as evidence, and how much of a transfer is
// read at all (enough to prove the zone is handed out, not the whole of a large zone).
const (
	axfrKeep        = 25
	axfrMaxRecords  = 5000
	axfrMaxMessages = 500
	axfrTimeouts    = 3 // the whole transfer gets this many timeouts
)

// transfer is one AXFR attempt at one server.
type transfer struct {
	id       string
	zone     string
	server   netip.AddrPort
	at       time.Time
	rcode    int        // the first message's rcode; -1 when no message came
	records  []miekg.RR // the first axfrKeep records
	count    int        // records received (capped by axfrMaxRecords)
	complete bool       // the transfer ended with the closing SOA
	capped   bool       // reading stopped at a bound before the end
	err      error
}

// gotZone reports whether the server handed out zone data.
func (t *transfer) gotZone() bool { return t.count > 0 }

// axfr asks server for a transfer of zone over a TCP connection from the dialer, reading
// messages until the closing SOA, an error or a bound.
func (q *querier) axfr(ctx context.Context, server netip.AddrPort, zone string) *transfer {
	t := &transfer{zone: miekg.Fqdn(zone), server: server, at: q.now(), rcode: -1}
	ctx, cancel := context.WithTimeout(ctx, axfrTimeouts*q.timeout)
	defer cancel()
	c, err := q.dialer.DialContext(ctx, "tcp", server.String())
	if err != nil {
		t.err = fmt.Errorf("dns: AXFR %s @%s: %w", t.zone, server, err)
		return t
	}
	defer c.Close()
	stop := deadlineFrom(ctx, c)
	defer stop()
	m := new(miekg.Msg)
	m.SetAxfr(t.zone)
	if err := writeTCPMsg(c, m); err != nil {
		t.err = fmt.Errorf("dns: AXFR %s @%s: %w", t.zone, server, ctxErr(ctx, err))
		return t
	}
	for i := 0; i < axfrMaxMessages && !t.complete; i++ {
		r, err := readTCPMsg(c)
		if err == nil && r.Id != m.Id {
			err = checks.Protocolf("reply ID %d, asked with ID %d", r.Id, m.Id)
		}
		if err != nil {
			t.err = fmt.Errorf("dns: AXFR %s @%s after %d records: %w", t.zone, server, t.count, ctxErr(ctx, err))
			return t
		}
		if !t.take(r) {
			return t
		}
	}
	t.capped = !t.complete
	return t
}

// take adds one message of the transfer; false ends the transfer.
func (t *transfer) take(r *miekg.Msg) bool {
	if t.rcode < 0 {
		t.rcode = r.Rcode
		if r.Rcode != miekg.RcodeSuccess {
			return false
		}
		if len(r.Answer) == 0 {
			return false // an empty NOERROR: some servers refuse this way
		}
		if soa, ok := r.Answer[0].(*miekg.SOA); !ok || !strings.EqualFold(soa.Hdr.Name, t.zone) {
			t.err = checks.Protocolf("dns: AXFR %s @%s: the transfer does not start with the zone's SOA", t.zone, t.server)
			return false
		}
	} else if r.Rcode != miekg.RcodeSuccess {
		t.err = checks.Protocolf("dns: AXFR %s @%s: %s after %d records", t.zone, t.server, rcodeName(r.Rcode), t.count)
		return false
	}
	for _, rr := range r.Answer {
		if len(t.records) < axfrKeep {
			t.records = append(t.records, rr)
		}
		t.count++
		if t.count > 1 && rr.Header().Rrtype == miekg.TypeSOA {
			t.complete = true
			return false
		}
		if t.count >= axfrMaxRecords {
			t.capped = true
			return false
		}
	}
	return true
}

// evidence writes the transfer as the request, the outcome and the first records.
func (t *transfer) evidence() checks.Evidence {
	var b strings.Builder
	fmt.Fprintf(&b, ";; query: %s IN AXFR to %s over tcp\n", t.zone, t.server)
	if t.rcode >= 0 {
		b.WriteString(";; reply: ")
	} else {
		b.WriteString(";; ")
	}
	b.WriteString(t.outcome() + "\n")
	writeRecords(&b, t.records, t.count, axfrKeep)
	return checks.Evidence{
		ID:    t.id,
		Kind:  "dns",
		Time:  t.at,
		Title: fmt.Sprintf("%s AXFR @%s", t.zone, t.server),
		Data:  b.String(),
	}
}

// countText says how many records came and whether that was all of the zone.
func (t *transfer) countText() string {
	switch {
	case t.complete:
		return fmt.Sprintf("%d records, complete (ended with the SOA)", t.count)
	case t.capped:
		return fmt.Sprintf("at least %d records (reading stopped at the bound)", t.count)
	}
	return fmt.Sprintf("%d records, incomplete", t.count)
}

// outcome says in one line how the transfer ended.
func (t *transfer) outcome() string {
	var s string
	switch {
	case t.rcode < 0:
		return fmt.Sprintf("no usable reply: %v", t.err)
	case t.count == 0:
		s = rcodeName(t.rcode) + ", no records"
	default:
		s = rcodeName(t.rcode) + ", " + t.countText()
	}
	if t.err != nil {
		s += fmt.Sprintf("; error: %v", t.err)
	}
	return s
}
