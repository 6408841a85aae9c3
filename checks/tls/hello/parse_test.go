package hello

import (
	"bytes"
	"cmp"
	"errors"
	"io"
	"slices"
	"testing"

	"ecscan/checks"
)

func TestReadRecord(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   []byte
		want checks.Status // of the error
		typ  uint8
	}{
		{"handshake", []byte{22, 3, 3, 0, 2, 1, 2}, checks.StatusOK, 22},
		{"alert sslv3", []byte{21, 3, 0, 0, 2, 2, 40}, checks.StatusOK, 21},
		{"empty stream", nil, checks.StatusReset, 0},
		{"short header", []byte{22, 3}, checks.StatusReset, 0},
		{"short payload", []byte{22, 3, 3, 0, 9, 1}, checks.StatusReset, 0},
		{"bad type", []byte{19, 3, 3, 0, 0}, checks.StatusProtocolError, 0},
		{"bad major", []byte{22, 2, 0, 0, 0}, checks.StatusProtocolError, 0},
		{"too long", []byte{22, 3, 3, 0x48, 0x01}, checks.StatusProtocolError, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec, err := readRecord(bytes.NewReader(tt.in))
			if got := checks.Classify(err); got != tt.want {
				t.Fatalf("error %v (%s), want %s", err, got, tt.want)
			}
			if err == nil && rec.typ != tt.typ {
				t.Errorf("type %d, want %d", rec.typ, tt.typ)
			}
		})
	}
	if _, err := readRecord(bytes.NewReader([]byte{22, 3})); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("a cut header: %v, want unexpected EOF", err)
	}
}

