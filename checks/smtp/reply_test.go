package smtp

import (
	"bufio"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"ecscan/checks"
)

func TestReadReply(t *testing.T) {
	long := strings.Repeat("x", MaxLineBytes)
	tests := []struct {
		name      string
		in        string
		want      Reply
		wantState checks.Status // of the error; "" for none
	}{
		{"one line", "220 mail.shop.test ESMTP\r\n", Reply{220, []string{"mail.shop.test ESMTP"}}, ""},
		{"multi-line", "250-mail\r\n250-SIZE 1000\r\n250 HELP\r\n", Reply{250, []string{"mail", "SIZE 1000", "HELP"}}, ""},
		{"bare code", "250\r\n", Reply{250, []string{""}}, ""},
		{"LF only", "221 bye\n", Reply{221, []string{"bye"}}, ""},
		{"codes disagree: last wins", "250-a\r\n251 b\r\n", Reply{251, []string{"a", "b"}}, ""},
		{"not UTF-8", "220 caf\xe9\r\n", Reply{220, []string{"caf\uFFFD"}}, ""},
		{"not a reply", "HTTP/1.1 400 Bad Request\r\n", Reply{}, checks.StatusProtocolError},
		{"code below 100", "099 no\r\n", Reply{}, checks.StatusProtocolError},
		{"bad separator", "250+x\r\n", Reply{}, checks.StatusProtocolError},
		{"line too long", "250 " + long + "\r\n", Reply{}, checks.StatusProtocolError},
		{"too many lines", strings.Repeat("250-x\r\n", MaxReplyLines+5), Reply{}, checks.StatusProtocolError},
		{"too many bytes", strings.Repeat("250-"+strings.Repeat("y", 1000)+"\r\n", 20), Reply{}, checks.StatusProtocolError},
		{"EOF mid-reply", "250-mail\r\n250-SI", Reply{}, checks.StatusReset},
		{"EOF at once", "", Reply{}, checks.StatusReset},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadReply(bufio.NewReaderSize(strings.NewReader(tc.in), MaxLineBytes))
			if st := checks.Classify(err); tc.wantState == "" && err != nil || tc.wantState != "" && st != tc.wantState {
				t.Fatalf("error %v (%s), want status %q", err, st, tc.wantState)
			}
			if tc.wantState == "" && (got.Code != tc.want.Code || !slices.Equal(got.Lines, tc.want.Lines)) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
			if len(got.Lines) > MaxReplyLines {
				t.Errorf("kept %d lines", len(got.Lines))
			}
		})
	}
}

func TestReadReplyEOFKinds(t *testing.T) {
	_, err := ReadReply(bufio.NewReader(strings.NewReader("")))
	if !errors.Is(err, io.EOF) {
		t.Errorf("empty input: %v, want EOF", err)
	}
	_, err = ReadReply(bufio.NewReader(strings.NewReader("250-a\r\n")))
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("cut reply: %v, want unexpected EOF", err)
	}
}

// FuzzReadReply: any bytes give a bounded reply or an error, never a panic, and a reply
// read whole survives a round trip through Wire.
func FuzzReadReply(f *testing.F) {
	for _, s := range []string{
		"220 mail.shop.test ESMTP Postfix\r\n",
		"250-mail\r\n250-SIZE 10240000\r\n250-AUTH PLAIN LOGIN\r\n250 STARTTLS\r\n",
		"250\r\n", "421 4.3.2 bye\r\n", "250-a\n251 b\n", "\x16\x03\x01\x00", "2", "250 \xff\xfe\r\n",
		strings.Repeat("250-x\r\n", 120), "250 " + strings.Repeat("z", 5000) + "\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := ReadReply(bufio.NewReaderSize(strings.NewReader(string(data)), MaxLineBytes))
		if len(rep.Lines) > MaxReplyLines {
			t.Fatalf("%d lines kept", len(rep.Lines))
		}
		size := 0
		for _, l := range rep.Lines {
			size += len(l)
		}
		if size > MaxReplyBytes+MaxLineBytes {
			t.Fatalf("%d bytes kept", size)
		}
		if err != nil {
			return
		}
		if rep.Code < 100 || rep.Code > 999 {
			t.Fatalf("code %d", rep.Code)
		}
		again, err := ReadReply(bufio.NewReaderSize(strings.NewReader(rep.Wire()), MaxLineBytes))
		if err != nil || again.Code != rep.Code || !slices.Equal(again.Lines, rep.Lines) {
			if !strings.ContainsAny(strings.Join(rep.Lines, ""), "\r\n") {
				t.Fatalf("round trip of %+v: %+v, %v", rep, again, err)
			}
		}
	})
}

// FuzzParseCapabilities: any EHLO reply parses without a panic into consistent
// capabilities.
func FuzzParseCapabilities(f *testing.F) {
	f.Add("mail\nSIZE 10240000\nAUTH PLAIN LOGIN\nSTARTTLS")
	f.Add("mail\nAUTH=LOGIN\nsize\nSIZE -5\nSIZE 99999999999999999999")
	f.Fuzz(func(t *testing.T, text string) {
		c := ParseCapabilities(Reply{Code: 250, Lines: strings.Split(text, "\n")})
		if c.Size < 0 || c.Size > 0 && !c.SizeAdvertised {
			t.Fatalf("size %d advertised %v", c.Size, c.SizeAdvertised)
		}
		for _, m := range c.Auth {
			if m == "" || m != strings.ToUpper(m) {
				t.Fatalf("mechanism %q", m)
			}
		}
	})
}
