package hello

import (
	"context"
	"crypto/tls"
	"net"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// goTLSServer serves crypto/tls with cfg on 127.0.0.1:0 (each connection runs its
// handshake until the client goes away) and returns a DialFunc to it.
func goTLSServer(t *testing.T, cfg *tls.Config) DialFunc {
	t.Helper()
	cfg.Certificates = []tls.Certificate{{Certificate: [][]byte{testCert()}, PrivateKey: testKey()}}
	return listen(t, func(c net.Conn) {
		c.SetDeadline(time.Now().Add(5 * time.Second))
		tls.Server(c, cfg).Handshake()
	})
}

func TestGoTLSServer(t *testing.T) {
	suites12 := []uint16{
		tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
		tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
	}
	curves := []tls.CurveID{tls.X25519, tls.CurveP256, tls.CurveP384}
	dial := goTLSServer(t, &tls.Config{MinVersion: tls.VersionTLS12, CipherSuites: suites12, CurvePreferences: curves})
	en, err := Enumerate(context.Background(), dial, Options{ServerName: "shop.example", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("Enumerate: %v", err)
	}
	checkComplete(t, en)
	if got, want := offered(en), []Version{TLS13, TLS12}; !slices.Equal(got, want) {
		t.Errorf("offered versions = %v, want %v\n%s", got, want, strings.Join(en.Transcript, "\n"))
	}
	r12 := en.Versions[TLS12]
	if got := slices.Sorted(slices.Values(r12.Suites)); !slices.Equal(got, slices.Sorted(slices.Values(suites12))) {
		t.Errorf("TLS 1.2 suites = %x, want %x", r12.Suites, suites12)
	}
	if !r12.ServerOrder || r12.Preferred != r12.Suites[0] {
		t.Errorf("TLS 1.2 server order %v, preferred %x; want crypto/tls's own order", r12.ServerOrder, r12.Preferred)
	}
	wantGroups := []uint16{uint16(tls.X25519), uint16(tls.CurveP256), uint16(tls.CurveP384)}
	if !slices.Equal(r12.Groups, wantGroups) {
		t.Errorf("TLS 1.2 groups = %v, want %v", r12.Groups, wantGroups)
	}
	r13 := en.Versions[TLS13]
	var want13 []uint16
	for _, s := range tls.CipherSuites() {
		if slices.Contains(s.SupportedVersions, tls.VersionTLS13) {
			want13 = append(want13, s.ID)
		}
	}
	if got := slices.Sorted(slices.Values(r13.Suites)); !slices.Equal(got, slices.Sorted(slices.Values(want13))) {
		t.Errorf("TLS 1.3 suites = %x, want %x", r13.Suites, want13)
	}
	if !slices.Equal(r13.Groups, wantGroups) {
		t.Errorf("TLS 1.3 groups = %v, want %v", r13.Groups, wantGroups)
	}
	for _, v := range []Version{TLS11, TLS10, SSL30, SSL20} {
		if r := en.Versions[v]; r.Offered || r.NoUsableSuite || len(r.Suites) > 0 {
			t.Errorf("%s: %+v; want refused", v, r)
		}
	}
	if len(en.Certificates) != 1 || string(en.Certificates[0]) != string(testCert()) {
		t.Errorf("certificates = %d, want the server's one", len(en.Certificates))
	}
}

// TestGoTLSNoUsableSuite: crypto/tls speaks TLS 1.0 and 1.1 but has only AEAD suites, which
// those versions cannot use: it refuses them with handshake_failure.
func TestGoTLSNoUsableSuite(t *testing.T) {
	cfg := &tls.Config{
		MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS12,
		CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256},
	}
	en, err := Enumerate(context.Background(), goTLSServer(t, cfg), Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("Enumerate: %v", err)
	}
	for v, want := range map[Version]bool{TLS12: false, TLS11: true, TLS10: true, SSL30: false} {
		if r := en.Versions[v]; r.NoUsableSuite != want || r.Offered != (v == TLS12) {
			t.Errorf("%s: offered %v, no usable suite %v; want %v, %v", v, r.Offered, r.NoUsableSuite, v == TLS12, want)
		}
	}
}

// TestTranscriptBounded: a transcript never holds more than maxTranscript lines.
func TestTranscriptBounded(t *testing.T) {
	var scans []*versionScan
	for range 3 {
		vs := &versionScan{v: TLS12}
		for range maxTranscript {
			vs.lines = append(vs.lines, "x")
		}
		scans = append(scans, vs)
	}
	en := assemble(scans[:1])
	if len(en.Transcript) != maxTranscript {
		t.Errorf("transcript of %d lines, want %d", len(en.Transcript), maxTranscript)
	}
	en = assemble([]*versionScan{scans[1], {v: TLS11, lines: scans[2].lines}})
	if got := len(en.Transcript); got != maxTranscript+1 || !strings.Contains(en.Transcript[got-1], "more lines") {
		t.Errorf("transcript of %d lines ending %q, want %d and a note", got, en.Transcript[got-1], maxTranscript+1)
	}
}

// TestParallel: probing versions at once finds what probing them one by one finds.
func TestParallel(t *testing.T) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS10, CipherSuites: []uint16{
		tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
	}}
	dial := goTLSServer(t, cfg)
	var got []*Enumeration
	for _, p := range []int{1, 4} {
		en, err := Enumerate(context.Background(), dial, Options{Parallel: p, Timeout: 5 * time.Second})
		if err != nil {
			t.Fatalf("parallel %d: %v", p, err)
		}
		got = append(got, en)
	}
	if !reflect.DeepEqual(got[0].Versions, got[1].Versions) || !reflect.DeepEqual(got[0].Certificates, got[1].Certificates) ||
		len(got[0].Transcript) != len(got[1].Transcript) {
		t.Errorf("one at a time and in parallel differ:\n%s\n---\n%s", strings.Join(got[0].Transcript, "\n"), strings.Join(got[1].Transcript, "\n"))
	}
	if !got[1].Versions[TLS10].Offered {
		t.Errorf("TLS 1.0 not found: %+v", got[1].Versions[TLS10])
	}
}
