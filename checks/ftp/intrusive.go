package ftp

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"net/netip"
	"strings"
	"time"
)

// WriteTest is the anonymous write test (Config.Intrusive only): a marked file stored,
// looked for, deleted and looked for again, first in the directories the listing showed
// writable, then in the top directory, until one write succeeds.
type WriteTest struct {
	Attempts []WriteAttempt `json:"attempts"`
}

// Written reports whether some attempt stored the file.
func (w *WriteTest) Written() bool {
	for _, a := range w.Attempts {
		if a.Stored {
			return true
		}
	}
	return false
}

// LeftBehind lists the files stored and not seen deleted: the operator must remove them.
func (w *WriteTest) LeftBehind() []string {
	var out []string
	for _, a := range w.Attempts {
		if a.LeftBehind {
			out = append(out, a.Path)
		}
	}
	return out
}

// WriteAttempt is one try at writing a file, with every command and reply.
type WriteAttempt struct {
	Path  string     `json:"path"`
	Steps []Exchange `json:"steps"`
	Note  string     `json:"note,omitempty"`
	// Stored: the server took the file (a positive end of the transfer, or SIZE found it).
	Stored  bool `json:"stored"`
	Deleted bool `json:"deleted"`
	// Gone says whether the file was confirmed absent after DELE (nil: could not tell).
	Gone       *bool `json:"gone,omitempty"`
	LeftBehind bool  `json:"left_behind,omitempty"`
}

func (a *WriteAttempt) step(cmd string, r Reply) {
	if r.Code != 0 {
		a.Steps = append(a.Steps, Exchange{Command: cmd, Reply: r.String(), Code: r.Code})
	}
}

// writeTest runs the write test in binary mode.
func (p *prober) writeTest() error {
	wt := &WriteTest{}
	p.o.WriteTest = wt
	if _, err := p.s.cmd("TYPE I"); err != nil {
		return err
	}
	for _, dir := range p.writeDirs() {
		a, err := p.tryWrite(dir)
		wt.Attempts = append(wt.Attempts, a)
		if err != nil || a.Stored {
			return err
		}
	}
	return nil
}

// writeDirs are where to try: up to three directories the listing showed writable (names
// that are plain, relative and printable only), then the top directory ("").
func (p *prober) writeDirs() []string {
	var dirs []string
	if l := p.o.Listing; l != nil {
		for _, e := range l.Writable {
			if e.Dir && plainName(e.Name) && len(dirs) < 3 {
				dirs = append(dirs, e.Name)
			}
		}
	}
	return append(dirs, "")
}

func plainName(n string) bool {
	if n == "" || n == "." || n == ".." || len(n) > 200 || strings.ContainsAny(n, "/\\") {
		return false
	}
	for _, c := range []byte(n) {
		if c < 0x20 || c == 0x7f {
			return false
		}
	}
	return true
}

// tryWrite stores a marked file in dir, looks for it, deletes it and looks again.
func (p *prober) tryWrite(dir string) (WriteAttempt, error) {
	path := "ecscan-write-test-" + randomHex(4) + ".txt"
	if dir != "" {
		path = dir + "/" + path
	}
	a := WriteAttempt{Path: path}
	body := "ecscan write test, " + p.now().UTC().Format(time.RFC3339) + ": written by the --intrusive write test to see whether anonymous users can upload here. ecscan deletes it at once; if it is still here, delete it.\r\n"
	pre, final, err := p.transfer("STOR "+path, func(c net.Conn) error {
		_, err := io.WriteString(c, body)
		return err
	})
	a.step("STOR "+path, pre)
	a.step("(end of transfer)", final)
	switch {
	case errors.Is(err, errNoData):
		a.Note = err.Error()
		return a, nil
	case err != nil:
		return a, err
	case !pre.Preliminary():
		return a, nil // refused before any byte was sent
	}
	a.Stored = final.Positive()
	present, known, err := p.exists(&a, dir, path)
	if err != nil {
		return a, err
	}
	a.Stored = a.Stored || known && present
	if !a.Stored && known {
		return a, nil
	}
	r, err := p.s.cmd("DELE " + path)
	a.step("DELE "+path, r)
	if err != nil {
		a.LeftBehind = a.Stored
		return a, err
	}
	a.Deleted = r.Code == 250
	present, known, err = p.exists(&a, dir, path)
	if known {
		gone := !present
		a.Gone = &gone
	}
	a.LeftBehind = a.Stored && (a.Gone == nil || !*a.Gone)
	return a, err
}

// exists looks for a file: SIZE (213 present, 550 absent), else the names of its
// directory (NLST). known is false when neither could tell.
func (p *prober) exists(a *WriteAttempt, dir, path string) (present, known bool, err error) {
	r, err := p.s.cmd("SIZE " + path)
	a.step("SIZE "+path, r)
	if err != nil {
		return false, false, err
	}
	switch r.Code {
	case 213:
		return true, true, nil
	case 550:
		return false, true, nil
	}
	cmd := "NLST"
	if dir != "" {
		cmd += " " + dir
	}
	var data []byte
	pre, final, err := p.transfer(cmd, func(c net.Conn) error {
		var derr error
		data, _, derr = p.readData(c)
		return derr
	})
	a.step(cmd, pre)
	if errors.Is(err, errNoData) || err == nil && !final.Positive() {
		return false, false, nil
	}
	if err != nil {
		return false, false, err
	}
	base := path[strings.LastIndexByte(path, '/')+1:]
	for l := range strings.SplitSeq(string(data), "\n") {
		l = strings.TrimRight(l, "\r")
		if l == base || strings.HasSuffix(l, "/"+base) {
			return true, true, nil
		}
	}
	return false, true, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// testNet1 is an address that is never routed (RFC 5737): named in PORT to a server that is
// not on loopback, where the scan controls no third address; no transfer is started then.
var testNet1 = netip.MustParseAddrPort("192.0.2.1:9")
