package web

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"ecscan/checks"
)

// TestCheckOnHostileSites runs the whole check (nuclei included) on servers that answer
// every request with a gigabyte body, a one-byte-a-second drip, garbage, a redirect to
// yet another page (endlessly), or a header carrying control bytes. The run must end
// (within the test's deadline) with the failures recorded, the redirects must not be
// followed endlessly, and the heap must stay far below the gigabyte.
func TestCheckOnHostileSites(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the nuclei engine")
	}
	big := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1073741824")
		buf := make([]byte, 64<<10)
		for range 1 << 14 {
			if _, err := w.Write(buf); err != nil {
				return
			}
		}
	}))
	defer big.Close()
	drip := rawServer(t, func(c net.Conn) {
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nX-Slow: ")
		for range 120 {
			if _, err := c.Write([]byte("x")); err != nil {
				return
			}
			time.Sleep(time.Second)
		}
	})
	garbage := rawServer(t, func(c net.Conn) { _, _ = io.WriteString(c, "\x00\xffSSH-2.0-nonsense\r\n\x16\x03\x01") })
	var hops atomic.Int64
	loop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/hop/"+strconv.FormatInt(hops.Add(1), 10), http.StatusFound)
	}))
	defer loop.Close()
	badHeader := rawServer(t, func(c net.Conn) {
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nServer: x\x1b[2J\x07\r\nContent-Length: 2\r\n\r\nok")
	})

	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
				runtime.ReadMemStats(&m)
				if m.HeapAlloc > peak.Load() {
					peak.Store(m.HeapAlloc)
				}
			}
		}
	}()
	svc := func(host string, ap netip.AddrPort) checks.Service {
		return checks.Service{Host: host, Addr: ap.Addr(), Port: int(ap.Port()), Protocol: "http"}
	}
	res := newFakeResolver(t)
	cfg := Config{HostRate: 1000, Concurrency: 10, Timeout: time.Second, AllowPrivate: true, Resolver: res.addr(), Debug: io.Discard}
	results, stderr := runCheck(t, cfg,
		service(t, "big.test", big), svc("drip.test", drip), svc("garbage.test", garbage),
		service(t, "loop.test", loop), svc("badheader.test", badHeader))
	close(stop)

	if stderr != "" {
		t.Errorf("the check wrote to stderr: %q", clip(stderr, 2000))
	}
	if len(results) != 5 {
		t.Fatalf("got %d results, want 5: %v", len(results), keys(results))
	}
	for target, r := range results {
		t.Logf("%s: status %s %s, %d findings", target, r.Status, r.Error, len(r.Findings))
	}
	if r := results["http://drip.test:"+portString(drip)]; r.Status != checks.StatusTimeout {
		t.Errorf("drip: status %q, want timeout", r.Status)
	}
	if r := results["http://garbage.test:"+portString(garbage)]; r.Status != checks.StatusProtocolError {
		t.Errorf("garbage: status %q (%s), want protocol-error", r.Status, r.Error)
	}
	if r := results["http://badheader.test:"+portString(badHeader)]; r.Status != checks.StatusProtocolError {
		t.Errorf("control bytes in a header: status %q (%s), want protocol-error", r.Status, r.Error)
	}
	// Every request of the check and its templates gets one redirect; none is followed
	// further than 3 hops, so the server sees a bounded number of requests.
	if r := results["http://loop.test:"+portString(loop.Listener.Addr().(*net.TCPAddr).AddrPort())]; r.Status == "" {
		t.Errorf("endless redirects: no result")
	}
	t.Logf("endless redirects: %d requests", hops.Load())
	if n := hops.Load(); n > 2000 {
		t.Errorf("endless redirects: the server was asked %d times", n)
	}
	if p := peak.Load(); p > 512<<20 {
		t.Errorf("heap peaked at %d MB", p>>20)
	}
}

func portString(ap netip.AddrPort) string { return strconv.Itoa(int(ap.Port())) }
