package demo

import (
	"bytes"
	"io"
	"net"
	"regexp"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

var (
	smtpReplyLine = regexp.MustCompile(`^[2-5][0-9][0-9][ -]`)
	ftpReplyLine  = regexp.MustCompile(`^([1-5][0-9][0-9][ -]| )`)
)

// lines splits fuzz input into command lines as a server would read them.
func lines(data []byte) []string {
	return strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
}

// checkReply checks that a reply is whole lines, each matching line.
func checkReply(t *testing.T, cmd, reply string, line *regexp.Regexp) {
	t.Helper()
	if !strings.HasSuffix(reply, "\r\n") {
		t.Fatalf("%q → %q: not CR LF terminated", cmd, reply)
	}
	for _, l := range strings.Split(strings.TrimSuffix(reply, "\r\n"), "\r\n") {
		if line != nil && !line.MatchString(l) {
			t.Fatalf("%q → reply line %q is malformed", cmd, l)
		}
		if strings.ContainsAny(l, "\r\n") {
			t.Fatalf("%q → reply line %q holds a bare CR or LF", cmd, l)
		}
	}
}

func FuzzSMTPSession(f *testing.F) {
	for _, seed := range []string{
		"EHLO x\nMAIL FROM:<a@example.org>\nRCPT TO:<b@example.net>\nDATA\nQUIT",
		"VRFY root\nEXPN <postmaster@demo-shop.test>\nVRFY \x00\x01\r\n",
		"HELO\nMAIL FROM:\nRCPT TO:<\r\x7f>\nAUTH LOGIN\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s := &smtpSession{host: "mail." + Zone, zone: Zone}
		for _, l := range lines(data) {
			reply, _ := s.handle(l)
			checkReply(t, l, reply, smtpReplyLine)
		}
	})
}

func FuzzFTPSession(f *testing.F) {
	for _, seed := range []string{
		"USER anonymous\nPASS x\nPASV\nLIST -la /pub\nRETR README.txt\nSTAT\nQUIT",
		"USER ftp\nPASS \nCWD ../../..\nCWD upload\nLIST ..\nSIZE /pub/\nTYPE \x00",
		"MODE \r\x01\nOPTS UTF8 ON\nHELP\nFEAT\nPORT 1,2,3",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s := &ftpSession{client: "127.0.0.1"}
		for _, l := range lines(data) {
			st := s.handle(l)
			if st.act == ftpPassive || st.act == ftpExtended {
				continue // the reply comes from the connection
			}
			checkReply(t, l, st.reply, ftpReplyLine)
			if st.act == ftpSend {
				checkReply(t, l, st.done, ftpReplyLine)
			}
			if s.cwd != "" && !ftpIsDir(s.cwd) {
				t.Fatalf("%q left the session in %q, not a directory", l, s.cwd)
			}
		}
	})
}

func FuzzMailSessions(f *testing.F) {
	for _, seed := range []string{
		"CAPA\nUSER a\nPASS b\nSTLS\nQUIT",
		"a1 CAPABILITY\na2 ID NIL\na3 LOGIN a b\n* x\n\x00 NOOP\n(\n",
	} {
		f.Add([]byte(seed), false)
	}
	f.Fuzz(func(t *testing.T, data []byte, secure bool) {
		for _, h := range []mailHandler{&pop3Session{}, &imapSession{}} {
			for _, l := range lines(data) {
				checkReply(t, l, h.handle(l, secure).reply, nil)
			}
		}
	})
}

func FuzzZone(f *testing.F) {
	for _, q := range []*dns.Msg{
		query("www."+Zone+".", dns.TypeA, dns.ClassINET),
		query(Zone+".", dns.TypeAXFR, dns.ClassINET),
		query("version.bind.", dns.TypeTXT, dns.ClassCHAOS),
		query("shop-admin."+Zone+".", dns.TypeANY, dns.ClassANY),
	} {
		b, err := q.Pack()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, true)
	}
	z := testZone(f)
	f.Fuzz(func(t *testing.T, data []byte, tcp bool) {
		req := new(dns.Msg)
		if req.Unpack(data) != nil {
			return
		}
		m := z.answer(req, tcp)
		if _, err := m.Pack(); err != nil {
			t.Fatalf("reply does not pack: %v\n%v", err, m)
		}
		if !m.Response || m.Id != req.Id {
			t.Fatalf("reply is not a response to the query: %v", m)
		}
	})
}

// FuzzReadLine feeds arbitrary bytes to a session's line reader: it must never return a
// line longer than maxLine, nor more than maxCommands lines.
func FuzzReadLine(f *testing.F) {
	f.Add([]byte("EHLO x\r\nQUIT\r\n"))
	f.Add(bytes.Repeat([]byte("A"), maxLine+10))
	f.Add([]byte(strings.Repeat("\n", maxCommands+5)))
	f.Fuzz(func(t *testing.T, data []byte) {
		server, client := net.Pipe()
		defer server.Close()
		go func() {
			_, _ = client.Write(data)
			client.Close()
		}()
		tc := newTextConn(server)
		n := 0
		for {
			l, err := tc.readLine()
			if err != nil {
				// net.Pipe refuses deadlines once the writer has closed: ErrClosedPipe.
				if err != io.EOF && err != io.ErrClosedPipe && err != errLineTooLong && n < maxCommands {
					t.Fatalf("after %d lines: %v", n, err)
				}
				break
			}
			if n++; len(l) > maxLine || n > maxCommands {
				t.Fatalf("line %d of %d bytes", n, len(l))
			}
		}
		_, _ = io.Copy(io.Discard, server) // let the writer finish
	})
}
