package hello

import (
	"bytes"
	"encoding/binary"
	"slices"
	"testing"
)

func TestBuildClientHello(t *testing.T) {
	shares, err := newKeyShares(groupX25519, groupSecp256r1, groupX448)
	if err != nil {
		t.Fatal(err)
	}
	if len(shares) != 2 || len(shares[0].data) != 32 || len(shares[1].data) != 65 {
		t.Fatalf("key shares %v: want x25519 (32 bytes) and secp256r1 (65 bytes), none for x448", shares)
	}
	for _, tt := range []struct {
		v       Version
		name    string
		record  uint16
		legacy  Version
		exts    []uint16 // must be there
		notExts []uint16 // must not
	}{
		{SSL30, "shop.example", 0x0300, SSL30, nil, nil},
		{TLS10, "shop.example", 0x0301, TLS10, []uint16{extServerName, extSupportedGroups, extECPointFormats, extRenegotiationInfo},
			[]uint16{extSignatureAlgorithms, extSupportedVersions, extKeyShare}},
		{TLS12, "shop.example.", 0x0301, TLS12, []uint16{extServerName, extSignatureAlgorithms, extExtendedMaster, extRenegotiationInfo},
			[]uint16{extSupportedVersions, extKeyShare}},
		{TLS12, "192.0.2.1", 0x0301, TLS12, []uint16{extSignatureAlgorithms}, []uint16{extServerName}},
		{TLS13, "shop.example", 0x0301, TLS12, []uint16{extServerName, extSupportedVersions, extKeyShare, extSignatureAlgorithms, extSupportedGroups},
			[]uint16{extRenegotiationInfo}},
	} {
		t.Run(tt.v.String()+" "+tt.name, func(t *testing.T) {
			suites := vsCandidates(tt.v)[:min(128, len(vsCandidates(tt.v)))]
			spec := helloSpec{version: tt.v, suites: suites, groups: ecGroupsTLS12(), serverName: tt.name}
			if tt.v == TLS13 {
				spec.groups, spec.shares = groupsTLS13(), shares
			}
			msg, err := buildClientHello(spec)
			if err != nil {
				t.Fatal(err)
			}
			ch, err := readClientHello(bytes.NewReader(msg))
			if err != nil {
				t.Fatalf("the fake cannot read it: %v", err)
			}
			wantSuites := suites
			if tt.v == SSL30 {
				wantSuites = append(slices.Clone(suites), scsvRenegotiation)
			}
			if ch.record != tt.record || ch.version != tt.legacy || !slices.Equal(ch.suites, wantSuites) {
				t.Errorf("record 0x%04x, version %s, %d suites; want 0x%04x, %s, %d", ch.record, ch.version, len(ch.suites), tt.record, tt.legacy, len(wantSuites))
			}
			for _, x := range tt.exts {
				if !slices.Contains(ch.extensions, x) {
					t.Errorf("extension %d missing from %v", x, ch.extensions)
				}
			}
			for _, x := range tt.notExts {
				if slices.Contains(ch.extensions, x) {
					t.Errorf("extension %d present in %v", x, ch.extensions)
				}
			}
			if tt.v == SSL30 && ch.extensions != nil {
				t.Errorf("SSLv3 hello with extensions %v", ch.extensions)
			}
			if tt.v == TLS13 && (!slices.Equal(ch.versions, []Version{TLS13}) || !slices.Equal(ch.shares, []uint16{groupX25519, groupSecp256r1})) {
				t.Errorf("TLS 1.3: supported_versions %v, key shares %v", ch.versions, ch.shares)
			}
			if want := sniName(tt.name); tt.v != SSL30 && ch.serverName != want {
				t.Errorf("SNI %q, want %q", ch.serverName, want)
			}
		})
	}
}

// TestHelloPadding: no hello's handshake message is 256 to 511 bytes long.
func TestHelloPadding(t *testing.T) {
	for n := 1; n <= 128; n++ {
		for _, v := range []Version{TLS10, TLS12} {
			msg, err := buildClientHello(helloSpec{version: v, suites: vsCandidates(v)[:n], groups: ecGroupsTLS12(), serverName: "shop.example"})
			if err != nil {
				t.Fatal(err)
			}
			hs := int(binary.BigEndian.Uint16(msg[3:5]))
			if hs >= 256 && hs < 512 {
				t.Errorf("%s with %d suites: handshake message of %d bytes", v, n, hs)
			}
			if _, err := readClientHello(bytes.NewReader(msg)); err != nil {
				t.Errorf("%s with %d suites: %v", v, n, err)
			}
		}
	}
}

func TestSSLv2ClientHello(t *testing.T) {
	ch, err := readClientHello(bytes.NewReader(buildSSLv2ClientHello()))
	if err != nil {
		t.Fatal(err)
	}
	var want []uint32
	for _, c := range SSLv2Ciphers() {
		want = append(want, c.ID)
	}
	if !ch.sslv2 || ch.version != SSL20 || !slices.Equal(ch.v2Ciphers, want) {
		t.Errorf("SSLv2 hello: %+v, want version 0x0002 and every cipher kind", ch)
	}
}
