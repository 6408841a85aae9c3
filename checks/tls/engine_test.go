package tls

import (
	"context"
	"io"
	"net"
	"slices"
	"testing"

	"ecscan/checks"
	"ecscan/checks/tls/hello"
)

func TestFromHello(t *testing.T) {
	en := &hello.Enumeration{
		Versions: map[hello.Version]*hello.VersionResult{
			hello.TLS12: {Offered: true, Suites: []uint16{0xc02f, 0x000a, 0x0007, 0xfefe}, ServerOrder: true, Preferred: 0xc02f,
				Groups: []uint16{29, 0x0100}, DHBits: 2048, Extensions: []uint16{23, 0xff01}},
			hello.TLS13: {Offered: true, Suites: []uint16{0x1301}},
			hello.TLS10: {AnsweredWith: hello.TLS12},
			hello.SSL20: {Offered: true, SSLv2Ciphers: []uint32{0x0700c0, 0x020080}},
		},
		Certificates: [][]byte{{1, 2, 3}},
		Transcript:   []string{"probe 1"},
	}
	got := fromHello(en)
	if len(got.Protocols) != len(Versions) {
		t.Fatalf("protocols: got %d, want %d", len(got.Protocols), len(Versions))
	}
	p12 := got.Protocol(TLS12)
	names := func(ss []Suite) []string {
		var out []string
		for _, s := range ss {
			out = append(out, s.Name)
		}
		return out
	}
	if want := []string{"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_WITH_IDEA_CBC_SHA", "0xFEFE"}; !slices.Equal(names(p12.Suites), want) {
		t.Errorf("TLS 1.2 suites: got %v, want %v", names(p12.Suites), want)
	}
	if s := p12.Suites[0]; !s.Known || !s.ForwardSecrecy || !s.AEAD || s.Bits != 128 {
		t.Errorf("ECDHE GCM suite: %+v", s)
	}
	if s := p12.Suites[1]; !s.TripleDES || !s.Block64 || !s.CBC {
		t.Errorf("3DES suite: %+v", s)
	}
	if s := p12.Suites[2]; !s.Block64 || s.TripleDES {
		t.Errorf("IDEA suite: %+v", s)
	}
	if s := p12.Suites[3]; s.Known {
		t.Errorf("unregistered suite marked known: %+v", s)
	}
	if p12.Preferred == nil || p12.Preferred.ID != 0xc02f || !p12.ServerOrder || p12.DHBits != 2048 {
		t.Errorf("order and DH: %+v", p12)
	}
	if len(p12.Groups) != 2 || p12.Groups[0].Name != "x25519" || p12.Groups[1].Bits != 2048 || !p12.Groups[1].FFDH {
		t.Errorf("groups: %+v", p12.Groups)
	}
	if s := got.Protocol(TLS13).Suites[0]; !s.ForwardSecrecy || !s.AEAD {
		t.Errorf("TLS 1.3 suite without forward secrecy or AEAD: %+v", s)
	}
	if p := got.Protocol(TLS10); p.Offered || p.AnsweredWith != TLS12 {
		t.Errorf("TLS 1.0: %+v", p)
	}
	if p := got.Protocol(SSL20); len(p.Suites) != 2 || !p.Suites[1].Export || p.Suites[0].Spec != 0x0700c0 {
		t.Errorf("SSLv2 ciphers: %+v", p.Suites)
	}
	if got.Protocol(SSL30).Offered || len(got.Certificates) != 1 || len(got.Transcript) != 1 {
		t.Errorf("SSLv3, certificates, transcript: %+v", got)
	}
	if fromHello(nil) != nil {
		t.Error("fromHello(nil) not nil")
	}
	if sr := secureRenegotiation(got); sr == nil || !*sr {
		t.Errorf("secure renegotiation: %v, want true", sr)
	}
}

// TestSSLv3Only: a server that refuses every TLS hello (as an SSLv3-only server answers Go's
// crypto/tls) still gets its chain, from the engine's certificates, and its grade.
func TestSSLv3Only(t *testing.T) {
	c := theCA(t)
	cert := c.leaf(t, leafSpec{})
	ap := listen(t, func(conn net.Conn) {
		conn.Read(make([]byte, 1024))
		conn.Write([]byte{0x15, 0x03, 0x00, 0x00, 0x02, 0x02, 0x46}) // fatal protocol_version
		io.Copy(io.Discard, conn)
	})
	engine := func(ctx context.Context, dial DialFunc, opts EngineOptions) (*Enumeration, error) {
		conn, err := dial(ctx) // the engine goes through the endpoint's dialer
		if err != nil {
			return nil, err
		}
		conn.Close()
		e := enumOf(offered(SSL30, sRSACBC, sRC4))
		e.Certificates = cert.Certificate
		return e, nil
	}
	res := runCheck(t, Config{CABundle: c.bundle}, engine, service(ap, "http", true, false))[int(ap.Port())]
	if res.Status != checks.StatusOK {
		t.Fatalf("status %s (%s)", res.Status, res.Error)
	}
	d := res.Data.(*Data)
	if d.Chain == nil || d.Chain.Source != "enumeration" || !d.Chain.Trusted {
		t.Fatalf("chain: %+v", d.Chain)
	}
	for id, want := range map[string]string{"tls.protocol.sslv3": "fail/high", "tls.https": "pass", "tls.cert.untrusted": "pass",
		"tls.ocsp-stapling": "", "tls.grade": "fail/high"} {
		if got := outcome(res, id); got != want {
			t.Errorf("%s: got %q, want %q", id, got, want)
		}
	}
	if gradeOf(res) != "F" {
		t.Errorf("grade %s, want F (SSLv3 the best protocol)", gradeOf(res))
	}
}
