package web

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// vulnerableSite is an httptest handler with the weaknesses the templates look for: an
// index page (linked from the home page and at /images/), phf (echoing a passwd-like file
// to its Qalias injection) and test-cgi, TRACE, WebDAV (PROPFIND 207 and PUT/DELETE on
// /uploads/), /.git/HEAD, a login form over HTTP, a versioned Server header and a session
// cookie without attributes. Anything else is 404; unknown methods on / are 405.
type vulnerableSite struct {
	mu    sync.Mutex
	files map[string]string // PUT files
}

func (s *vulnerableSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Server", "Apache/2.4.1 (Unix)")
	p := r.URL.Path
	switch {
	case r.Method == "TRACE":
		w.Header().Set("Content-Type", "message/http")
		fmt.Fprintf(w, "TRACE %s HTTP/1.1\r\n", r.URL.RequestURI())
		for k, vs := range r.Header {
			for _, v := range vs {
				fmt.Fprintf(w, "%s: %s\r\n", k, v)
			}
		}
	case r.Method == "PROPFIND" && p == "/uploads/":
		w.WriteHeader(207)
		io.WriteString(w, `<?xml version="1.0"?><D:multistatus xmlns:D="DAV:"><D:response><D:href>/uploads/</D:href></D:response></D:multistatus>`)
	case strings.HasPrefix(p, "/uploads/") && p != "/uploads/":
		s.upload(w, r)
	case r.Method == "OPTIONS":
		w.Header().Set("Allow", "GET,HEAD,POST,OPTIONS,TRACE,PROPFIND,PUT,DELETE")
	case r.Method != "GET" && r.Method != "HEAD":
		w.WriteHeader(http.StatusMethodNotAllowed)
	case p == "/":
		http.SetCookie(w, &http.Cookie{Name: "PHPSESSID", Value: "abc", Path: "/"})
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<html><title>Shop</title><a href="/pub/docs/catalog.pdf">Catalog</a> <img src="/images/logo.png"> <a href="/login">ログイン</a></html>`)
	case p == "/images/" || p == "/pub/docs/":
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, `<html><head><title>Index of %s</title></head><body><h1>Index of %s</h1><a href="../">Parent Directory</a></body></html>`, p, p)
	case p == "/cgi-bin/phf":
		w.Header().Set("Content-Type", "text/html")
		if strings.Contains(r.URL.RawQuery, "%0a") || strings.Contains(r.URL.RawQuery, "\n") || strings.Contains(r.URL.Query().Get("Qalias"), "\n") {
			io.WriteString(w, "<PRE>\nroot:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n</PRE>")
			return
		}
		io.WriteString(w, "<H1>Form for CSO PH query</H1>")
	case p == "/cgi-bin/test-cgi":
		io.WriteString(w, "CGI/1.0 test script report:\n\nargc is 0. argv is .\n\nSERVER_SOFTWARE = Apache\n")
	case p == "/.git/HEAD":
		io.WriteString(w, "ref: refs/heads/master\n")
	case p == "/login":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<form method="post" action="/login"><input name="id"><input type="password" name="pw"></form>`)
	default:
		http.NotFound(w, r)
	}
}

func (s *vulnerableSite) upload(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := r.URL.Path
	switch r.Method {
	case "PUT":
		b, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
		s.files[p] = string(b)
		w.WriteHeader(http.StatusCreated)
	case "DELETE":
		if _, ok := s.files[p]; !ok {
			http.NotFound(w, r)
			return
		}
		delete(s.files, p)
		w.WriteHeader(http.StatusNoContent)
	case "GET":
		b, ok := s.files[p]
		if !ok {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, b)
	default:
		w.WriteHeader(http.StatusMethodNotAllowed)
	}
}

func (s *vulnerableSite) stored() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.files)
}

// softSite answers 200 with the same page to every path and method.
var softSite = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html")
	io.WriteString(w, "<html><title>Welcome</title>Welcome to our shop. Page not available.</html>")
})

// fakeResolver is a UDP "DNS server" on 127.0.0.1 that answers every query NXDOMAIN by
// echoing it with the QR bit and RCODE 3 set, and counts the queries.
type fakeResolver struct {
	conn    net.PacketConn
	queries atomic.Int64
}

func newFakeResolver(t *testing.T) *fakeResolver {
	t.Helper()
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &fakeResolver{conn: c}
	t.Cleanup(func() { c.Close() })
	go func() {
		buf := make([]byte, 1500)
		for {
			n, addr, err := c.ReadFrom(buf)
			if err != nil {
				return
			}
			if n < 12 {
				continue
			}
			r.queries.Add(1)
			resp := append([]byte(nil), buf[:n]...)
			resp[2] |= 0x80                // QR: a response
			resp[3] = (resp[3] & 0xf0) | 3 // RCODE: NXDOMAIN
			_, _ = c.WriteTo(resp, addr)
		}
	}()
	return r
}

func (r *fakeResolver) addr() string { return r.conn.LocalAddr().String() }
