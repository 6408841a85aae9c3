package demo

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
)

// maxEcho bounds each request value the sample CGI scripts echo back.
const maxEcho = 256

// cgiEnv is the environment a CGI script would get for r, in a fixed order.
func cgiEnv(r *http.Request) [][2]string {
	remote, _, _ := net.SplitHostPort(r.RemoteAddr)
	env := [][2]string{
		{"SERVER_SOFTWARE", WebServer},
		{"SERVER_NAME", hostOnly(r.Host)},
		{"GATEWAY_INTERFACE", "CGI/1.1"},
		{"SERVER_PROTOCOL", r.Proto},
		{"SERVER_PORT", portOf(r)},
		{"REQUEST_METHOD", r.Method},
		{"HTTP_ACCEPT", r.Header.Get("Accept")},
		{"HTTP_USER_AGENT", r.Header.Get("User-Agent")},
		{"PATH_INFO", ""},
		{"PATH_TRANSLATED", ""},
		{"SCRIPT_NAME", r.URL.Path},
		{"QUERY_STRING", r.URL.RawQuery},
		{"REMOTE_HOST", ""},
		{"REMOTE_ADDR", remote},
		{"REMOTE_USER", ""},
		{"AUTH_TYPE", ""},
		{"CONTENT_TYPE", r.Header.Get("Content-Type")},
		{"CONTENT_LENGTH", contentLength(r)},
	}
	for i := range env {
		env[i][1] = printable(env[i][1], maxEcho)
	}
	return env
}

func contentLength(r *http.Request) string {
	if r.ContentLength <= 0 {
		return ""
	}
	return strconv.FormatInt(r.ContentLength, 10)
}

// testCGI answers as the test-cgi script that shipped with NCSA httpd and early Apache
// ("CGI/1.0 test script report:"), which disclosed the server's environment.
func (s *shop) testCGI(w http.ResponseWriter, r *http.Request) {
	var b strings.Builder
	b.WriteString("CGI/1.0 test script report:\n\nargc is 0. argv is .\n\n")
	for _, kv := range cgiEnv(r) {
		fmt.Fprintf(&b, "%s = %s\n", kv[0], kv[1])
	}
	w.Header().Set("Content-Type", "text/plain")
	_, _ = w.Write([]byte(b.String()))
}

// printenv answers as Apache's sample printenv script (Perl): every variable as
// KEY="value", the server's paths and the administrator's address included.
func (s *shop) printenv(w http.ResponseWriter, r *http.Request) {
	env := append(cgiEnv(r),
		[2]string{"DOCUMENT_ROOT", "/var/www/html"},
		[2]string{"CONTEXT_DOCUMENT_ROOT", "/usr/lib/cgi-bin/"},
		[2]string{"SCRIPT_FILENAME", "/usr/lib/cgi-bin/printenv"},
		[2]string{"SERVER_ADMIN", "webmaster@" + s.zone},
		[2]string{"SERVER_SIGNATURE", "<address>" + WebServer + " Server at " + hostOnly(r.Host) + " Port " + portOf(r) + "</address>"},
		[2]string{"PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"},
	)
	var b strings.Builder
	for _, kv := range env {
		fmt.Fprintf(&b, "%s=%q\n", kv[0], kv[1])
	}
	w.Header().Set("Content-Type", "text/plain; charset=iso-8859-1")
	_, _ = w.Write([]byte(b.String()))
}

// hostOnly returns the Host header without its port, bounded and printable.
func hostOnly(h string) string {
	if host, _, err := net.SplitHostPort(h); err == nil {
		h = host
	}
	return printable(h, maxEcho)
}

// portOf returns the local port the request came in on.
func portOf(r *http.Request) string {
	if a, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		if _, p, err := net.SplitHostPort(a.String()); err == nil {
			return p
		}
	}
	return ""
}
