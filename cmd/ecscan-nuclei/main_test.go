package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestBadParameters(t *testing.T) {
	for _, in := range []string{"", "not json", `{"timeout": "soon"}`} {
		var out, log bytes.Buffer
		if code := run(strings.NewReader(in), &out, &log); code != 2 || !strings.Contains(log.String(), "parameters") || out.Len() != 0 {
			t.Errorf("input %q: exit %d, log %q, stdout %q; want 2, a message about the parameters, nothing on stdout", in, code, log.String(), out.String())
		}
	}
}
