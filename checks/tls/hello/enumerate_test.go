package hello

import (
	"bytes"
	"context"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"ecscan/checks"
)

// enumerate runs Enumerate against a fake with a short timeout and fails the test on an
// error.
func enumerate(t *testing.T, f *fakeServer, opts Options) *Enumeration {
	t.Helper()
	dial := listen(t, f.serve)
	if opts.Timeout == 0 {
		opts.Timeout = 5 * time.Second
	}
	en, err := Enumerate(context.Background(), dial, opts)
	if err != nil {
		t.Fatalf("Enumerate: %v\n%s", err, strings.Join(en.Transcript, "\n"))
	}
	checkComplete(t, en)
	return en
}

// checkComplete fails the test unless every version's scan ran to its end.
func checkComplete(t *testing.T, en *Enumeration) {
	t.Helper()
	for v, r := range en.Versions {
		if r.Status != checks.StatusOK || r.Error != "" {
			t.Errorf("%s: status %s (%s), want ok", v, r.Status, r.Error)
		}
	}
}

// offered lists the versions with Offered set, highest first.
func offered(en *Enumeration) []Version {
	var out []Version
	for _, v := range AllVersions() {
		if r := en.Versions[v]; r != nil && r.Offered {
			out = append(out, v)
		}
	}
	return out
}

func TestSSLv3Server(t *testing.T) {
	suites := []uint16{0x002F, 0x000A, 0x0005} // AES128-SHA, DES-CBC3-SHA, RC4-SHA
	en := enumerate(t, &fakeServer{suites: map[Version][]uint16{SSL30: suites}}, Options{})
	if got, want := offered(en), []Version{SSL30}; !slices.Equal(got, want) {
		t.Errorf("offered versions = %v, want %v", got, want)
	}
	r := en.Versions[SSL30]
	if !slices.Equal(r.Suites, suites) || !r.ServerOrder || r.Preferred != suites[0] {
		t.Errorf("SSLv3 suites = %x (server order %v, preferred %x), want %x in server order", r.Suites, r.ServerOrder, r.Preferred, suites)
	}
	// An SSLv3-only server answers the TLS hellos with SSLv3: not offered, answered with.
	for _, v := range []Version{TLS12, TLS11, TLS10} {
		if got := en.Versions[v]; got.Offered || got.AnsweredWith != SSL30 {
			t.Errorf("%s: offered %v, answered with %s; want not offered, answered with SSLv3", v, got.Offered, got.AnsweredWith)
		}
	}
	if len(en.Certificates) != 1 || !bytes.Equal(en.Certificates[0], testCert()) {
		t.Errorf("certificates = %d, want the server's one", len(en.Certificates))
	}
}

func TestSSLv2Server(t *testing.T) {
	kinds := []uint32{0x0700C0, 0x010080, 0x020080}
	en := enumerate(t, &fakeServer{sslv2: kinds}, Options{})
	if got, want := offered(en), []Version{SSL20}; !slices.Equal(got, want) {
		t.Errorf("offered versions = %v, want %v", got, want)
	}
	if got := en.Versions[SSL20].SSLv2Ciphers; !slices.Equal(got, kinds) {
		t.Errorf("SSLv2 cipher kinds = %x, want %x", got, kinds)
	}
	if len(en.Certificates) != 1 || !bytes.Equal(en.Certificates[0], testCert()) {
		t.Errorf("certificates = %d, want the one of the SERVER-HELLO", len(en.Certificates))
	}
	if c, ok := SSLv2CipherByID(0x020080); !ok || !c.Export || c.Bits != 40 {
		t.Errorf("SSLv2CipherByID(0x020080) = %+v, %v; want an export 40-bit cipher", c, ok)
	}
}

func TestOrder(t *testing.T) {
	// RC4-SHA is offered in a later hello than the other two, so the server's order must
	// be found by re-offering; and DHE shows its prime.
	suites := []uint16{0x0005, 0xC02F, 0x009E, 0x002F}
	pos := slices.Index(vsCandidates(TLS12), 0x0005)
	if pos < maxSuitesPerHello {
		t.Fatalf("RC4-SHA is offered at %d, in the first hello: the test needs it later", pos)
	}
	for _, tt := range []struct {
		name        string
		clientOrder bool
		want        []uint16
	}{
		{"server order", false, suites},
		{"client order", true, inOfferOrder(TLS12, suites)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeServer{suites: map[Version][]uint16{TLS12: suites}, clientOrder: tt.clientOrder, dhBits: 1024,
				curves: []uint16{groupSecp384r1, groupX25519}}
			en := enumerate(t, f, Options{Versions: []Version{TLS12}})
			r := en.Versions[TLS12]
			if !slices.Equal(r.Suites, tt.want) || r.ServerOrder == tt.clientOrder || r.Preferred != tt.want[0] {
				t.Errorf("suites %x, server order %v, preferred %x; want %x, %v, %x",
					r.Suites, r.ServerOrder, r.Preferred, tt.want, !tt.clientOrder, tt.want[0])
			}
			if got, want := r.Groups, []uint16{groupX25519, groupSecp384r1}; !slices.Equal(got, want) {
				t.Errorf("groups = %v, want %v", got, want)
			}
			if r.DHBits != 1024 {
				t.Errorf("DH bits = %d, want 1024", r.DHBits)
			}
			if !slices.Contains(r.Extensions, extRenegotiationInfo) {
				t.Errorf("extensions = %x, want renegotiation_info", r.Extensions)
			}
		})
	}
}

