package dns

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"time"

	miekg "github.com/miekg/dns"

	"ecscan/checks"
)

// DefaultTimeout bounds one DNS exchange when the configuration leaves the timeout at
// zero; a zone transfer gets three times the timeout in all.
const DefaultTimeout = 5 * time.Second

const (
	headerLen  = 12   // a DNS message header
	udpSize    = 1232 // the EDNS0 buffer size we announce (DNS flag day 2020)
	maxStrays  = 16   // UDP datagrams with a foreign ID read before giving up
	maxMsgSize = 65535
)

// querier asks DNS questions through the scan's dialer: over UDP after taking the
// dialer's slots (Acquire), over TCP through its DialContext, every exchange under a
// deadline and every read bounded to one DNS message (64 KiB at most).
type querier struct {
	dialer  *checks.Dialer
	timeout time.Duration
	now     func() time.Time
}

func newQuerier(d *checks.Dialer, timeout time.Duration, now func() time.Time) *querier {
	if d == nil {
		d = checks.NewDialer(checks.DefaultLimits(), netip.Addr{})
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	if now == nil {
		now = time.Now
	}
	return &querier{dialer: d, timeout: timeout, now: now}
}

// answer is one question asked of one server and what came back: the observation the
// evaluations work from. msg is nil when err is set.
type answer struct {
	id     string // the local evidence ID
	name   string // the question's name, fully qualified
	qtype  uint16
	server netip.AddrPort
	rd, do bool
	tcp    bool // the reply came over TCP (asked over TCP, or retried after truncation)
	msg    *miekg.Msg
	err    error
	at     time.Time
}

// ok reports whether the server replied with NOERROR or NXDOMAIN: an answer a finding
// can be drawn from.
func (a *answer) ok() bool {
	return a != nil && a.err == nil && (a.msg.Rcode == miekg.RcodeSuccess || a.msg.Rcode == miekg.RcodeNameError)
}

// rcode names the reply's rcode, or "" without a reply.
func (a *answer) rcode() string {
	if a == nil || a.msg == nil {
		return ""
	}
	return rcodeName(a.msg.Rcode)
}

func rcodeName(rc int) string {
	if s, ok := miekg.RcodeToString[rc]; ok {
		return s
	}
	return fmt.Sprintf("RCODE%d", rc)
}

// ask sends one question to server over UDP, retrying over TCP when the reply is
// truncated. The answer always comes back; a failure is in its err (the network's error,
// which names the addresses, or a protocol error).
func (q *querier) ask(ctx context.Context, server netip.AddrPort, name string, qtype uint16, rd, do bool) *answer {
	a := &answer{name: miekg.Fqdn(name), qtype: qtype, server: server, rd: rd, do: do, at: q.now()}
	m := question(a.name, qtype, rd, do)
	a.msg, a.err = q.exchangeUDP(ctx, server, m)
	if a.err == nil && a.msg.Truncated {
		a.tcp = true
		a.msg, a.err = q.exchangeTCP(ctx, server, m)
	}
	if a.err == nil {
		a.err = checkReply(m, a.msg)
	}
	if a.err != nil {
		a.msg = nil
	}
	return a
}

// describe says what was asked of whom, to give an error its context.
func (a *answer) describe() string {
	return fmt.Sprintf("%s %s @%s", a.name, typeName(a.qtype), a.server)
}

// question builds a query with EDNS0 (buffer udpSize, DO as asked).
func question(name string, qtype uint16, rd, do bool) *miekg.Msg {
	m := new(miekg.Msg)
	m.SetQuestion(name, qtype)
	m.RecursionDesired = rd
	m.SetEdns0(udpSize, do)
	return m
}

// checkReply rejects a reply that is not a response to the question asked.
func checkReply(q, r *miekg.Msg) error {
	if !r.Response {
		return checks.Protocolf("reply without the QR bit")
	}
	if len(r.Question) == 0 {
		return nil // some servers (REFUSED, FORMERR) send the header only
	}
	got, want := r.Question[0], q.Question[0]
	if !strings.EqualFold(got.Name, want.Name) || got.Qtype != want.Qtype {
		return checks.Protocolf("reply for %s %s, asked %s %s", got.Name, miekg.TypeToString[got.Qtype], want.Name, miekg.TypeToString[want.Qtype])
	}
	return nil
}

// exchangeUDP sends m in one datagram and reads replies until one carries m's ID.
func (q *querier) exchangeUDP(ctx context.Context, server netip.AddrPort, m *miekg.Msg) (*miekg.Msg, error) {
	release, err := q.dialer.Acquire(ctx, server.Addr())
	if err != nil {
		return nil, err
	}
	defer release()
	ctx, cancel := context.WithTimeout(ctx, q.timeout)
	defer cancel()
	var nd net.Dialer
	if src := q.dialer.Source(); src.IsValid() && src.Is4() == server.Addr().Unmap().Is4() {
		nd.LocalAddr = &net.UDPAddr{IP: src.AsSlice()}
	}
	c, err := nd.DialContext(ctx, "udp", server.String())
	if err != nil {
		return nil, err
	}
	defer c.Close()
	stop := deadlineFrom(ctx, c)
	defer stop()
	out, err := m.Pack()
	if err != nil {
		return nil, err
	}
	if _, err := c.Write(out); err != nil {
		return nil, ctxErr(ctx, err)
	}
	buf := make([]byte, maxMsgSize)
	for range maxStrays {
		n, err := c.Read(buf)
		if err != nil {
			return nil, ctxErr(ctx, err)
		}
		if n >= 2 && binary.BigEndian.Uint16(buf) != m.Id {
			continue // a late reply to an earlier query, or noise
		}
		return unpack(buf[:n])
	}
	return nil, checks.Protocolf("%d datagrams without our query ID", maxStrays)
}

// exchangeTCP sends m over a TCP connection from the dialer and reads one reply.
func (q *querier) exchangeTCP(ctx context.Context, server netip.AddrPort, m *miekg.Msg) (*miekg.Msg, error) {
	ctx, cancel := context.WithTimeout(ctx, q.timeout)
	defer cancel()
	c, err := q.dialer.DialContext(ctx, "tcp", server.String())
	if err != nil {
		return nil, err
	}
	defer c.Close()
	stop := deadlineFrom(ctx, c)
	defer stop()
	if err := writeTCPMsg(c, m); err != nil {
		return nil, ctxErr(ctx, err)
	}
	r, err := readTCPMsg(c)
	if err != nil {
		return nil, ctxErr(ctx, err)
	}
	if r.Id != m.Id {
		return nil, checks.Protocolf("reply ID %d, asked with ID %d", r.Id, m.Id)
	}
	return r, nil
}

// deadlineFrom sets c's deadline to ctx's and cuts c short when ctx is canceled.
func deadlineFrom(ctx context.Context, c net.Conn) (stop func() bool) {
	if d, ok := ctx.Deadline(); ok {
		c.SetDeadline(d)
	}
	return context.AfterFunc(ctx, func() { c.SetDeadline(time.Now()) })
}

// ctxErr prefers the context's error (canceled, deadline) to the I/O error it caused.
func ctxErr(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return fmt.Errorf("%w (%v)", cerr, err)
	}
	return err
}

