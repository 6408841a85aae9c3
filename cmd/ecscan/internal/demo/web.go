package demo

import (
	"crypto/rand"
	"fmt"
	"html"
	"io"
	"net/http"
	"slices"
	"strings"
)

// What the web server says it is: a product and version in Server and X-Powered-By, as an
// Apache left with ServerTokens Full and expose_php on would.
const (
	WebServer    = "Apache/2.4.41 (Ubuntu)"
	WebPoweredBy = "PHP/7.4.3"
)

// maxBody bounds what the site reads of a request body.
const maxBody = 64 << 10

// images are the files of the /images/ directory listing.
var images = []struct{ name, date, size string }{
	{"banner-spring-sale.jpg", "2025-03-01 10:12", "84K"},
	{"logo.png", "2024-11-20 09:30", "12K"},
	{"product-001.jpg", "2025-02-14 16:05", "41K"},
	{"product-002.jpg", "2025-02-14 16:05", "39K"},
	{"staff-only/", "2025-01-08 18:44", "-"},
}

// shop is the shop's web site, over HTTP and HTTPS alike.
type shop struct{ zone string }

// ServeHTTP answers every request with the Server and X-Powered-By headers and no
// security headers at all (no HSTS on HTTPS either).
func (s *shop) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Server", WebServer)
	w.Header().Set("X-Powered-By", WebPoweredBy)
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	switch r.Method {
	case http.MethodTrace:
		s.trace(w, r)
		return
	case http.MethodOptions:
		w.Header().Set("Allow", "GET,HEAD,POST,OPTIONS,TRACE")
		w.WriteHeader(http.StatusOK)
		return
	case http.MethodGet, http.MethodHead, http.MethodPost:
	default:
		w.Header().Set("Allow", "GET,HEAD,POST,OPTIONS,TRACE")
		s.page(w, http.StatusMethodNotAllowed, "405 Method Not Allowed", "<p>The requested method "+html.EscapeString(r.Method)+" is not allowed for this URL.</p>")
		return
	}
	switch p := r.URL.Path; {
	case p == "/" || p == "/index.html" || p == "/index.php":
		s.home(w)
	case p == "/login" || p == "/login.php":
		s.login(w, r)
	case p == "/images":
		http.Redirect(w, r, "/images/", http.StatusMovedPermanently)
	case p == "/images/":
		s.index(w, r)
	case strings.HasPrefix(p, "/images/") && s.isImage(strings.TrimPrefix(p, "/images/")):
		w.Header().Set("Content-Type", "image/gif")
		_, _ = w.Write(gif)
	case p == "/cgi-bin/test-cgi":
		s.testCGI(w, r)
	case p == "/cgi-bin/printenv":
		s.printenv(w, r)
	default:
		s.page(w, http.StatusNotFound, "404 Not Found", "<p>The requested URL was not found on this server.</p>")
	}
}

// gif is a 1×1 transparent GIF, the body of every image.
var gif = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

func (s *shop) isImage(name string) bool {
	return slices.ContainsFunc(images, func(i struct{ name, date, size string }) bool {
		return i.name == name && !strings.HasSuffix(name, "/")
	})
}

// trace echoes the request head back, as Apache does with TraceEnable on.
func (s *shop) trace(w http.ResponseWriter, r *http.Request) {
	var b strings.Builder
	fmt.Fprintf(&b, "TRACE %s %s\r\nHost: %s\r\n", r.URL.RequestURI(), r.Proto, r.Host)
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range r.Header {
			if !yield(k) {
				return
			}
		}
	}) {
		for _, v := range r.Header[k] {
			fmt.Fprintf(&b, "%s: %s\r\n", k, v)
		}
	}
	b.WriteString("\r\n")
	w.Header().Set("Content-Type", "message/http")
	_, _ = io.WriteString(w, b.String())
}

// home is the shop's front page. It starts a PHP-style session whose cookie has none of
// Secure, HttpOnly and SameSite.
func (s *shop) home(w http.ResponseWriter) {
	w.Header().Set("Set-Cookie", "PHPSESSID="+rand.Text()+"; path=/")
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	_, _ = fmt.Fprintf(w, `<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>デモショップ — Demo Shop</title></head>
<body>
<h1>デモショップ</h1>
<p>ecscan の練習用サイトです。実在の店舗ではありません。/ A practice site of ecscan demo; not a real shop.</p>
<ul>
<li><a href="/login">ログイン / log in</a></li>
<li><a href="/images/">商品画像 / product images</a></li>
<li><a href="/cgi-bin/test-cgi">test-cgi</a></li>
</ul>
<form action="/cgi-bin/printenv" method="post"><input name="q"> <button>検索 / search</button></form>
<address>%s Server at www.%s Port 80</address>
</body></html>
`, WebServer, s.zone)
}

// login is the members' login form, served over HTTP as well as HTTPS. No login ever
// succeeds, and what is posted is read (64 KB at most) and thrown away.
func (s *shop) login(w http.ResponseWriter, r *http.Request) {
	msg := ""
	if r.Method == http.MethodPost {
		_, _ = io.Copy(io.Discard, r.Body)
		msg = "<p>ID またはパスワードが違います。/ Wrong ID or password.</p>\n"
	}
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	_, _ = fmt.Fprintf(w, `<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>ログイン — Demo Shop</title></head>
<body>
<h1>会員ログイン / Members' login</h1>
%s<form action="/login" method="post">
<label>ID <input name="login_id"></label>
<label>パスワード / password <input type="password" name="password"></label>
<button>ログイン</button>
</form>
</body></html>
`, msg)
}

// index is an Apache mod_autoindex listing ("Index of /images").
func (s *shop) index(w http.ResponseWriter, r *http.Request) {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">
<html>
 <head>
  <title>Index of /images</title>
 </head>
 <body>
<h1>Index of /images</h1>
  <table>
   <tr><th valign="top"><img src="/icons/blank.gif" alt="[ICO]"></th><th><a href="?C=N;O=D">Name</a></th><th><a href="?C=M;O=A">Last modified</a></th><th><a href="?C=S;O=A">Size</a></th><th><a href="?C=D;O=A">Description</a></th></tr>
   <tr><th colspan="5"><hr></th></tr>
<tr><td valign="top"><img src="/icons/back.gif" alt="[PARENTDIR]"></td><td><a href="/">Parent Directory</a></td><td>&nbsp;</td><td align="right">  - </td><td>&nbsp;</td></tr>
`)
	for _, i := range images {
		fmt.Fprintf(&b, `<tr><td valign="top"><img src="/icons/image2.gif" alt="[IMG]"></td><td><a href="%s">%s</a></td><td align="right">%s  </td><td align="right">%s</td><td>&nbsp;</td></tr>
`, i.name, i.name, i.date, i.size)
	}
	fmt.Fprintf(&b, `   <tr><th colspan="5"><hr></th></tr>
</table>
<address>%s Server at %s Port %s</address>
</body></html>
`, WebServer, html.EscapeString(hostOnly(r.Host)), portOf(r))
	w.Header().Set("Content-Type", "text/html;charset=UTF-8")
	_, _ = io.WriteString(w, b.String())
}

// page writes an Apache-style error page.
func (s *shop) page(w http.ResponseWriter, code int, title, body string) {
	w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
	w.WriteHeader(code)
	_, _ = fmt.Fprintf(w, "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>%s</title>\n</head><body>\n<h1>%s</h1>\n%s\n<hr>\n<address>%s</address>\n</body></html>\n",
		title, strings.TrimLeft(title, "0123456789 "), body, WebServer)
}
