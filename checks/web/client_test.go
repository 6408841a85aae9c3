package web

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"ecscan/checks"
	"ecscan/checks/checktest"
)

// hostFetcher returns a fetcher whose only route is www.shop.test:PORT → the server.
func hostFetcher(t *testing.T, srv netip.AddrPort, timeout time.Duration) (*fetcher, target) {
	t.Helper()
	tg := target{Host: "www.shop.test", Addr: srv.Addr(), Port: int(srv.Port())}
	d := checks.NewDialer(checks.DefaultLimits(), netip.Addr{})
	return newFetcher(routes([]target{tg}), d.DialContext, newHostLimiter(0), newBreaker(timeout), timeout, UserAgent), tg
}

func serverAddr(t *testing.T, s *httptest.Server) netip.AddrPort {
	t.Helper()
	return netip.MustParseAddrPort(s.Listener.Addr().String())
}

// rawServer answers every connection with fn, after reading the request head.
func rawServer(t *testing.T, fn func(c net.Conn)) netip.AddrPort {
	t.Helper()
	return checktest.Serve(t, func(c net.Conn) {
		r := bufio.NewReader(c)
		for {
			line, err := r.ReadString('\n')
			if err != nil || line == "\r\n" {
				break
			}
		}
		fn(c)
	})
}

func TestFetcherGigabyteBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1073741824")
		buf := make([]byte, 64<<10)
		for range 1 << 14 { // 1 GiB, streamed
			if _, err := w.Write(buf); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	f, tg := hostFetcher(t, serverAddr(t, srv), 10*time.Second)
	ex := f.Do(context.Background(), "GET", tg.URL()+"/big", nil, nil)
	if ex.Status != 200 || !ex.BodyCut || len(ex.Body) != maxBody {
		t.Errorf("status %d, cut %v, kept %d bytes: want 200, cut, %d", ex.Status, ex.BodyCut, len(ex.Body), maxBody)
	}
}

func TestFetcherDoesNotFollowEndlessRedirects(t *testing.T) {
	var hits int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		http.Redirect(w, r, "/r"+r.URL.Path, http.StatusFound)
	}))
	defer srv.Close()
	f, tg := hostFetcher(t, serverAddr(t, srv), 5*time.Second)
	home := f.followHome(context.Background(), tg, tg.URL()+"/")
	if len(home) != maxRedirects+1 {
		t.Errorf("followed %d requests, want %d", len(home), maxRedirects+1)
	}
	if hits != maxRedirects+1 {
		t.Errorf("server saw %d requests, want %d", hits, maxRedirects+1)
	}
}

func TestFetcherRedirectOffTargetNotFollowed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://elsewhere.test/", http.StatusMovedPermanently)
	}))
	defer srv.Close()
	f, tg := hostFetcher(t, serverAddr(t, srv), 5*time.Second)
	home := f.followHome(context.Background(), tg, tg.URL()+"/")
	if len(home) != 1 || home[0].Status != 301 {
		t.Errorf("got %d exchanges (first status %d), want the one 301", len(home), home[0].Status)
	}
}

func TestFetcherSlowDrip(t *testing.T) {
	srv := rawServer(t, func(c net.Conn) {
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\n")
		for range 600 { // one byte a second for ten minutes
			if _, err := c.Write([]byte("X")); err != nil {
				return
			}
			time.Sleep(time.Second)
		}
	})
	f, tg := hostFetcher(t, srv, 500*time.Millisecond)
	ex := f.Do(context.Background(), "GET", tg.URL()+"/", nil, nil)
	if ex.Error == "" || ex.Class != checks.StatusTimeout {
		t.Errorf("error %q class %q, want a timeout", ex.Error, ex.Class)
	}
}

func TestFetcherSlowBody(t *testing.T) {
	srv := rawServer(t, func(c net.Conn) {
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n")
		for range 600 {
			if _, err := c.Write([]byte("X")); err != nil {
				return
			}
			time.Sleep(time.Second)
		}
	})
	f, tg := hostFetcher(t, srv, 500*time.Millisecond)
	ex := f.Do(context.Background(), "GET", tg.URL()+"/", nil, nil)
	if ex.Status != 200 || !ex.BodyCut || len(ex.Body) >= 1000000 {
		t.Errorf("status %d cut %v body %d bytes: want 200, cut short", ex.Status, ex.BodyCut, len(ex.Body))
	}
}

func TestFetcherInvalidHeaders(t *testing.T) {
	for name, resp := range map[string]string{
		"garbage status line":  "SSH-2.0-OpenSSH\r\n\r\n",
		"header without colon": "HTTP/1.1 200 OK\r\nthis is not a header\r\n\r\n",
		"endless header":       "HTTP/1.1 200 OK\r\nX: " + strings.Repeat("a", 1<<20),
	} {
		t.Run(name, func(t *testing.T) {
			srv := rawServer(t, func(c net.Conn) { _, _ = io.WriteString(c, resp) })
			f, tg := hostFetcher(t, srv, 5*time.Second)
			ex := f.Do(context.Background(), "GET", tg.URL()+"/", nil, nil)
			if ex.Error == "" || ex.Class != checks.StatusProtocolError {
				t.Errorf("error %q class %q, want a protocol error", ex.Error, ex.Class)
			}
		})
	}
}

func TestFetcherOnlyTargets(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	f, _ := hostFetcher(t, serverAddr(t, srv), 5*time.Second)
	// The server's own address is a route (addr:port), another name is not.
	ex := f.Do(context.Background(), "GET", "http://other.test:"+srv.URL[strings.LastIndex(srv.URL, ":")+1:]+"/", nil, nil)
	if ex.Error == "" || !strings.Contains(ex.Error, "not a web target") {
		t.Errorf("error %q, want a refusal", ex.Error)
	}
}

func TestBreaker(t *testing.T) {
	b := newBreaker(time.Second)
	ap := netip.MustParseAddrPort("192.0.2.1:80")
	for i := range maxSlow {
		if err := b.check(ap); err != nil {
			t.Fatalf("after %d slow answers: %v", i, err)
		}
		b.note(ap, time.Second)
		b.note(ap, time.Millisecond) // a quick answer does not count
	}
	err := b.check(ap)
	if err == nil {
		t.Fatalf("after %d slow answers: no refusal", maxSlow)
	}
	if got := checks.Classify(err); got != checks.StatusTimeout {
		t.Errorf("refusal classified %q, want timeout", got)
	}
	if err := b.check(netip.MustParseAddrPort("192.0.2.1:443")); err != nil {
		t.Errorf("another endpoint refused: %v", err)
	}
}
