package dns

import (
	"context"
	"encoding/binary"
	"io"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	miekg "github.com/miekg/dns"

	"ecscan/checks"
)

func testQuerier(timeout time.Duration) *querier {
	return newQuerier(checks.NewDialer(checks.DefaultLimits(), netip.Addr{}), timeout, nil)
}

// reply builds a wire reply to query q with fn applied to the parsed message.
func reply(q []byte, fn func(m *miekg.Msg)) []byte {
	var in miekg.Msg
	if err := in.Unpack(q); err != nil {
		return nil
	}
	m := new(miekg.Msg)
	m.SetReply(&in)
	fn(m)
	b, _ := m.Pack()
	return b
}

func aRecord(name, ip string) miekg.RR {
	rr, err := miekg.NewRR(name + " 60 IN A " + ip)
	if err != nil {
		panic(err)
	}
	return rr
}

func TestAskMalformedReplies(t *testing.T) {
	tests := []struct {
		name string
		udp  func(q []byte) []byte
		want checks.Status
	}{
		{"short message", func(q []byte) []byte { return q[:5] }, checks.StatusProtocolError},
		{"claims records it lacks", garbageReply, checks.StatusProtocolError},
		{"no QR bit", func(q []byte) []byte { return reply(q, func(m *miekg.Msg) { m.Response = false }) }, checks.StatusProtocolError},
		{"another question", func(q []byte) []byte {
			return reply(q, func(m *miekg.Msg) { m.Question[0].Name = "evil.test." })
		}, checks.StatusProtocolError},
		{"only strays", func(q []byte) []byte {
			return reply(q, func(m *miekg.Msg) { m.Id++ })
		}, checks.StatusTimeout},
		{"no answer at all", func([]byte) []byte { return nil }, checks.StatusTimeout},
		{"a good reply", func(q []byte) []byte {
			return reply(q, func(m *miekg.Msg) { m.Answer = []miekg.RR{aRecord("x.test.", "192.0.2.1")} })
		}, checks.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := rawServer(t, tt.udp, func(net.Conn) {})
			a := testQuerier(300*time.Millisecond).ask(context.Background(), srv, "x.test", miekg.TypeA, true, false)
			if got := checks.Classify(a.err); got != tt.want {
				t.Errorf("got status %s (%v), want %s", got, a.err, tt.want)
			}
			if (a.msg == nil) != (a.err != nil) {
				t.Errorf("got msg %v with err %v: want exactly one", a.msg != nil, a.err)
			}
			if e := a.evidence(); !strings.Contains(e.Data, ";; query: x.test. IN A to "+srv.String()) {
				t.Errorf("evidence lacks the query:\n%s", e.Data)
			}
		})
	}
}

// udpOnce serves one UDP query on 127.0.0.1 with serve, and returns the address.
func udpOnce(t *testing.T, serve func(pc net.PacketConn, q []byte, from *net.UDPAddr)) netip.AddrPort {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 512)
		n, from, err := pc.ReadFrom(buf)
		if err == nil {
			serve(pc, buf[:n], from.(*net.UDPAddr))
		}
	}()
	return netip.MustParseAddrPort(pc.LocalAddr().String())
}

func TestAskStrayThenReply(t *testing.T) {
	srv := udpOnce(t, func(pc net.PacketConn, q []byte, from *net.UDPAddr) {
		pc.WriteTo(reply(q, func(m *miekg.Msg) { m.Id++ }), from)
		pc.WriteTo(reply(q, func(m *miekg.Msg) { m.Answer = []miekg.RR{aRecord("x.test.", "192.0.2.7")} }), from)
	})
	a := testQuerier(5*time.Second).ask(context.Background(), srv, "x.test", miekg.TypeA, true, false)
	if a.err != nil {
		t.Fatal(a.err)
	}
	if got := addresses(a); len(got) != 1 || got[0].String() != "192.0.2.7" {
		t.Errorf("got %v, want [192.0.2.7]", got)
	}
}

