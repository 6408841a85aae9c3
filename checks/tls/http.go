package tls

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"ecscan/checks"
)

// maxHead bounds the HTTP response head read (status line and headers).
const maxHead = 16 << 10

// getHead sends GET / to url's host over c and reads the response head, bounded in size and
// time (a canceled ctx cuts it short); the body is never read. Redirects are not followed.
func getHead(ctx context.Context, c net.Conn, url, hostHeader string, timeout time.Duration) *HTTPHead {
	h := &HTTPHead{URL: url}
	c.SetDeadline(time.Now().Add(timeout))
	stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Unix(1, 0)) })
	defer func() {
		stop()
		c.SetDeadline(time.Time{})
	}()
	req := "GET / HTTP/1.1\r\nHost: " + hostHeader + "\r\nUser-Agent: ecscan\r\nAccept: */*\r\nConnection: close\r\n\r\n"
	if _, err := c.Write([]byte(req)); err != nil {
		h.Error = fmt.Sprintf("send GET / to %s: %v", url, err)
		return h
	}
	head, err := readHead(c)
	h.Raw = string(head)
	if err != nil {
		h.Error = fmt.Sprintf("read the answer of %s: %v", url, err)
		return h
	}
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(head)), nil)
	if err != nil {
		h.Error = fmt.Sprintf("answer of %s: %v", url, err)
		return h
	}
	h.StatusCode = resp.StatusCode
	h.Location = resp.Header.Get("Location")
	if vs := resp.Header.Values("Strict-Transport-Security"); len(vs) > 0 {
		h.HSTS = ParseHSTS(vs[0]) // RFC 6797 8.1: only the first header counts
	}
	return h
}

// readHead reads until the blank line that ends an HTTP head, at most maxHead bytes.
func readHead(c net.Conn) ([]byte, error) {
	var buf []byte
	chunk := make([]byte, 2048)
	for {
		if i := bytes.Index(buf, []byte("\r\n\r\n")); i >= 0 {
			return buf[:i+4], nil
		}
		if i := bytes.Index(buf, []byte("\n\n")); i >= 0 {
			return buf[:i+2], nil
		}
		if len(buf) >= maxHead {
			return buf[:maxHead], checks.Protocolf("HTTP head longer than %d bytes", maxHead)
		}
		n, err := c.Read(chunk[:min(len(chunk), maxHead-len(buf))])
		buf = append(buf, chunk[:n]...)
		if err != nil && n == 0 {
			if len(buf) == 0 {
				return nil, err
			}
			return buf, checks.Protocolf("connection ended inside the HTTP head: %v", err)
		}
	}
}

// hostHeader is the Host header for host on port: the name (or bracketed IPv6 address),
// with the port when it is not the scheme's default.
func hostHeader(host string, port int, tls bool) string {
	h := host
	if strings.Contains(h, ":") {
		h = "[" + h + "]"
	}
	if tls && port != 443 || !tls && port != 80 {
		h += ":" + strconv.Itoa(port)
	}
	return h
}

// ParseHSTS reads a Strict-Transport-Security header value (RFC 6797 6.1): directives
// separated by ";", names case-insensitive, max-age required (a number, possibly quoted).
// MaxAge is -1 when max-age is missing, repeated or not a number.
func ParseHSTS(value string) *HSTS {
	h := &HSTS{Header: truncate(value, 512), MaxAge: -1}
	seen := map[string]bool{}
	for part := range strings.SplitSeq(value, ";") {
		name, arg, _ := strings.Cut(strings.TrimSpace(part), "=")
		name = strings.ToLower(strings.TrimSpace(name))
		if name == "" {
			continue
		}
		dup := seen[name]
		seen[name] = true
		switch name {
		case "max-age":
			n, err := strconv.ParseInt(strings.Trim(strings.TrimSpace(arg), `"`), 10, 64)
			if dup || err != nil || n < 0 {
				return &HSTS{Header: h.Header, MaxAge: -1}
			}
			h.MaxAge = n
		case "includesubdomains":
			h.IncludeSubDomains = true
		case "preload":
			h.Preload = true
		}
	}
	return h
}

// truncate cuts s to n bytes at most, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// redirectsToHTTPS reports whether a plain-HTTP answer sends the browser to HTTPS: a
// permanent or temporary redirect whose Location is an https:// URL.
func redirectsToHTTPS(h *HTTPHead) bool {
	switch h.StatusCode {
	case 301, 302, 307, 308:
		return len(h.Location) >= 8 && strings.EqualFold(h.Location[:8], "https://")
	}
	return false
}
