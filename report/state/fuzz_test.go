package state

import (
	"strings"
	"testing"
	"time"
)

func FuzzParseHolder(f *testing.F) {
	f.Add([]byte("pid 1234\nsince 2026-11-28T03:00:01.5Z\n"))
	f.Add([]byte("pid \nsince"))
	f.Add([]byte("pid -1\nsince 9999-99-99\npid 99999999999999999999999"))
	f.Add([]byte{0xff, 0, '\n'})
	f.Fuzz(func(t *testing.T, data []byte) {
		le := parseHolder(data)
		le.Path = "lock"
		_ = le.Error()
	})
}

func TestParseHolder(t *testing.T) {
	le := parseHolder([]byte("pid 1234\nsince 2026-11-28T03:00:01.5Z\n"))
	want := time.Date(2026, 11, 28, 3, 0, 1, 5e8, time.UTC)
	if le.PID != 1234 || !le.Since.Equal(want) {
		t.Errorf("parseHolder = pid %d since %v, want 1234 since %v", le.PID, le.Since, want)
	}
	if le := parseHolder(nil); le.PID != 0 || !le.Since.IsZero() {
		t.Errorf("parseHolder(empty) = %+v, want nothing known", le)
	}
}

func FuzzParseID(f *testing.F) {
	for _, s := range []string{"20261128T030001Z-41", "20261128T030001Z-0", "x-1", "20261128T030001Z-01", "20261128T030001Z-", "-", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		seq, ok := parseID(name)
		if !ok {
			return
		}
		if seq < 1 {
			t.Fatalf("parseID(%q) = %d, ok", name, seq)
		}
		// A name that parses is the name formatID gives its time and number.
		prefix, _, _ := strings.Cut(name, "-")
		ts, _ := time.Parse(idTime, prefix)
		if got := formatID(ts, seq); got != name {
			t.Fatalf("parseID(%q) = %d, but formatID gives %q", name, seq, got)
		}
	})
}
