package ftp

import (
	"slices"
	"strings"
	"testing"
)

// The write test stores a marked file in the writable directory, finds it, deletes it and
// checks it is gone; the fake is left as it was.
func TestWriteTest(t *testing.T) {
	f := &fakeFTP{anonymous: true, listing: unixListing, feat: []string{"EPSV", "SIZE"}, writable: []string{"incoming"}, canDelete: true}
	o := observeFake(t, f.start(t), Config{Intrusive: true})
	wt := o.WriteTest
	if wt == nil || len(wt.Attempts) != 1 {
		t.Fatalf("write test %+v, want one attempt (incoming)", wt)
	}
	a := wt.Attempts[0]
	if !strings.HasPrefix(a.Path, "incoming/ecscan-write-test-") || !strings.HasSuffix(a.Path, ".txt") {
		t.Errorf("path %q, want incoming/ecscan-write-test-<random>.txt", a.Path)
	}
	if !a.Stored || !a.Deleted || a.Gone == nil || !*a.Gone || a.LeftBehind {
		t.Errorf("attempt %+v, want stored, deleted, gone", a)
	}
	var verbs []string
	for _, s := range a.Steps {
		verbs = append(verbs, verb(s.Command))
	}
	if want := []string{"STOR", "(end", "SIZE", "DELE", "SIZE"}; !slices.Equal(verbs, want) {
		t.Errorf("steps %q, want %q", verbs, want)
	}
	if files := f.stored(); len(files) != 0 {
		t.Errorf("files left on the fake: %v", files)
	}
	expect(t, Evaluate(o, testNow()), map[string]string{"ftp.anonymous-writable": "fail high", "ftp.bounce": "pass info"})
}

// A file that cannot be deleted is reported as left behind, with its path.
func TestWriteTestLeftBehind(t *testing.T) {
	f := &fakeFTP{anonymous: true, listing: "-rw-r--r-- 1 0 0 1 Jan 01 12:00 x\r\n", feat: []string{"EPSV"}, writable: []string{""}}
	o := observeFake(t, f.start(t), Config{Intrusive: true})
	left, files := o.WriteTest.LeftBehind(), f.stored()
	if len(left) != 1 || len(files) != 1 || !strings.HasPrefix(files["/"+left[0]], "ecscan write test, 2026-01-02T03:04:05Z") {
		t.Fatalf("left behind %q, files on the fake %v: want the one marked file", left, files)
	}
	fs := Evaluate(o, testNow())
	expect(t, fs, map[string]string{"ftp.anonymous-writable": "fail high"})
	for _, fd := range fs {
		if fd.ID == "ftp.anonymous-writable" && !strings.Contains(fd.Detail.EN, left[0]) {
			t.Errorf("the finding does not name the file left behind: %s", fd.Detail.EN)
		}
	}
}

// Writes refused everywhere: a pass, though the listing showed a world-writable entry.
func TestWriteTestRefused(t *testing.T) {
	f := &fakeFTP{anonymous: true, listing: unixListing, feat: []string{"EPSV"}}
	o := observeFake(t, f.start(t), Config{Intrusive: true})
	if n := len(o.WriteTest.Attempts); n != 2 {
		t.Errorf("%d attempts, want 2 (incoming, then the top directory)", n)
	}
	fs := Evaluate(o, testNow())
	expect(t, fs, map[string]string{"ftp.anonymous-writable": "pass info"})
	if f.saw("DELE") {
		t.Errorf("DELE sent after refused writes: %q", f.commands())
	}
}

// The bounce test: PORT to a listener of the check on another loopback address.
func TestBounce(t *testing.T) {
	for _, tc := range []struct {
		name      string
		promisc   bool
		want      string
		connected bool
	}{
		{"accepted and connected", true, "fail high", true},
		{"refused", false, "pass info", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeFTP{anonymous: true, listing: unixListing, feat: []string{"EPSV"}, promisc: tc.promisc}
			o := observeFake(t, f.start(t), Config{Intrusive: true})
			b := o.Bounce
			if b == nil || !strings.HasPrefix(b.Target, "127.0.0.2:") || b.Connected != tc.connected {
				t.Fatalf("bounce %+v, want target 127.0.0.2 (the control connection comes from 127.0.0.1), connected %v", b, tc.connected)
			}
			expect(t, Evaluate(o, testNow()), map[string]string{"ftp.bounce": tc.want})
		})
	}
}
