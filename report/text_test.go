package report

import (
	"strings"
	"testing"
)

func TestTerminal(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain ascii", "plain ascii"},
		{"日本語のテキスト", "日本語のテキスト"},
		{"\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`},
		{"line\r\nbreak", `line\x0d\x0abreak`},
		{"tab\there", "tab here"},
		{"bidi\u202eevil", `bidi\u202eevil`},
		{"bad\xffutf8", "bad\uFFFDutf8"},
		{"del\x7f", `del\x7f`},
		{"c1\u0085next", `c1\u0085next`},
	}
	for _, tc := range tests {
		if got := Terminal(tc.in); got != tc.want {
			t.Errorf("Terminal(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMarkdownEscapesMarkup(t *testing.T) {
	in := "| cell | <script>alert(1)</script> **bold** [link](http://x) `code`\n# heading"
	got := Markdown(in)
	for _, bad := range []string{"<script>", "**bold**", "[link](", "`code`", "\n"} {
		if strings.Contains(got, bad) {
			t.Errorf("Markdown(%q) = %q still contains %q", in, got, bad)
		}
	}
	if strings.Count(got, "|") != strings.Count(got, `\|`) || !strings.Contains(got, "&lt;script&gt;") {
		t.Errorf("Markdown(%q) = %q: pipes or tags not escaped", in, got)
	}
}

func TestWidthAndTruncate(t *testing.T) {
	if got := Width("abc日本"); got != 7 {
		t.Errorf("Width = %d, want 7", got)
	}
	if got := Truncate("日本語のテキスト", 9); got != "日本語の…" {
		t.Errorf("Truncate = %q", got)
	}
	if got := Truncate("short", 10); got != "short" {
		t.Errorf("Truncate short = %q", got)
	}
	if got := Pad("日本", 6); got != "日本  " {
		t.Errorf("Pad = %q", got)
	}
}

func TestMarkdownBlockStarts(t *testing.T) {
	tests := []struct{ in, want string }{
		{"# not a heading", `\# not a heading`},
		{"- not a list", `\- not a list`},
		{"1. not a list", `1\. not a list`},
		{"mx.mail-provider.test (v1.0)", "mx.mail-provider.test (v1.0)"},
		{"a\nb\r\nc", "a b c"},
		{"x > y & z", "x &gt; y &amp; z"},
	}
	for _, tc := range tests {
		if got := Markdown(tc.in); got != tc.want {
			t.Errorf("Markdown(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
