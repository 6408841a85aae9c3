package mail

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"ecscan/checks"
)

func reader(s string) *lineReader { return checks.NewLineReader(strings.NewReader(s), maxBytes, nil) }

func TestReadPOP3(t *testing.T) {
	for _, tc := range []struct {
		in      string
		multi   bool
		ok      bool
		text    string
		lines   []string
		wantErr bool
	}{
		{"+OK ready\r\n", false, true, "ready", nil, false},
		{"+OK\r\n", false, true, "", nil, false},
		{"-ERR nope\r\n", true, false, "nope", nil, false},
		{"+OK caps\r\nUSER\r\n..dot\r\n.\r\n", true, true, "caps", []string{"USER", ".dot"}, false},
		{"+OK\nSTLS\n.\n", true, true, "", []string{"STLS"}, false},
		{"* OK imap\r\n", false, false, "", nil, true},
		{"+OK caps\r\nUSER\r\n", true, true, "caps", []string{"USER"}, true},
		{"+OKAY\r\n", false, false, "", nil, true},
	} {
		r, err := readPOP3(reader(tc.in), tc.multi)
		if (err != nil) != tc.wantErr || r.OK != tc.ok || r.Text != tc.text || !slices.Equal(r.Lines, tc.lines) {
			t.Errorf("readPOP3(%q) = %+v, %v; want ok %v text %q lines %q error %v", tc.in, r, err, tc.ok, tc.text, tc.lines, tc.wantErr)
		}
	}
}

func TestReadIMAP(t *testing.T) {
	r, err := readIMAP(reader("* CAPABILITY IMAP4rev1 ID\r\n+ go on\r\nE1 OK [CAPABILITY X] done\r\n"), "E1")
	if err != nil || r.Status != "OK" || r.Text != "[CAPABILITY X] done" || !slices.Equal(r.Untagged, []string{"CAPABILITY IMAP4rev1 ID"}) {
		t.Errorf("readIMAP = %+v, %v", r, err)
	}
	caps, ok := imapCapabilities(r.Text, r.Untagged)
	if !ok || !slices.Equal(caps, []string{"IMAP4rev1", "ID"}) {
		t.Errorf("capabilities %q %v, want the untagged ones first", caps, ok)
	}
	if _, err := readIMAP(reader(strings.Repeat("* x\r\n", maxLines+1)), "E1"); err == nil {
		t.Error("endless untagged lines: want an error")
	}
	if _, err := readIMAP(reader("* ID {99999999}\r\n"), "E1"); err == nil {
		t.Error("huge literal: want an error")
	}
	if r, _ := readIMAP(reader("* BYE going\r\n"), "E1"); r.Status != "BYE" {
		t.Errorf("BYE: status %q, want BYE", r.Status)
	}
}

func TestParseID(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want map[string]string
	}{
		{[]string{`ID ("name" "Dovecot" "version" "2.3.19" "os" NIL)`}, map[string]string{"name": "Dovecot", "version": "2.3.19"}},
		{[]string{`ID NIL`}, map[string]string{}},
		{[]string{`ID ("Name" "a \"quoted\" one")`}, map[string]string{"name": `a "quoted" one`}},
		{[]string{`CAPABILITY X`}, nil},
	} {
		if got := parseID(tc.in); !maps.Equal(got, tc.want) || (got == nil) != (tc.want == nil) {
			t.Errorf("parseID(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestAPOPTimestamp(t *testing.T) {
	for in, want := range map[string]string{
		"Dovecot ready. <1896.697170952@dbc.mtview.ca.us>": "<1896.697170952@dbc.mtview.ca.us>",
		"POP3 server ready <abc@def>":                      "<abc@def>",
		"ready <no-at-sign>":                               "",
		"Dovecot (Debian) ready.":                          "",
	} {
		if got := apopTimestamp(in); got != want {
			t.Errorf("apopTimestamp(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"plain":         "plain",
		"a\x00b\x1b[1m": `a\x00b\x1b[1m`,
		"\xff\xfe":      `\xff\xfe`,
		"日本語":           "日本語",
	} {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
	if got := clean(strings.Repeat("x", 2*maxShown)); len(got) > maxShown+32 {
		t.Errorf("clean of %d bytes kept %d", 2*maxShown, len(got))
	}
}

func TestLineTooLong(t *testing.T) {
	_, err := reader(strings.Repeat("A", maxLine+10) + "\r\n").Line()
	if err == nil {
		t.Error("a line longer than maxLine: want an error")
	}
}

// Response parsers never panic, never read past their bounds and keep text printable.
func FuzzPOP3(f *testing.F) {
	for _, s := range []string{"+OK ready <1.2@h>\r\n", "+OK\r\nUSER\r\nSASL PLAIN\r\n.\r\n", "-ERR x\r\n", "+OK\r\n..\r\n.\r\n", "\xff\r\n"} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, in string, multi bool) {
		lr := reader(in)
		r, err := readPOP3(lr, multi)
		if lr.N > maxBytes+maxLine {
			t.Fatalf("read %d bytes", lr.N)
		}
		if len(r.Lines) > maxLines {
			t.Fatalf("%d lines kept", len(r.Lines))
		}
		_ = err
		_ = apopTimestamp(r.Text)
		if c := clean(r.Text); !utf8.ValidString(c) {
			t.Fatalf("clean(%q) = %q: not UTF-8", r.Text, c)
		}
	})
}

func FuzzIMAP(f *testing.F) {
	for _, s := range []string{
		"* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\r\nE1 OK\r\n",
		"* ID (\"name\" {7}\r\nDovecot \"version\" NIL)\r\nE1 OK\r\n",
		"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nE1 OK done\r\n",
		"* BYE\r\n", "* ID {3}\r\nab", "E1 NO [x\r\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		lr := reader(in)
		r, err := readIMAP(lr, "E1")
		if lr.N > maxBytes+maxLine {
			t.Fatalf("read %d bytes", lr.N)
		}
		_ = err
		caps, _ := imapCapabilities(r.Text, r.Untagged)
		_ = hasCap(caps, "STARTTLS")
		if id := parseID(r.Untagged); len(id) > 30 {
			t.Fatalf("ID of %d pairs kept", len(id))
		}
		o := &Observation{Protocol: "imap", Greeted: true, CapsKnown: true, Capabilities: caps, Greeting: in}
		o.Plaintext()
		identify(o)
		if len(o.Product) > 4*maxProduct || len(o.Version) > 4*maxProduct {
			t.Fatalf("product %q version %q not bounded", o.Product, o.Version)
		}
	})
}
