package dns

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	miekg "github.com/miekg/dns"

	"ecscan/checks"
)

// readQuery reads one length-prefixed query from c.
func readQuery(c net.Conn) *miekg.Msg {
	var n [2]byte
	if _, err := io.ReadFull(c, n[:]); err != nil {
		return nil
	}
	b := make([]byte, binary.BigEndian.Uint16(n[:]))
	if _, err := io.ReadFull(c, b); err != nil {
		return nil
	}
	m := new(miekg.Msg)
	if m.Unpack(b) != nil {
		return nil
	}
	return m
}

func testSOA() miekg.RR {
	rr, _ := miekg.NewRR("z.test. 60 IN SOA ns.z.test. h.z.test. 7 60 60 60 60")
	return rr
}

// axfrServer reads a query and hands it to send, which writes the transfer.
func axfrServer(send func(c net.Conn, q *miekg.Msg)) func(net.Conn) {
	return func(c net.Conn) {
		if q := readQuery(c); q != nil {
			send(c, q)
		}
	}
}

func answerWith(q *miekg.Msg, rcode int, rrs ...miekg.RR) *miekg.Msg {
	m := new(miekg.Msg)
	m.SetReply(q)
	m.Rcode = rcode
	m.Answer = rrs
	return m
}

func hosts(n int) []miekg.RR {
	var out []miekg.RR
	for i := range n {
		out = append(out, aRecord(fmt.Sprintf("h%d.z.test.", i), "192.0.2.1"))
	}
	return out
}

func TestAXFR(t *testing.T) {
	tests := []struct {
		name      string
		send      func(c net.Conn, q *miekg.Msg)
		wantCount int
		wantZone  bool
		status    checks.Status // of t.err
		outcome   string        // a substring of outcome()
	}{
		{"the whole zone", func(c net.Conn, q *miekg.Msg) {
			tcpMsg(c, answerWith(q, 0, append([]miekg.RR{testSOA()}, hosts(3)...)...))
			tcpMsg(c, answerWith(q, 0, append(hosts(2), testSOA())...))
		}, 7, true, checks.StatusOK, "7 records, complete"},
		{"refused", func(c net.Conn, q *miekg.Msg) { tcpMsg(c, answerWith(q, miekg.RcodeRefused)) },
			0, false, checks.StatusOK, "REFUSED, no records"},
		{"NOTAUTH", func(c net.Conn, q *miekg.Msg) { tcpMsg(c, answerWith(q, miekg.RcodeNotAuth)) },
			0, false, checks.StatusOK, "NOTAUTH"},
		{"empty NOERROR", func(c net.Conn, q *miekg.Msg) { tcpMsg(c, answerWith(q, 0)) },
			0, false, checks.StatusOK, "NOERROR, no records"},
		{"does not start with the SOA", func(c net.Conn, q *miekg.Msg) { tcpMsg(c, answerWith(q, 0, hosts(2)...)) },
			0, false, checks.StatusProtocolError, "does not start with the zone's SOA"},
		{"wrong ID", func(c net.Conn, q *miekg.Msg) {
			m := answerWith(q, 0, testSOA())
			m.Id++
			tcpMsg(c, m)
		}, 0, false, checks.StatusProtocolError, "reply ID"},
		{"closes mid-transfer", func(c net.Conn, q *miekg.Msg) {
			tcpMsg(c, answerWith(q, 0, append([]miekg.RR{testSOA()}, hosts(10)...)...))
		}, 11, true, checks.StatusReset, "after 11 records"},
		{"error mid-transfer", func(c net.Conn, q *miekg.Msg) {
			tcpMsg(c, answerWith(q, 0, testSOA(), hosts(1)[0]))
			tcpMsg(c, answerWith(q, miekg.RcodeServerFailure))
		}, 2, true, checks.StatusProtocolError, "SERVFAIL after 2 records"},
		{"endless", func(c net.Conn, q *miekg.Msg) {
			if tcpMsg(c, answerWith(q, 0, testSOA())) != nil {
				return
			}
			for tcpMsg(c, answerWith(q, 0, hosts(100)...)) == nil {
			}
		}, axfrMaxRecords, true, checks.StatusOK, "reading stopped at the bound"},
		{"garbage", func(c net.Conn, q *miekg.Msg) {
			c.Write([]byte{0, 20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
		}, 0, false, checks.StatusProtocolError, "no usable reply"},
		{"silent", func(c net.Conn, q *miekg.Msg) { io.Copy(io.Discard, c) },
			0, false, checks.StatusTimeout, "no usable reply"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := rawServer(t, func([]byte) []byte { return nil }, axfrServer(tt.send))
			tr := testQuerier(200*time.Millisecond).axfr(context.Background(), srv, "z.test")
			if tr.count != tt.wantCount || tr.gotZone() != tt.wantZone || checks.Classify(tr.err) != tt.status || !strings.Contains(tr.outcome(), tt.outcome) {
				t.Errorf("got %d records, zone %v, status %s, outcome %q;\nwant %d, %v, %s, outcome containing %q",
					tr.count, tr.gotZone(), checks.Classify(tr.err), tr.outcome(), tt.wantCount, tt.wantZone, tt.status, tt.outcome)
			}
			if len(tr.records) > axfrKeep {
				t.Errorf("kept %d records, want at most %d", len(tr.records), axfrKeep)
			}
			f := evalAXFR("ns.z.test (127.0.0.1)", tr)
			if want := map[bool]checks.Outcome{true: checks.Fail, false: checks.Pass}[tt.wantZone]; f.Outcome != want {
				t.Errorf("finding: got %s, want %s", f.Outcome, want)
			}
		})
	}
}

func TestAXFRClosedPort(t *testing.T) {
	tr := testQuerier(time.Second).axfr(context.Background(), closedPort(t), "z.test")
	if checks.Classify(tr.err) != checks.StatusRefused || tr.gotZone() {
		t.Errorf("got %v, zone %v; want refused, no zone", tr.err, tr.gotZone())
	}
	if ev := tr.evidence().Data; !strings.Contains(ev, ";; no usable reply:") || !strings.Contains(ev, "connection refused") {
		t.Errorf("evidence does not show the refusal:\n%s", ev)
	}
}