func vsCandidates(v Version) []uint16 { return (&versionScan{v: v}).candidates() }

// inOfferOrder sorts suites in the order the enumeration offers them.
func inOfferOrder(v Version, suites []uint16) []uint16 {
	var out []uint16
	for _, id := range vsCandidates(v) {
		if slices.Contains(suites, id) {
			out = append(out, id)
		}
	}
	return out
}

func TestAnsweredWithHigher(t *testing.T) {
	f := &fakeServer{suites: map[Version][]uint16{TLS12: {0xC02F}}, answerWith: TLS12}
	en := enumerate(t, f, Options{Versions: []Version{TLS12, TLS11, TLS10}})
	if got, want := offered(en), []Version{TLS12}; !slices.Equal(got, want) {
		t.Errorf("offered versions = %v, want %v", got, want)
	}
	for _, v := range []Version{TLS11, TLS10} {
		if got := en.Versions[v]; got.Offered || got.AnsweredWith != TLS12 || len(got.Suites) != 0 {
			t.Errorf("%s: %+v; want answered with TLSv1.2, not offered", v, got)
		}
	}
}

func TestNoUsableSuite(t *testing.T) {
	t.Run("refused suites", func(t *testing.T) {
		// TLS 1.0 and 1.1 are spoken, but only with a suite nobody offers.
		f := &fakeServer{suites: map[Version][]uint16{TLS12: {0xC02F}, TLS11: {0xFEFE}, TLS10: {0xFEFE}}}
		en := enumerate(t, f, Options{Versions: []Version{TLS12, TLS11, TLS10}})
		for v, want := range map[Version]bool{TLS12: false, TLS11: true, TLS10: true} {
			if got := en.Versions[v].NoUsableSuite; got != want {
				t.Errorf("%s: no usable suite = %v, want %v", v, got, want)
			}
		}
	})
	t.Run("unusable suite", func(t *testing.T) {
		// A TLS 1.0 server that picks a TLS 1.2 AEAD suite.
		f := &fakeServer{suites: map[Version][]uint16{TLS10: {0xC02F}}}
		en := enumerate(t, f, Options{Versions: []Version{TLS10}})
		r := en.Versions[TLS10]
		if r.Offered || !r.NoUsableSuite || !slices.Equal(r.Unusable, []uint16{0xC02F}) {
			t.Errorf("TLSv1.0: %+v; want no usable suite, unusable c02f", r)
		}
	})
	t.Run("sslv3 refused", func(t *testing.T) {
		// OpenSSL refuses SSLv3 with handshake_failure: SSLv3 has no protocol_version alert.
		f := &fakeServer{suites: map[Version][]uint16{TLS12: {0xC02F}}}
		dial := listen(t, func(c net.Conn) {
			ch, err := readClientHello(c)
			switch {
			case err != nil || ch.sslv2:
			case ch.maxVersion() == SSL30:
				c.Write(alertRecord(SSL30, alertHandshakeFailure))
			default:
				c.Write(f.answer(ch))
			}
		})
		en, err := Enumerate(context.Background(), dial, Options{Versions: []Version{TLS12, SSL30}})
		if err != nil {
			t.Fatal(err)
		}
		if r := en.Versions[SSL30]; r.Offered || r.NoUsableSuite {
			t.Errorf("SSLv3: %+v; want neither offered nor no usable suite", r)
		}
	})
	t.Run("not spoken", func(t *testing.T) {
		f := &fakeServer{suites: map[Version][]uint16{TLS12: {0xC02F}}}
		en := enumerate(t, f, Options{Versions: []Version{TLS12, TLS10}})
		if r := en.Versions[TLS10]; r.Offered || r.NoUsableSuite {
			t.Errorf("TLSv1.0 refused with protocol_version: %+v; want neither offered nor no usable suite", r)
		}
	})
}

func TestChosenSuiteNotOffered(t *testing.T) {
	f := &fakeServer{suites: map[Version][]uint16{TLS12: {0xFEFE}}, anySuite: true}
	en := enumerate(t, f, Options{Versions: []Version{TLS12}})
	if r := en.Versions[TLS12]; r.Offered || len(r.Suites) != 0 {
		t.Errorf("a server picking a suite not offered: %+v; want nothing accepted", r)
	}
	if n := len(en.Transcript); n != 2 || !strings.Contains(en.Transcript[1], "not offered") {
		t.Errorf("transcript = %q; want the probe and a note", en.Transcript)
	}
}

// TestGroupsECDSA: a TLS 1.2 server with an ECDSA key on secp256r1 uses its ECDSA suites
// only when the hello lists secp256r1; the group probes list it after the probed curve.
func TestGroupsECDSA(t *testing.T) {
	f := &fakeServer{suites: map[Version][]uint16{TLS12: {0xC02B}}, ecdsaCurve: groupSecp256r1, clientCurve: true,
		curves: []uint16{groupSecp384r1, groupSecp256r1, groupX25519}}
	en := enumerate(t, f, Options{Versions: []Version{TLS12}})
	if got, want := en.Versions[TLS12].Groups, []uint16{groupX25519, groupSecp256r1, groupSecp384r1}; !slices.Equal(got, want) {
		t.Errorf("groups = %v, want %v\n%s", got, want, strings.Join(en.Transcript, "\n"))
	}
}
