package tls

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func TestParseHSTS(t *testing.T) {
	tests := []struct {
		in      string
		maxAge  int64
		sub, pl bool
	}{
		{"max-age=31536000; includeSubDomains; preload", 31536000, true, true},
		{`MAX-AGE="15552000"`, 15552000, false, false},
		{"includesubdomains ; max-age = 600", 600, true, false},
		{"max-age=0", 0, false, false},
		{"includeSubDomains", -1, true, false},
		{"max-age=abc", -1, false, false},
		{"max-age=-5", -1, false, false},
		{"max-age=1; max-age=2", -1, false, false},
		{"", -1, false, false},
	}
	for _, tc := range tests {
		h := ParseHSTS(tc.in)
		if h.MaxAge != tc.maxAge || h.MaxAge >= 0 && (h.IncludeSubDomains != tc.sub || h.Preload != tc.pl) {
			t.Errorf("ParseHSTS(%q) = %+v, want max-age %d, includeSubDomains %v, preload %v", tc.in, h, tc.maxAge, tc.sub, tc.pl)
		}
	}
}

func FuzzParseHSTS(f *testing.F) {
	for _, s := range []string{"max-age=31536000; includeSubDomains; preload", `max-age="1"`, ";;;", "max-age=99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h := ParseHSTS(s)
		if h.MaxAge < -1 || len(h.Header) > 512+len("…") {
			t.Errorf("ParseHSTS(%q) = %+v", s, h)
		}
	})
}

func TestGetHead(t *testing.T) {
	tests := []struct {
		server   string
		status   int
		location string
		hsts     int64 // -2: no header
		err      bool
	}{
		{moved, 301, "https://www.shop.test/", -2, false},
		{hstsYear + "body that is never read", 200, "", 31536000, false},
		{"HTTP/1.1 200 OK\nStrict-Transport-Security: max-age=5\nStrict-Transport-Security: max-age=9\n\n", 200, "", 5, false},
		{"HTTP/1.1 200 OK\r\nX: " + strings.Repeat("y", maxHead), 0, "", -2, true},
		{"HTTP/1.1 200 OK\r\nX: y\r\n", 0, "", -2, true},
		{"SSH-2.0-OpenSSH\r\n\r\n", 0, "", -2, true},
		{"", 0, "", -2, true},
	}
	for _, tc := range tests {
		c := &scriptConn{r: strings.NewReader(tc.server)}
		h := getHead(context.Background(), c, "https://www.shop.test/", "www.shop.test", time.Second)
		hsts := int64(-2)
		if h.HSTS != nil {
			hsts = h.HSTS.MaxAge
		}
		if h.StatusCode != tc.status || h.Location != tc.location || hsts != tc.hsts || (h.Error != "") != tc.err {
			t.Errorf("answer %.40q: got %d %q hsts %d error %q", tc.server, h.StatusCode, h.Location, hsts, h.Error)
		}
		if len(h.Raw) > maxHead {
			t.Errorf("answer %.40q: kept %d bytes", tc.server, len(h.Raw))
		}
		if !strings.HasPrefix(c.sent.String(), "GET / HTTP/1.1\r\nHost: www.shop.test\r\n") {
			t.Errorf("request: %q", c.sent.String())
		}
	}
}

func FuzzReadHead(f *testing.F) {
	for _, s := range []string{moved, hstsYear, "HTTP/1.0 400\n\n", "\x15\x03\x01\x00\x02\x02\x28"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		h := getHead(context.Background(), &scriptConn{r: bytes.NewReader(data)}, "http://x/", "x", time.Second)
		if len(h.Raw) > maxHead {
			t.Errorf("kept %d bytes", len(h.Raw))
		}
	})
}

func TestHostHeader(t *testing.T) {
	for _, tc := range []struct {
		host string
		port int
		tls  bool
		want string
	}{
		{"www.shop.test", 443, true, "www.shop.test"},
		{"www.shop.test", 8443, true, "www.shop.test:8443"},
		{"www.shop.test", 80, false, "www.shop.test"},
		{"2001:db8::1", 443, true, "[2001:db8::1]"},
		{"192.0.2.1", 8080, false, "192.0.2.1:8080"},
	} {
		if got := hostHeader(tc.host, tc.port, tc.tls); got != tc.want {
			t.Errorf("hostHeader(%s, %d, %v) = %q, want %q", tc.host, tc.port, tc.tls, got, tc.want)
		}
	}
}