func TestAskTruncatedRetriesOverTCP(t *testing.T) {
	var many []miekg.RR
	for i := range 200 {
		many = append(many, aRecord("big.test.", netip.AddrFrom4([4]byte{192, 0, 2, byte(i)}).String()))
	}
	srv := startFake(t, miekg.HandlerFunc(func(w miekg.ResponseWriter, r *miekg.Msg) {
		m := new(miekg.Msg)
		m.SetReply(r)
		m.Answer = many
		if w.LocalAddr().Network() == "udp" {
			m.Truncate(int(r.IsEdns0().UDPSize()))
		}
		w.WriteMsg(m)
	}))
	a := testQuerier(5*time.Second).ask(context.Background(), srv, "big.test", miekg.TypeA, true, false)
	if a.err != nil {
		t.Fatal(a.err)
	}
	if !a.tcp || len(addresses(a)) != 200 {
		t.Errorf("got tcp %v and %d addresses, want the 200 over TCP", a.tcp, len(addresses(a)))
	}
	ev := a.evidence().Data
	for _, want := range []string{"truncated, retried over tcp", "answer 200", "… 170 more records not shown"} {
		if !strings.Contains(ev, want) {
			t.Errorf("evidence lacks %q:\n%s", want, ev)
		}
	}
}

func TestAskTCPFailures(t *testing.T) {
	tests := []struct {
		name string
		tcp  func(c net.Conn)
		want checks.Status
	}{
		{"closes at once", func(c net.Conn) {}, checks.StatusReset},
		{"promises 64 KiB, sends 3 bytes", func(c net.Conn) { c.Write([]byte{0xff, 0xff, 1, 2, 3}) }, checks.StatusReset},
		{"garbage", garbageTCP, checks.StatusProtocolError},
		{"never answers", func(c net.Conn) { io.Copy(io.Discard, c) }, checks.StatusTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			truncated := func(q []byte) []byte { return reply(q, func(m *miekg.Msg) { m.Truncated = true }) }
			srv := rawServer(t, truncated, tt.tcp)
			a := testQuerier(300*time.Millisecond).ask(context.Background(), srv, "x.test", miekg.TypeA, true, false)
			if got := checks.Classify(a.err); got != tt.want || !a.tcp {
				t.Errorf("got status %s (%v), tcp %v; want %s over tcp", got, a.err, a.tcp, tt.want)
			}
		})
	}
}

func TestAskFromSourceAddress(t *testing.T) {
	src := netip.MustParseAddr("127.0.99.1")
	probe, err := net.ListenPacket("udp", src.String()+":0")
	if err != nil {
		t.Skipf("cannot bind %s here: %v", src, err)
	}
	probe.Close()
	from := make(chan string, 1)
	srv := udpOnce(t, func(pc net.PacketConn, q []byte, addr *net.UDPAddr) {
		from <- addr.IP.String()
		pc.WriteTo(reply(q, func(*miekg.Msg) {}), addr)
	})
	q := newQuerier(checks.NewDialer(checks.DefaultLimits(), src), 5*time.Second, nil)
	if a := q.ask(context.Background(), srv, "x.test", miekg.TypeA, true, false); a.err != nil {
		t.Fatal(a.err)
	}
	if got := <-from; got != src.String() {
		t.Errorf("query came from %s, want %s", got, src)
	}
}

func TestAskCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	a := testQuerier(5*time.Second).ask(ctx, silentServer(t), "x.test", miekg.TypeA, true, false)
	if got := checks.Classify(a.err); got != checks.StatusCanceled {
		t.Errorf("got %s (%v), want canceled", got, a.err)
	}
}

// tcpMsg writes m with its length prefix.
func tcpMsg(c net.Conn, m *miekg.Msg) error {
	b, err := m.Pack()
	if err != nil {
		return err
	}
	_, err = c.Write(append(binary.BigEndian.AppendUint16(nil, uint16(len(b))), b...))
	return err
}