func TestHandshakeReader(t *testing.T) {
	sh := serverHelloMsg(TLS12, 0xC02F)
	done := handshakeMsg(msgServerHelloDone, nil)
	split := slices.Concat(mkRecord(recordHandshake, TLS12, sh[:7]), mkRecord(recordChangeCipherSpec, TLS12, []byte{1}),
		mkRecord(recordHandshake, TLS12, slices.Concat(sh[7:], done)))
	hr := &handshakeReader{r: bytes.NewReader(split)}
	for _, want := range []uint8{msgServerHello, msgServerHelloDone} {
		typ, _, err := hr.next()
		if err != nil || typ != want {
			t.Fatalf("next() = %d, %v; want %d", typ, err, want)
		}
	}
	if _, _, err := hr.next(); !errors.Is(err, io.EOF) {
		t.Errorf("after the last message: %v, want EOF", err)
	}
	// A warning before the ServerHello is skipped; a warning and nothing else is the answer.
	warn := mkRecord(recordAlert, TLS12, []byte{1, 112})
	f, err := readTLSFlight(bytes.NewReader(slices.Concat(warn, mkRecord(recordHandshake, TLS12, sh))), false)
	if err != nil || f.hello == nil {
		t.Errorf("warning then ServerHello: %+v, %v; want the ServerHello", f, err)
	}
	f, err = readTLSFlight(bytes.NewReader(warn), false)
	if err != nil || f.alert == nil || f.alert.desc != 112 {
		t.Errorf("a warning alone: %+v, %v; want the warning as the answer", f, err)
	}
	for _, tt := range []struct {
		name string
		in   []byte
		want string
	}{
		{"alert", alertRecord(TLS12, alertHandshakeFailure), "tls: alert fatal handshake_failure"},
		{"application data", mkRecord(recordApplicationData, TLS12, []byte{1}), "tls: unexpected application_data record before the handshake ended"},
		{"huge message", mkRecord(recordHandshake, TLS12, []byte{2, 1, 0, 1}), "tls: handshake message of 65537 bytes"},
		{"cut message", mkRecord(recordHandshake, TLS12, sh[:9]), io.ErrUnexpectedEOF.Error()},
		{"bad alert", mkRecord(recordAlert, TLS12, []byte{7, 40}), "tls: malformed alert 07 28"},
	} {
		_, _, err := (&handshakeReader{r: bytes.NewReader(tt.in)}).next()
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestParseServerHello(t *testing.T) {
	hrr := serverHelloMsg(TLS13, 0x1301)[4:]
	copy(hrr[2:34], hrrRandom)
	hrr = append(hrr, 0, 0x33, 0, 2, 0, 23) // key_share: selected_group secp256r1
	hrr[39] += 6                            // extensions length
	tls13 := serverHelloMsg(TLS13, 0x1302)[4:]
	tls13 = append(tls13, 0, 0x33, 0, 6, 0, 29, 0, 2, 1, 2)
	tls13[39] += 10
	for _, tt := range []struct {
		name    string
		in      []byte
		version Version
		suite   uint16
		hrr     bool
		group   uint16
		exts    []uint16
		err     bool
	}{
		{name: "sslv3", in: serverHelloMsg(SSL30, 0x000A)[4:], version: SSL30, suite: 0x000A},
		{name: "tls1.2", in: serverHelloMsg(TLS12, 0xC02F, extRenegotiationInfo, extExtendedMaster)[4:],
			version: TLS12, suite: 0xC02F, exts: []uint16{extRenegotiationInfo, extExtendedMaster}},
		{name: "tls1.3", in: tls13, version: TLS13, suite: 0x1302, group: 29, exts: []uint16{extSupportedVersions, extKeyShare}},
		{name: "hrr", in: hrr, version: TLS13, suite: 0x1301, hrr: true, group: 23, exts: []uint16{extSupportedVersions, extKeyShare}},
		{name: "truncated", in: serverHelloMsg(TLS12, 0xC02F)[4:20], err: true},
		{name: "trailing byte", in: append(serverHelloMsg(TLS12, 0xC02F, extRenegotiationInfo)[4:], 0), err: true},
		{name: "version 2.0", in: append([]byte{2, 0}, serverHelloMsg(TLS12, 1)[6:]...), err: true},
		{name: "session id 33", in: slices.Concat([]byte{3, 3}, make([]byte, 32), []byte{33}, make([]byte, 36)), err: true},
		{name: "bad supported_versions", in: slices.Concat(serverHelloMsg(SSL30, 1)[4:], []byte{0, 5, 0, 43, 0, 1, 3}), err: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sh, err := parseServerHello(tt.in)
			if tt.err {
				if checks.Classify(err) != checks.StatusProtocolError {
					t.Fatalf("error %v, want a protocol error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if sh.version != tt.version || sh.suite != tt.suite || sh.hrr != tt.hrr || sh.group != tt.group || !slices.Equal(sh.extensions, tt.exts) {
				t.Errorf("got %+v, want version %s suite %x hrr %v group %d extensions %v", sh, tt.version, tt.suite, tt.hrr, tt.group, tt.exts)
			}
		})
	}
}

func TestParseCertificatesAndKeyExchange(t *testing.T) {
	certs, err := parseCertificates(certificateMsg([]byte("one"), []byte("two"))[4:])
	if err != nil || len(certs) != 2 || string(certs[1]) != "two" {
		t.Errorf("parseCertificates = %q, %v; want [one two]", certs, err)
	}
	for _, bad := range [][]byte{{0, 0, 5, 0, 0, 2, 1}, {0, 0, 3, 0, 0, 0}, {0, 0}} {
		if _, err := parseCertificates(bad); checks.Classify(err) != checks.StatusProtocolError {
			t.Errorf("parseCertificates(% x) = %v, want a protocol error", bad, err)
		}
	}
	suite := func(id uint16) Suite { s, _ := SuiteByID(id); return s }
	for _, tt := range []struct {
		name   string
		body   []byte
		suite  Suite
		want   keyExchange
		broken bool
	}{
		{"ecdhe", skeECDHE(groupSecp384r1)[4:], suite(0xC02F), keyExchange{group: groupSecp384r1}, false},
		{"explicit curve", []byte{1, 0, 0}, suite(0xC02F), keyExchange{}, false},
		{"dhe 1024", skeDHE(1024)[4:], suite(0x009E), keyExchange{dhBits: 1024}, false},
		{"dhe psk", append([]byte{0, 2, 'h', 'i'}, skeDHE(2048)[4:]...), suite(0x00AA), keyExchange{dhBits: 2048}, false},
		{"ecdhe psk", []byte{0, 0, 3, 0, 29}, suite(0xD001), keyExchange{group: 29}, false},
		{"rsa export", []byte{0, 1, 2}, suite(0x0003), keyExchange{}, false},
		{"dhe empty prime", []byte{0, 0}, suite(0x009E), keyExchange{}, true},
		{"ecdhe cut", []byte{3, 0}, suite(0xC02F), keyExchange{}, true},
	} {
		kx, err := parseServerKeyExchange(tt.body, tt.suite)
		if (err != nil) != tt.broken || kx != tt.want {
			t.Errorf("%s: %+v, %v; want %+v (error %v)", tt.name, kx, err, tt.want, tt.broken)
		}
	}
}

func TestReadSSLv2Flight(t *testing.T) {
	hello := sslv2ServerHello([]uint32{0x010080}, []byte("cert"))
	threeByte := append([]byte{0x00, byte(len(hello) - 2 + 3), 3}, append(hello[2:], 9, 9, 9)...)
	for _, tt := range []struct {
		name    string
		in      []byte
		ciphers []uint32
		v2Err   bool
		alert   bool
		err     checks.Status
	}{
		{name: "server hello", in: hello, ciphers: []uint32{0x010080}},
		{name: "3-byte header", in: threeByte, ciphers: []uint32{0x010080}},
		{name: "error", in: []byte{0x80, 3, 0, 0, 1}, v2Err: true},
		{name: "tls alert", in: alertRecord(TLS10, alertProtocolVersion), alert: true},
		{name: "cut", in: hello[:20], err: checks.StatusReset},
		{name: "lengths past the record", in: []byte{0x80, 11, 4, 0, 1, 0, 2, 0, 9, 0, 3, 0, 0}, err: checks.StatusProtocolError},
		{name: "specs not triples", in: []byte{0x80, 13, 4, 0, 1, 0, 2, 0, 0, 0, 2, 0, 0, 1, 1}, err: checks.StatusProtocolError},
		{name: "unknown message", in: []byte{0x80, 1, 7}, err: checks.StatusProtocolError},
		{name: "empty record", in: []byte{0x80, 0}, err: checks.StatusProtocolError},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, err := readSSLv2Flight(bytes.NewReader(tt.in))
			if got, want := checks.Classify(err), cmp.Or(tt.err, checks.StatusOK); got != want {
				t.Fatalf("error %v (%s), want %s", err, got, want)
			}
			if err != nil {
				return
			}
			var ciphers []uint32
			if f.v2 != nil {
				ciphers = f.v2.ciphers
			}
			if !slices.Equal(ciphers, tt.ciphers) || f.v2Error != tt.v2Err || (f.alert != nil) != tt.alert {
				t.Errorf("got ciphers %x, error %v, alert %v; want %x, %v, %v", ciphers, f.v2Error, f.alert, tt.ciphers, tt.v2Err, tt.alert)
			}
		})
	}
}
