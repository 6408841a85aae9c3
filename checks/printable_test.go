package checks

import (
	"encoding/json"
	"testing"
	"unicode/utf8"
)

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"220 mail ESMTP":        "220 mail ESMTP",
		"a\r\nb\tc":             `a\x0d\x0ab` + "\tc",
		"\x1b[31mred\x7f":       `\x1b[31mred\x7f`,
		"\x00Sec\x85\x00":       `\x00Sec\x85\x00`,
		"日本語":                   "日本語",
		"\xe6\x97":              `\xe6\x97`,
		"0123456789abcdefghijk": "0123456789abcdefghij …(21 bytes)",
	} {
		if got := Printable(in, 20); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
}

// ValidText keeps the value of every byte through JSON, where invalid UTF-8 would become
// U+FFFD, and leaves valid text (control characters included) as it is.
func TestValidText(t *testing.T) {
	for in, want := range map[string]string{
		"SSH-2.0-OpenSSH_9.2p1\r\n":  "SSH-2.0-OpenSSH_9.2p1\r\n",
		"\x00Sec\x85\x00\x07version": "\x00Sec\\x85\x00\x07version",
		"日本語\xff":                    "日本語\\xff",
		"\xe6\x97":                   `\xe6\x97`,
		"":                           "",
	} {
		got := ValidText([]byte(in))
		if got != want {
			t.Errorf("ValidText(%q) = %q, want %q", in, got, want)
		}
		if !utf8.ValidString(got) {
			t.Errorf("ValidText(%q) = %q, not valid UTF-8", in, got)
		}
		var back string
		data, _ := json.Marshal(got)
		if err := json.Unmarshal(data, &back); err != nil || back != got {
			t.Errorf("ValidText(%q) through JSON: %q, %v", in, back, err)
		}
	}
}
