package ftp

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"ecscan/checks"
)

func reader(s string) *lineReader { return checks.NewLineReader(strings.NewReader(s), maxBytes, nil) }

func TestReadReply(t *testing.T) {
	for _, tc := range []struct {
		in      string
		code    int
		lines   []string
		wantErr bool
	}{
		{"220 (vsFTPd 3.0.3)\r\n", 220, []string{"(vsFTPd 3.0.3)"}, false},
		{"220\r\n", 220, []string{""}, false},
		{"211-Features:\r\n EPSV\r\n MLST type*;perm*;\r\n211 End\r\n", 211, []string{"Features:", " EPSV", " MLST type*;perm*;", "End"}, false},
		{"230-Welcome\r\n230-\r\n230 Login successful.\n", 230, []string{"Welcome", "230-", "Login successful."}, false},
		{"220-a\r\n 220 not the end\r\n220-still not\r\n220 end\r\n", 220, []string{"a", " 220 not the end", "220-still not", "end"}, false},
		{"211-Features:\r\n EPSV\r\n", 211, []string{"Features:", " EPSV"}, true},
		{"SSH-2.0-x\r\n", 0, nil, true},
		{"2200 x\r\n", 0, nil, true},
		{"620 x\r\n", 0, nil, true},
	} {
		r, err := readReply(reader(tc.in))
		if (err != nil) != tc.wantErr || r.Code != tc.code || !slices.Equal(r.Lines, tc.lines) {
			t.Errorf("readReply(%q) = %d %q, %v; want %d %q, error %v", tc.in, r.Code, r.Lines, err, tc.code, tc.lines, tc.wantErr)
		}
	}
	if got, want := features(Reply{Code: 211, Lines: []string{"Features:", " EPSV", "", " AUTH TLS", "End"}}), []string{"EPSV", "AUTH TLS"}; !slices.Equal(got, want) {
		t.Errorf("features = %q, want %q", got, want)
	}
}

func TestParsePASV(t *testing.T) {
	for in, want := range map[string]string{
		"Entering Passive Mode (127,0,30,21,156,64).": "127.0.30.21:40000",
		"Entering Passive Mode 10,0,0,5,4,1":          "10.0.0.5:1025",
		"=192,0,2,1,0,21":                             "192.0.2.1:21",
		"Entering Passive Mode (256,0,0,1,1,1)":       "",
		"Entering Passive Mode (1,2,3,4,5)":           "",
		"nothing":                                     "",
	} {
		ap, ok := parsePASV(in)
		got := ""
		if ok {
			got = ap.String()
		}
		if got != want {
			t.Errorf("parsePASV(%q) = %q, want %q", in, got, want)
		}
	}
	if got := formatPORT(netip.MustParseAddrPort("127.0.0.2:40000")); got != "127,0,0,2,156,64" {
		t.Errorf("formatPORT = %q", got)
	}
}

