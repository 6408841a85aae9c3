package web

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"sort"
	"strings"
	"time"

	"ecscan/checks"
	"ecscan/checks/web/wire"
)

// Bounds of the check's own exchanges.
const (
	maxBody        = wire.MaxBody // bytes of a body read and kept
	maxHeaderBytes = 32 << 10     // bytes of a response head
	maxRedirects   = 3            // redirects followed within a target for the home page
)

// fetcher makes the check's own requests: net/http with a transport whose connections go
// to the addresses of the scan's web targets only (the names are looked up in the target
// map, never through a resolver), through the scan's dialer, after the per-address rate.
// It follows no redirect, ignores proxy settings from the environment, reads at most
// maxBody bytes of a body and gives every request its deadline.
type fetcher struct {
	client    *http.Client
	routes    map[string]netip.AddrPort
	limiter   *hostLimiter
	slow      *breaker
	timeout   time.Duration
	userAgent string
}

func newFetcher(rt map[string]netip.AddrPort, dial func(context.Context, string, string) (net.Conn, error), lim *hostLimiter, slow *breaker, timeout time.Duration, ua string) *fetcher {
	f := &fetcher{routes: rt, limiter: lim, slow: slow, timeout: timeout, userAgent: ua}
	tr := &http.Transport{
		Proxy: nil,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			ap, ok := f.routes[strings.ToLower(addr)]
			if !ok {
				return nil, fmt.Errorf("web: %s is not a web target of this scan", addr)
			}
			if err := f.slow.check(ap); err != nil {
				return nil, err
			}
			if err := f.limiter.Wait(ctx, ap.Addr()); err != nil {
				return nil, err
			}
			return dial(ctx, "tcp", ap.String())
		},
		// Certificates are the TLS check's business; this check looks at what is served.
		TLSClientConfig:        &tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS10}, //nolint:gosec
		TLSHandshakeTimeout:    timeout,
		ResponseHeaderTimeout:  timeout,
		MaxResponseHeaderBytes: maxHeaderBytes,
		DisableKeepAlives:      true,
		DisableCompression:     true,
		ForceAttemptHTTP2:      false,
	}
	f.client = &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return f
}

// Do makes one request and returns the exchange; a failure is recorded in it.
func (f *fetcher) Do(ctx context.Context, method, rawURL string, hdr http.Header, body []byte) *Exchange {
	ex := &Exchange{Method: method, URL: rawURL}
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, rawURL, rd)
	if err != nil {
		ex.Error, ex.Class = err.Error(), checks.StatusError
		return ex
	}
	for k, vs := range hdr {
		req.Header[k] = vs
	}
	req.Header.Set("User-Agent", f.userAgent)
	ex.Request = requestHead(req, len(body))
	start := time.Now()
	defer func() { f.slow.note(f.routes[strings.ToLower(hostPortOf(req.URL))], time.Since(start)) }()
	resp, err := f.client.Do(req)
	if err != nil {
		ex.Error, ex.Class = unwrapURLError(err).Error(), classify(err)
		return ex
	}
	defer resp.Body.Close()
	ex.Status, ex.Header = resp.StatusCode, resp.Header
	ex.Head = responseHead(resp)
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if len(b) > maxBody {
		b, ex.BodyCut = b[:maxBody], true
	}
	ex.Body = string(b)
	if err != nil && !ex.BodyCut {
		// The head came; a body cut short by the peer or the deadline is noted, not fatal.
		ex.BodyCut = true
		ex.Head += "# body read: " + unwrapURLError(err).Error() + "\n"
	}
	return ex
}

// classify is checks.Classify, with net/http's complaints about a malformed response
// (bad status line, invalid header, head too large) as protocol errors.
func classify(err error) checks.Status {
	st := checks.Classify(err)
	if st != checks.StatusError {
		return st
	}
	msg := err.Error()
	for _, s := range []string{"malformed", "invalid header", "exceeded", "too large", "invalid Content-Length", "server gave HTTP response to HTTPS client"} {
		if strings.Contains(msg, s) {
			return checks.StatusProtocolError
		}
	}
	return st
}

// unwrapURLError drops net/http's "Get \"url\": " wrapping, keeping the cause.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err
	}
	return err
}

// requestHead renders the request head as it goes on the wire (headers sorted).
func requestHead(req *http.Request, bodyLen int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\n", req.Method, req.URL.RequestURI(), req.URL.Host)
	writeHeader(&b, req.Header)
	if bodyLen > 0 {
		fmt.Fprintf(&b, "Content-Length: %d\r\n", bodyLen)
	}
	return b.String()
}

// responseHead renders the status line and the header lines (sorted), bounded.
func responseHead(resp *http.Response) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\r\n", resp.Proto, resp.Status)
	writeHeader(&b, resp.Header)
	return clip(b.String(), maxHeaderBytes)
}

func writeHeader(b *strings.Builder, h http.Header) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			fmt.Fprintf(b, "%s: %s\r\n", k, v)
		}
	}
}

// clip cuts s to n bytes, marking the cut.
func clip(s string, n int) string { return wire.Clip(s, n) }
