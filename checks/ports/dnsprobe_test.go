package ports

import (
	"encoding/binary"
	"io"
	"net"
	"testing"
	"time"
)

// dnsReply answers dnsVersionQuery: rcode, and a TXT answer when txt is set.
func dnsReply(id uint16, rcode byte, txt string) []byte {
	q := dnsVersionQuery[2+12:] // the question
	msg := binary.BigEndian.AppendUint16(nil, id)
	an := byte(0)
	if txt != "" {
		an = 1
	}
	msg = append(msg, 0x84, rcode, 0, 1, 0, an, 0, 0, 0, 0)
	msg = append(msg, q...)
	if txt != "" {
		msg = append(msg, 0xc0, 12, 0, 16, 0, 3, 0, 0, 0, 0)
		msg = binary.BigEndian.AppendUint16(msg, uint16(1+len(txt)))
		msg = append(msg, byte(len(txt)))
		msg = append(msg, txt...)
	}
	return append(binary.BigEndian.AppendUint16(nil, uint16(len(msg))), msg...)
}

func TestDNSAnswer(t *testing.T) {
	tests := []struct {
		name    string
		reply   []byte
		ok      bool
		product string
		version string
	}{
		{"bind", dnsReply(dnsID, 0, "9.18.28-1~deb12u2-Debian"), true, "BIND", "9.18.28"},
		{"nsd", dnsReply(dnsID, 0, "NSD 4.6.1"), true, "NSD", "4.6.1"},
		{"unbound", dnsReply(dnsID, 0, "unbound 1.17.1"), true, "Unbound", "1.17.1"},
		{"hidden", dnsReply(dnsID, 0, "none of your business"), true, "", ""},
		{"refused", dnsReply(dnsID, 5, ""), true, "", ""},
		{"other id", dnsReply(1, 0, "9.18.28"), false, "", ""},
		{"a query, not a response", dnsVersionQuery, false, "", ""},
		{"short", []byte{0, 2, 0x65, 0x63}, false, "", ""},
	}
	for _, tt := range tests {
		txt, ok := dnsAnswer(tt.reply)
		p, v := dnsProduct(txt)
		if ok != tt.ok || p != tt.product || v != tt.version {
			t.Errorf("%s: got %v %q %q, want %v %q %q", tt.name, ok, p, v, tt.ok, tt.product, tt.version)
		}
	}
}

func TestIdentifyDNS(t *testing.T) {
	port := listen(t, func(c net.Conn) {
		q := make([]byte, len(dnsVersionQuery))
		if _, err := io.ReadFull(c, q); err != nil || string(q) != string(dnsVersionQuery) {
			return
		}
		c.Write(dnsReply(dnsID, 0, "9.18.28-1~deb12u2-Debian"))
	})
	po := identifyWith(t, port, 2*time.Second, false, probeDNS)
	if got := po.Service.Protocol + " " + po.Service.Product + " " + po.Service.Version; got != "dns BIND 9.18.28" {
		t.Errorf("got %q, want dns BIND 9.18.28\n%s", got, renderTranscript(po))
	}
}

func FuzzDNSAnswer(f *testing.F) {
	f.Add(dnsReply(dnsID, 0, "9.18.28"))
	f.Add(dnsReply(dnsID, 5, ""))
	f.Fuzz(func(t *testing.T, b []byte) {
		txt, _ := dnsAnswer(b)
		if len(txt) > len(b) {
			t.Errorf("answer of %d bytes from %d", len(txt), len(b))
		}
		dnsProduct(txt)
	})
}