func TestParseEPSV(t *testing.T) {
	for in, want := range map[string]int{
		"Entering Extended Passive Mode (|||40000|)": 40000,
		"Entering Extended Passive Mode (!!!21!)":    21,
		"(|||65535|)":  65535,
		"(|||65536|)":  0,
		"(|||0|)":      0,
		"(|||40000)":   0,
		"(||40000|)":   0,
		"(|||123456|)": 0,
		"(   1 )":      0,
		"(":            0,
	} {
		if got, _ := parseEPSV(in); got != want {
			t.Errorf("parseEPSV(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestParseEntry(t *testing.T) {
	for _, tc := range []struct {
		line     string
		mlsd     bool
		name     string
		writable bool
	}{
		{"drwxrwxrwx    2 0  0  4096 Jan 01 12:00 incoming", false, "incoming", true},
		{"drwxr-xr-x    2 ftp ftp 4096 Jan 01 12:00 upload", false, "upload", true},
		{"drwxr-xr-x    2 0  0  4096 Jan 01 12:00 pub", false, "pub", false},
		{"drwxrwxrwt    2 0  0  4096 Jan 01 12:00 tmp dir", false, "tmp dir", true},
		{"lrwxrwxrwx    1 0  0     3 Jan 01 12:00 l -> pub", false, "l", false},
		{"-rw-rw-rw-    1 0  0    31 Jan 01 12:00 README", false, "README", true},
		{"01-01-26  12:00PM       <DIR>          incoming", false, "", false},
		{"total 12", false, "", false},
		{"type=dir;perm=flcdmpe; upload", true, "upload", true},
		{"type=dir;perm=el; pub", true, "pub", false},
		{"type=file;perm=r;unix.mode=0666; f", true, "f", true},
		{"type=cdir;perm=cmp; /", true, ".", true},
		{"type=pdir;perm=cmp; ..", true, "..", false},
		{"no facts here", true, "", false},
	} {
		e := parseEntry(tc.line, tc.mlsd)
		if e.Name != tc.name || e.Writable != tc.writable {
			t.Errorf("parseEntry(%q) = name %q writable %v (%s), want %q %v", tc.line, e.Name, e.Writable, e.Why, tc.name, tc.writable)
		}
	}
}

func TestRequiresTLS(t *testing.T) {
	for _, tc := range []struct {
		code  int
		reply string
		want  string
	}{
		{530, "530 Non-anonymous sessions must use encryption.", "true"},
		{550, "550 SSL/TLS required on the control channel", "true"},
		{331, "331 Please specify the password.", "false"},
		{530, "530 Login incorrect.", "nil"},
		{500, "500 OOPS", "nil"},
	} {
		got := "nil"
		if r := requiresTLS(tc.code, tc.reply); r != nil {
			got = map[bool]string{true: "true", false: "false"}[*r]
		}
		if got != tc.want {
			t.Errorf("requiresTLS(%d, %q) = %s, want %s", tc.code, tc.reply, got, tc.want)
		}
	}
}

func TestIdentify(t *testing.T) {
	for _, tc := range []struct {
		o                  Observation
		product, ver, from string
	}{
		{Observation{Banner: "(vsFTPd 3.0.3)"}, "vsftpd", "3.0.3", "banner"},
		{Observation{Banner: "Welcome", Stat: []string{"FTP server status:", "vsFTPd 3.0.3 - secure, fast, stable"}}, "vsftpd", "3.0.3", "STAT"},
		{Observation{Banner: "ProFTPD Server (Debian) [::ffff:127.0.30.21]"}, "ProFTPD", "", "banner"},
		{Observation{Banner: "ProFTPD Server ready", Syst: "UNIX Type: L8", Stat: []string{"ProFTPD 1.3.8 Server"}}, "ProFTPD", "1.3.8", "STAT"},
		{Observation{Banner: "Microsoft FTP Service"}, "Microsoft FTP Service", "", "banner"},
		{Observation{Banner: "ready"}, "", "", ""},
	} {
		o := tc.o
		identify(&o)
		if o.Product != tc.product || o.Version != tc.ver || o.From != tc.from {
			t.Errorf("identify(%q) = %q %q from %q, want %q %q from %q", tc.o.Banner, o.Product, o.Version, o.From, tc.product, tc.ver, tc.from)
		}
	}
}

// The reply and listing parsers never panic, stay within their bounds and keep text
// printable.
func FuzzReply(f *testing.F) {
	for _, s := range []string{"220 (vsFTPd 3.0.3)\r\n", "211-Features:\r\n EPSV\r\n211 End\r\n", "227 Entering Passive Mode (127,0,0,1,4,1).\r\n",
		"229 Entering Extended Passive Mode (|||40000|)\r\n", "230-\r\n230 \r\n", "421 Timeout.\r\n", "220-\xff\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		lr := reader(in)
		r, err := readReply(lr)
		if lr.N > maxBytes+maxLine || len(r.Lines) > maxLines+1 {
			t.Fatalf("read %d bytes, kept %d lines", lr.N, len(r.Lines))
		}
		if err == nil && (r.Code < 100 || r.Code > 599) {
			t.Fatalf("code %d accepted", r.Code)
		}
		if s := r.String(); !utf8.ValidString(s) {
			t.Fatalf("String() = %q: not UTF-8", s)
		}
		features(r)
		if ap, ok := parsePASV(r.Text()); ok && !ap.Addr().Is4() {
			t.Fatalf("parsePASV gave %s", ap)
		}
		if p, ok := parseEPSV(r.Text()); ok && (p < 1 || p > 65535) {
			t.Fatalf("parseEPSV gave %d", p)
		}
		o := Observation{Banner: r.Text(), Stat: r.Lines}
		identify(&o)
		if len(o.Version) > 4*maxProduct {
			t.Fatalf("version %q not bounded", o.Version)
		}
	})
}

func FuzzEntry(f *testing.F) {
	for _, s := range []string{"drwxrwxrwx 2 0 0 4096 Jan 01 12:00 incoming", "type=dir;perm=cmp; up", "lrwxrwxrwx 1 0 0 3 Jan 1 x -> y", "drwxr-xr-x 2 ftp"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, line string, mlsd bool) {
		e := parseEntry(line, mlsd)
		if e.Writable && e.Why == "" {
			t.Fatalf("writable without a reason: %+v", e)
		}
		_ = plainName(e.Name)
	})
}
