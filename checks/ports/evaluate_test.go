package ports

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"ecscan/checks"
)

func svc(port int, proto, product, version string) PortObservation {
	return PortObservation{Port: port, Status: checks.StatusOK, Service: checks.Service{
		Host: "shop.test", Addr: netip.MustParseAddr("192.0.2.10"), Port: port,
		Protocol: proto, Product: product, Version: version,
	}}
}

func obsOf(spec string, ports ...PortObservation) *Observation {
	ps, _ := ParsePorts(spec)
	return &Observation{Host: "shop.test", Addr: netip.MustParseAddr("192.0.2.10"), Requested: len(ps), PortSpec: spec, Open: len(ports), Ports: ports}
}

// summary renders findings as "id subject outcome/severity", sorted, for comparison.
func summary(fs []checks.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s %s %s/%s", f.ID, f.Subject, f.Outcome, f.Severity))
	}
	slices.Sort(out)
	return out
}

func TestEvaluate(t *testing.T) {
	withSSH := func(po PortObservation, auth *SSHAuth, kex *KexInit) PortObservation {
		po.SSH = &SSHInfo{Auth: auth, KexInit: kex}
		return po
	}
	strong := &KexInit{Kex: []string{"curve25519-sha256"}, HostKey: []string{"ssh-ed25519"}}
	weak := &KexInit{Kex: []string{"diffie-hellman-group1-sha1"}, HostKey: []string{"ssh-rsa"}}
	tests := []struct {
		name string
		obs  *Observation
		want []string // only the findings with these IDs' prefixes are compared when filter is set
		only []string
	}{
		{
			name: "nothing open, web ports only scanned",
			obs:  obsOf("80,443"),
			want: nil,
		},
		{
			name: "nothing open, default ports",
			obs:  obsOf("1-65535"),
			want: []string{
				"ports.admin-console  pass/info", "ports.cache  pass/info", "ports.cleartext-admin  pass/info",
				"ports.database  pass/info", "ports.file-sharing  pass/info", "ports.remote-admin  pass/info",
				"ports.remote-desktop  pass/info", "ports.search  pass/info",
			},
		},
		{
			name: "web server with version",
			obs:  obsOf("80", svc(80, "http", "Apache httpd", "2.4.62")),
			want: []string{"ports.open tcp/80 info/info", "ports.version-disclosure tcp/80 fail/low"},
		},
		{
			name: "web server without version",
			obs:  obsOf("80", svc(80, "http", "Apache httpd", "")),
			want: []string{"ports.open tcp/80 info/info", "ports.version-disclosure tcp/80 pass/info"},
		},
		{
			name: "unknown service: no version finding",
			obs:  obsOf("4444", svc(4444, "unknown", "", "")),
			want: []string{"ports.open tcp/4444 info/info"},
		},
		{
			name: "telnet and ftp",
			obs:  obsOf("21,23", svc(21, "ftp", "vsftpd", ""), svc(23, "telnet", "", "")),
			only: []string{"ports.cleartext-admin"},
			want: []string{"ports.cleartext-admin tcp/21 fail/medium", "ports.cleartext-admin tcp/23 fail/high"},
		},
		{
			name: "implicit ftps is not cleartext",
			obs:  obsOf("21,990", func() PortObservation { s := svc(990, "ftp", "", ""); s.Service.TLS = true; return s }()),
			only: []string{"ports.cleartext-admin"},
			want: []string{"ports.cleartext-admin  pass/info"},
		},
		{
			name: "database by protocol on another port",
			obs:  obsOf("3307", svc(3307, "mysql", "MariaDB", "10.11.6")),
			only: []string{"ports.database"},
			want: []string{"ports.database tcp/3307 fail/high"},
		},
		{
			name: "web server on a database port is no database",
			obs:  obsOf("3306", svc(3306, "http", "nginx", "")),
			only: []string{"ports.database"},
			want: []string{"ports.database  pass/info"},
		},
		{
			name: "unidentified service judged by its port",
			obs:  obsOf("1521,6379", svc(1521, "unknown", "", ""), svc(6379, "unknown", "", "")),
			only: []string{"ports.database", "ports.cache"},
			want: []string{"ports.cache tcp/6379 fail/high", "ports.database tcp/1521 fail/high"},
		},
		{
			name: "elasticsearch on 8080 is search, not admin",
			obs:  obsOf("8080", svc(8080, "http", "Elasticsearch", "8.11.3")),
			only: []string{"ports.search", "ports.admin-console"},
			want: []string{"ports.admin-console  pass/info", "ports.search tcp/8080 fail/high"},
		},
		{
			name: "dev server and docker api",
			obs:  obsOf("2375,8080", svc(2375, "http", "Docker", "24.0.7"), svc(8080, "http", "", "")),
			only: []string{"ports.admin-console"},
			want: []string{"ports.admin-console tcp/2375 fail/medium", "ports.admin-console tcp/8080 fail/medium"},
		},
		{
			name: "file sharing and remote desktop",
			obs:  obsOf("445,2049,3389,5901", svc(445, "smb", "SMB2", ""), svc(2049, "unknown", "", ""), svc(3389, "rdp", "", ""), svc(5901, "vnc", "", "")),
			only: []string{"ports.file-sharing", "ports.remote-desktop"},
			want: []string{
				"ports.file-sharing tcp/2049 fail/high", "ports.file-sharing tcp/445 fail/high",
				"ports.remote-desktop tcp/3389 fail/high", "ports.remote-desktop tcp/5901 fail/high",
			},
		},
		{
			name: "ssh with passwords and weak algorithms",
			obs: obsOf("22", withSSH(svc(22, "ssh", "OpenSSH", "9.2p1"),
				&SSHAuth{Status: checks.StatusOK, Methods: []string{"publickey", "password"}, Password: true}, weak)),
			want: []string{
				"ports.open tcp/22 info/info", "ports.remote-admin tcp/22 info/info", "ports.version-disclosure tcp/22 fail/low",
				"ssh.password-auth tcp/22 fail/medium", "ssh.weak-algorithms tcp/22 fail/low",
			},
		},
		{
			name: "ssh with keys only",
			obs: obsOf("22", withSSH(svc(22, "ssh", "OpenSSH", ""),
				&SSHAuth{Status: checks.StatusOK, Methods: []string{"publickey"}}, strong)),
			only: []string{"ssh."},
			want: []string{"ssh.password-auth tcp/22 pass/info", "ssh.weak-algorithms tcp/22 pass/info"},
		},
		{
			name: "ssh without authentication",
			obs:  obsOf("22", withSSH(svc(22, "ssh", "OpenSSH", ""), &SSHAuth{Status: checks.StatusOK, NoneAccepted: true}, nil)),
			only: []string{"ssh."},
			want: []string{"ssh.password-auth tcp/22 fail/high"},
		},
		{
			name: "ssh auth not learned: no verdict",
			obs:  obsOf("22", withSSH(svc(22, "ssh", "OpenSSH", ""), &SSHAuth{Status: checks.StatusTimeout}, nil)),
			only: []string{"ssh."},
			want: nil,
		},
		{
			name: "interrupted: no passes",
			obs:  func() *Observation { o := obsOf("1-65535"); o.Interrupted = true; return o }(),
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := summary(Evaluate(tt.obs, time.Time{}))
			if tt.only != nil {
				got = slices.DeleteFunc(got, func(s string) bool {
					for _, p := range tt.only {
						if strings.HasPrefix(s, p) {
							return false
						}
					}
					return true
				})
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestEvaluateTexts(t *testing.T) {
	obs := obsOf("22,80", svc(22, "ssh", "OpenSSH", "9.2p1"), svc(80, "http", "Apache httpd", "2.4.62"))
	evidence := BuildEvidence(obs, time.Time{})
	for _, f := range Evaluate(obs, time.Time{}) {
		if f.Title.JA == "" || f.Title.EN == "" || f.Title.JA == f.Title.EN {
			t.Errorf("%s: title %+v, want Japanese and English", f.ID, f.Title)
		}
		if f.Host != "shop.test" || f.Addr != "192.0.2.10" {
			t.Errorf("%s: host %q addr %q", f.ID, f.Host, f.Addr)
		}
		if len(f.Evidence) == 0 {
			t.Errorf("%s: no evidence", f.ID)
		}
		for _, id := range f.Evidence {
			if !slices.ContainsFunc(evidence, func(e checks.Evidence) bool { return e.ID == id }) {
				t.Errorf("%s: evidence %q not built", f.ID, id)
			}
		}
		if f.Outcome != checks.Fail && f.Severity != checks.SevInfo {
			t.Errorf("%s: %s with severity %s", f.ID, f.Outcome, f.Severity)
		}
	}
}

func TestCategorize(t *testing.T) {
	tests := []struct {
		port  int
		proto string
		prod  string
		tls   bool
		want  category
	}{
		{23, "telnet", "", false, catTelnet},
		{2323, "telnet", "", false, catTelnet},
		{21, "ftp", "", false, catFTP},
		{990, "ftp", "", true, catNone},
		{21, "unknown", "", false, catFTP},
		{22, "ssh", "", false, catSSH},
		{5432, "postgresql", "", false, catDatabase},
		{5984, "http", "", false, catDatabase},
		{5984, "http", "CouchDB", false, catDatabase},
		{9200, "http", "", false, catSearch},
		{5601, "http", "Kibana", false, catSearch},
		{9300, "unknown", "", false, catSearch},
		{11211, "memcached", "memcached", false, catCache},
		{111, "rpcbind", "", false, catFileSharing},
		{5905, "unknown", "", false, catRemoteDesktop},
		{8443, "http", "", true, catNone},
		{80, "http", "Jenkins", false, catAdminConsole},
		{10000, "http", "Webmin", true, catAdminConsole},
		{25, "smtp", "", false, catNone},
		{3306, "smtp", "", false, catNone},
		{443, "http", "nginx", true, catNone},
	}
	for _, tt := range tests {
		s := checks.Service{Port: tt.port, Protocol: tt.proto, Product: tt.prod, TLS: tt.tls}
		if got := categorize(s); got != tt.want {
			t.Errorf("categorize(%d %s %q tls=%v) = %d, want %d", tt.port, tt.proto, tt.prod, tt.tls, got, tt.want)
		}
	}
}
