package dns

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSpecialPurpose(t *testing.T) {
	tests := []struct {
		addr    string
		special bool
		kind    string // a substring of the kind
	}{
		{"93.184.215.14", false, ""},
		{"8.8.8.8", false, ""},
		{"2606:2800:220:1::1", false, ""},
		{"10.1.2.3", true, "RFC 1918"},
		{"172.16.0.1", true, "RFC 1918"},
		{"172.32.0.1", false, ""},
		{"192.168.1.1", true, "RFC 1918"},
		{"127.0.30.53", true, "loopback"},
		{"::1", true, "loopback"},
		{"::ffff:127.0.0.1", true, "loopback"},
		{"::ffff:10.0.0.1", true, "RFC 1918"},
		{"169.254.169.254", true, "link-local"},
		{"fe80::1", true, "link-local"},
		{"0.0.0.0", true, "unspecified"},
		{"::", true, "unspecified"},
		{"0.1.2.3", true, "this network"},
		{"100.64.0.1", true, "RFC 6598"},
		{"192.0.0.8", true, "RFC 6890"},
		{"192.0.2.1", true, "documentation"},
		{"198.51.100.1", true, "documentation"},
		{"203.0.113.1", true, "documentation"},
		{"198.18.0.1", true, "benchmarking"},
		{"192.88.99.1", true, "6to4"},
		{"224.0.0.251", true, "multicast"},
		{"ff02::fb", true, "multicast"},
		{"240.0.0.1", true, "reserved"},
		{"255.255.255.255", true, "broadcast"},
		{"fd00::1", true, "RFC 4193"},
		{"2001:db8::1", true, "documentation"},
		{"3fff::1", true, "documentation"},
		{"2001:2::1", true, "IETF protocol assignments"},
		{"2001:1::1", false, ""},
		{"2001:20::1", false, ""},
		{"100::1", true, "discard"},
		{"64:ff9b:1::1", true, "translation"},
		{"64:ff9b::8.8.8.8", false, ""},
		{"fec0::1", true, "site-local"},
	}
	for _, tt := range tests {
		kind, special := specialPurpose(netip.MustParseAddr(tt.addr))
		if special != tt.special || !strings.Contains(kind, tt.kind) {
			t.Errorf("%s: got %v %q, want %v %q", tt.addr, special, kind, tt.special, tt.kind)
		}
	}
}

func TestResolverAddr(t *testing.T) {
	tests := []struct {
		in, want string
		err      bool
	}{
		{"127.0.30.53:53", "127.0.30.53:53", false},
		{"127.0.30.53", "127.0.30.53:53", false},
		{"[::1]:5353", "[::1]:5353", false},
		{"::1", "[::1]:53", false},
		{"dns.example:53", "", true},
		{"127.0.0.1:99999", "", true},
	}
	for _, tt := range tests {
		got, err := resolverAddr(tt.in)
		if (err != nil) != tt.err || err == nil && got.String() != tt.want {
			t.Errorf("resolverAddr(%q): got %v, %v; want %q, error %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestSystemResolver(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		conf, want string
		err        bool
	}{
		{"# comment\nsearch z.test\nnameserver 127.0.0.53\nnameserver 192.0.2.1\n", "127.0.0.53:53", false},
		{"nameserver ::1\n", "[::1]:53", false},
		{"search z.test\n", "", true},
		{"nameserver dns.example\n", "", true},
	}
	for i, tt := range tests {
		path := filepath.Join(dir, "resolv.conf."+string(rune('a'+i)))
		if err := os.WriteFile(path, []byte(tt.conf), 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := systemResolver(path)
		if (err != nil) != tt.err || err == nil && got.String() != tt.want {
			t.Errorf("%q: got %v, %v; want %q, error %v", tt.conf, got, err, tt.want, tt.err)
		}
	}
	if _, err := systemResolver(filepath.Join(dir, "missing")); err == nil {
		t.Error("missing file: got no error")
	}
}
