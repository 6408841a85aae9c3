package ports

import (
	"encoding/binary"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"ecscan/checks"
)

// mysqlGreeting builds a protocol-10 handshake packet with the CLIENT_SSL capability.
func mysqlGreeting(version string) []byte {
	p := []byte{10}
	p = append(p, version...)
	p = append(p, 0)
	p = append(p, 1, 0, 0, 0)          // thread id
	p = append(p, "abcdefgh"...)       // auth data 1
	p = append(p, 0)                   // filler
	p = append(p, 0xff, 0xff)          // capabilities (CLIENT_SSL among them)
	p = append(p, 0x21, 2, 0, 0xff, 0) // charset, status, capabilities 2
	p = append(p, make([]byte, 10)...)
	p = append(p, "ijklmnopqrst\x00mysql_native_password\x00"...)
	return append([]byte{byte(len(p)), byte(len(p) >> 8), 0, 0}, p...)
}

// mysqlError builds an error packet as a server sends it instead of a greeting.
func mysqlError(code uint16, msg string) []byte {
	p := binary.LittleEndian.AppendUint16([]byte{0xff}, code)
	p = append(p, msg...)
	return append([]byte{byte(len(p)), byte(len(p) >> 8), 0, 0}, p...)
}

func TestIdentifyTextProtocols(t *testing.T) {
	tests := []struct {
		name     string
		steps    []step
		proto    string
		product  string
		version  string
		startTLS bool
		client   []string // what the client must have sent, in order
	}{
		{
			name: "smtp",
			steps: []step{
				{"", "220 mail.ecshop.test ESMTP Postfix (Debian/GNU)\r\n"},
				{"EHLO ", "250-mail.ecshop.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-STARTTLS\r\n250 8BITMIME\r\n"},
				{"QUIT", "221 2.0.0 Bye\r\n"},
			},
			proto: "smtp", product: "Postfix", startTLS: true,
			client: []string{"EHLO [127.0.0.1]\r\n", "QUIT\r\n"},
		},
		{
			name: "smtp multi-line greeting, exim, no starttls",
			steps: []step{
				{"", "220-mx.example ESMTP Exim 4.96 Mon, 02 Jan 2026\r\n220 no UCE\r\n"},
				{"EHLO ", "250-mx.example Hello\r\n250 HELP\r\n"},
				{"QUIT", "221 bye\r\n"},
			},
			proto: "smtp", product: "Exim", version: "4.96",
			client: []string{"EHLO [127.0.0.1]\r\n", "QUIT\r\n"},
		},
		{
			name: "pop3",
			steps: []step{
				{"", "+OK Dovecot (Debian) ready.\r\n"},
				{"CAPA", "+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nSTLS\r\nSASL PLAIN\r\n.\r\n"},
				{"QUIT", "+OK Logging out.\r\n"},
			},
			proto: "pop3", product: "Dovecot", startTLS: true,
			client: []string{"CAPA\r\n", "QUIT\r\n"},
		},
		{
			name: "imap with capabilities in the greeting",
			steps: []step{
				{"", "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS LOGINDISABLED] Dovecot (Debian) ready.\r\n"},
				{"a2 LOGOUT", "* BYE Logging out\r\na2 OK Logout completed.\r\n"},
			},
			proto: "imap", product: "Dovecot", startTLS: true,
			client: []string{"a2 LOGOUT\r\n"},
		},
		{
			name: "imap asked for capabilities",
			steps: []step{
				{"", "* OK IMAP server ready\r\n"},
				{"a1 CAPABILITY", "* CAPABILITY IMAP4rev1 IDLE\r\na1 OK done\r\n"},
				{"a2 LOGOUT", "* BYE\r\na2 OK bye\r\n"},
			},
			proto:  "imap",
			client: []string{"a1 CAPABILITY\r\n", "a2 LOGOUT\r\n"},
		},
		{
			name: "ftp",
			steps: []step{
				{"", "220 (vsFTPd 3.0.3)\r\n"},
				{"FEAT", "211-Features:\r\n EPRT\r\n AUTH TLS\r\n PASV\r\n211 End\r\n"},
				{"QUIT", "221 Goodbye.\r\n"},
			},
			proto: "ftp", product: "vsftpd", version: "3.0.3", startTLS: true,
			client: []string{"FEAT\r\n", "QUIT\r\n"},
		},
		{
			name:  "telnet",
			steps: []step{{"", "\xff\xfd\x18\xff\xfd\x20\xff\xfd\x23\xff\xfd\x27"}},
			proto: "telnet",
		},
		{
			name:  "vnc",
			steps: []step{{"", "RFB 003.008\n"}},
			proto: "vnc",
		},
		{
			name:  "mariadb",
			steps: []step{{"", string(mysqlGreeting("5.5.5-10.11.6-MariaDB-0+deb12u1"))}},
			proto: "mysql", product: "MariaDB", version: "10.11.6", startTLS: true,
		},
		{
			name:  "mysql refusing the host",
			steps: []step{{"", string(mysqlError(1130, "Host '127.0.0.1' is not allowed to connect to this MySQL server"))}},
			proto: "mysql",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			port := listen(t, scripted(rec, tt.steps...))
			po := identifyWith(t, port, 2*time.Second, false)
			s := po.Service
			if s.Protocol != tt.proto || s.Product != tt.product || s.Version != tt.version || s.StartTLS != tt.startTLS {
				t.Errorf("got %s %q %q starttls=%v, want %s %q %q starttls=%v\n%s", s.Protocol, s.Product, s.Version, s.StartTLS,
					tt.proto, tt.product, tt.version, tt.startTLS, renderTranscript(po))
			}
			if po.Status != checks.StatusOK {
				t.Errorf("status %s (%s), want ok", po.Status, po.Error)
			}
			if got := rec.all(); tt.client != nil && !slices.Equal(got, tt.client) {
				t.Errorf("client sent %q, want %q", got, tt.client)
			}
			// The banner is the greeting's start, bytes that are not UTF-8 written as \xNN.
			if greeting := checks.ValidText([]byte(tt.steps[0].reply)); !strings.HasPrefix(greeting, s.Banner) || s.Banner == "" {
				t.Errorf("banner %q, want a prefix of the greeting %q", s.Banner, greeting)
			}
		})
	}
}