// writeTCPMsg writes m with its two-byte length prefix (RFC 1035 4.2.2).
func writeTCPMsg(c net.Conn, m *miekg.Msg) error {
	out, err := m.Pack()
	if err != nil {
		return err
	}
	buf := make([]byte, 2+len(out))
	binary.BigEndian.PutUint16(buf, uint16(len(out)))
	copy(buf[2:], out)
	_, err = c.Write(buf)
	return err
}

// readTCPMsg reads one length-prefixed message: at most 64 KiB by construction.
func readTCPMsg(c net.Conn) (*miekg.Msg, error) {
	var n [2]byte
	if _, err := io.ReadFull(c, n[:]); err != nil {
		return nil, err
	}
	size := int(binary.BigEndian.Uint16(n[:]))
	buf := make([]byte, size)
	if _, err := io.ReadFull(c, buf); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return unpack(buf)
}

// unpack parses a reply, turning malformed bytes into a protocol error.
func unpack(b []byte) (*miekg.Msg, error) {
	if len(b) < headerLen {
		return nil, checks.Protocolf("short DNS message (%d bytes)", len(b))
	}
	r := new(miekg.Msg)
	if err := r.Unpack(b); err != nil {
		if r.Truncated && r.Response {
			return r, nil // a truncated datagram cut mid-record: retried over TCP
		}
		return nil, checks.Protocolf("malformed DNS message (%d bytes): %v", len(b), err)
	}
	return r, nil
}
