package mapping

import (
	"net/netip"
	"slices"
	"testing"

	"ecscan/checks"
)

func svc(addr string, port int, proto, product string) checks.Service {
	return checks.Service{Host: "h" + addr, Addr: netip.MustParseAddr(addr), Port: port, Protocol: proto, Product: product}
}

func TestCategory(t *testing.T) {
	tests := []struct {
		s    checks.Service
		want string
	}{
		{svc("127.0.0.1", 80, "http", "Apache httpd"), "web"},
		{svc("127.0.0.1", 9200, "http", "Elasticsearch"), "db"},
		{svc("127.0.0.1", 8080, "http", "Jenkins"), "dev"},
		{svc("127.0.0.1", 8080, "http", "Apache Tomcat"), "dev"},
		{svc("127.0.0.1", 3306, "mysql", "MariaDB"), "db"},
		{svc("127.0.0.1", 25, "smtp", "Postfix"), "mail"},
		{svc("127.0.0.1", 445, "smb", ""), "file"},
		{svc("127.0.0.1", 22, "ssh", "OpenSSH"), "ssh"},
		{svc("127.0.0.1", 5432, "unknown", ""), "db"},
		{svc("127.0.0.1", 3389, "rdp", ""), "other"},
		{svc("127.0.0.1", 4444, "unknown", ""), "other"},
	}
	for _, tc := range tests {
		if got := Category(tc.s); got != tc.want {
			t.Errorf("Category(%s/%d %s) = %q, want %q", tc.s.Protocol, tc.s.Port, tc.s.Product, got, tc.want)
		}
	}
}

func TestDeriveFacts(t *testing.T) {
	services := []checks.Service{
		svc("127.0.0.1", 80, "http", "Apache httpd"),
		svc("127.0.0.1", 22, "ssh", "OpenSSH"),
		svc("127.0.0.1", 3306, "mysql", "MariaDB"),
		svc("127.0.0.2", 25, "smtp", "Postfix"), // not on a web host
	}
	results := []checks.Result{{Check: "ports", Target: "h", Status: checks.StatusOK}}
	f := DeriveFacts(results, services, DeclaredServices{"h127.0.0.1": {80, 22}}, nil)
	for _, want := range []string{"scan.ports", "web.host", "web.cohost.db", "services.declared", "services.undeclared"} {
		if _, ok := f[want]; !ok {
			t.Errorf("fact %s missing: %v", want, f)
		}
	}
	for _, absent := range []string{"web.cohost.mail", "web.cohost.other", "services.as-declared", "scan.dns"} {
		if _, ok := f[absent]; ok {
			t.Errorf("fact %s present: %v", absent, f[absent])
		}
	}
	if got := f["services.undeclared"]; !slices.Contains(got, "h127.0.0.1:3306 (mysql)") || !slices.Contains(got, "h127.0.0.2:25 (smtp)") {
		t.Errorf("services.undeclared = %v", got)
	}
	for name := range f {
		if !KnownFact(name) {
			t.Errorf("derived fact %s is not in the vocabulary", name)
		}
	}
}