func TestIdentifyHTTP(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Server", "Apache/2.4.62 (Debian)")
		w.Header().Set("X-Powered-By", "PHP/8.2.7")
		fmt.Fprintf(w, "<html>shop at %s</html>", r.Host)
	}))
	defer srv.Close()
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	po := identifyWith(t, port, 2*time.Second, false)
	if got, want := po.Service.Protocol+" "+po.Service.Product+" "+po.Service.Version, "http Apache httpd 2.4.62"; got != want {
		t.Errorf("got %q, want %q\n%s", got, want, renderTranscript(po))
	}
	if po.HTTP == nil || po.HTTP.PoweredBy != "PHP/8.2.7" || !strings.HasPrefix(po.HTTP.Status, "HTTP/1.1 200") {
		t.Errorf("http info %+v, want status 200 and X-Powered-By PHP/8.2.7", po.HTTP)
	}
	if !strings.Contains(renderTranscript(po), fmt.Sprintf("Host: localhost:%d", port)) {
		t.Errorf("request lacks the Host header:\n%s", renderTranscript(po))
	}
}

func TestIdentifyElasticsearch(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"name":"node-1","cluster_name":"shop","version":{"number":"8.11.3"},"tagline":"You Know, for Search"}`)
	}))
	defer srv.Close()
	po := identifyWith(t, srv.Listener.Addr().(*net.TCPAddr).Port, 2*time.Second, false)
	if got, want := po.Service.Product+" "+po.Service.Version, "Elasticsearch 8.11.3"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := categorize(po.Service); got != catSearch {
		t.Errorf("category %d, want search", got)
	}
}

func TestIdentifyTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Server", "nginx/1.22.1")
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // our probes' failed handshakes
	srv.StartTLS()
	defer srv.Close()
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	// On a port without a hint: banner, then http, whose 400 says TLS, then tls.
	po := identifyWith(t, port, 2*time.Second, false)
	s := po.Service
	if !s.TLS || s.Protocol != "http" || s.Product != "nginx" || s.Version != "1.22.1" {
		t.Errorf("got %+v, want TLS http nginx 1.22.1\n%s", s, renderTranscript(po))
	}
	if got, want := po.Probes, []string{"banner", "http", "tls"}; !slices.Equal(got, want) {
		t.Errorf("probes %v, want %v", got, want)
	}
	// With TLS first, as on 443.
	po = identifyWith(t, port, 2*time.Second, false, probeTLS)
	if !po.Service.TLS || po.Service.Protocol != "http" {
		t.Errorf("tls first: got %+v, want TLS http", po.Service)
	}
}

func TestIdentifyClientFirst(t *testing.T) {
	redis := func(c net.Conn) {
		buf := make([]byte, 512)
		for {
			n, err := c.Read(buf)
			if err != nil {
				return
			}
			switch req := string(buf[:n]); {
			case strings.HasPrefix(req, "PING"):
				io.WriteString(c, "+PONG\r\n")
			case strings.HasPrefix(req, "INFO"):
				body := "# Server\r\nredis_version:7.0.15\r\nredis_mode:standalone\r\n"
				fmt.Fprintf(c, "$%d\r\n%s\r\n", len(body), body)
			default:
				io.WriteString(c, "-ERR wrong number of arguments for 'get' command\r\n")
				return
			}
		}
	}
	postgres := func(c net.Conn) {
		var b [8]byte
		if _, err := io.ReadFull(c, b[:]); err != nil {
			return
		}
		if string(b[:]) == string(pgSSLRequest) {
			c.Write([]byte("N"))
		} // anything else: a bad startup packet, closed without a word
	}
	memcached := func(c net.Conn) {
		buf := make([]byte, 512)
		if n, _ := c.Read(buf); strings.HasPrefix(string(buf[:n]), "version") {
			io.WriteString(c, "VERSION 1.6.21\r\n")
		} else {
			io.WriteString(c, "ERROR\r\n")
		}
	}
	mongo := func(c net.Conn) {
		var hdr [16]byte
		if _, err := io.ReadFull(c, hdr[:]); err != nil {
			return
		}
		reply := make([]byte, 36)
		binary.LittleEndian.PutUint32(reply[0:], 36)
		binary.LittleEndian.PutUint32(reply[8:], binary.LittleEndian.Uint32(hdr[4:]))
		binary.LittleEndian.PutUint32(reply[12:], 1)
		c.Write(reply)
	}
	tests := []struct {
		name    string
		handle  func(net.Conn)
		plan    []probeID
		want    string
		version string
	}{
		{"redis on 6379", redis, []probeID{probeRedis}, "redis Redis", "7.0.15"},
		{"redis elsewhere", redis, nil, "redis Redis", ""},
		{"postgresql on 5432", postgres, []probeID{probePG}, "postgresql PostgreSQL", ""},
		{"postgresql elsewhere", postgres, nil, "postgresql PostgreSQL", ""},
		{"memcached on 11211", memcached, []probeID{probeMemcached}, "memcached memcached", "1.6.21"},
		{"memcached elsewhere", memcached, nil, "memcached memcached", ""},
		{"mongodb", mongo, []probeID{probeMongo}, "mongodb MongoDB", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			po := identifyWith(t, listen(t, tt.handle), 2*time.Second, false, tt.plan...)
			if got := po.Service.Protocol + " " + po.Service.Product; got != tt.want || po.Service.Version != tt.version {
				t.Errorf("got %q %q, want %q %q\n%s", got, po.Service.Version, tt.want, tt.version, renderTranscript(po))
			}
		})
	}
}

func TestIdentifyBinaryAnswers(t *testing.T) {
	answer := func(reply []byte) func(net.Conn) {
		return func(c net.Conn) {
			buf := make([]byte, 1024)
			if _, err := c.Read(buf); err == nil {
				c.Write(reply)
			}
		}
	}
	rpcReply := binary.BigEndian.AppendUint32(nil, 0x80000000|24)
	for _, v := range []uint32{rpcXID, 1, 0, 0, 0, 0} {
		rpcReply = binary.BigEndian.AppendUint32(rpcReply, v)
	}
	prelogin := []byte{0x04, 0x01, 0, 0x20, 0, 0, 1, 0, // TDS header, 32 bytes
		0x00, 0, 11, 0, 6, 0x01, 0, 17, 0, 1, 0xff, // VERSION at 11, ENCRYPTION at 17
		16, 0, 0x10, 0x68, 0, 0, // 16.0.4200
		0x00, 0, 0, 0, 0, 0}
	tests := []struct {
		name  string
		reply []byte
		plan  probeID
		want  string
	}{
		{"rdp", []byte{3, 0, 0, 0x13, 0x0e, 0xd0, 0, 0, 0x12, 0x34, 0, 2, 0x1f, 8, 0, 2, 0, 0, 0}, probeRDP, "rdp"},
		{"smb2", append([]byte{0, 0, 0, 0x40}, append([]byte("\xfeSMB"), make([]byte, 60)...)...), probeSMB, "smb SMB2"},
		{"mssql", prelogin, probeMSSQL, "mssql Microsoft SQL Server 16.0.4200"},
		{"rpcbind", rpcReply, probeRPC, "rpcbind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			po := identifyWith(t, listen(t, answer(tt.reply)), 2*time.Second, false, tt.plan)
			s := po.Service
			if got := strings.TrimSpace(s.Protocol + " " + s.Product + " " + s.Version); got != tt.want {
				t.Errorf("got %q, want %q\n%s", got, tt.want, renderTranscript(po))
			}
		})
	}
}
