package demo

import (
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

func TestFTPSession(t *testing.T) {
	for _, tc := range []struct {
		name   string
		dialog []struct {
			line, reply string
			act         ftpAct
		}
	}{
		{"anonymous login, read-only", []struct {
			line, reply string
			act         ftpAct
		}{
			{"LIST", "530 Please login with USER and PASS.", ftpNone},
			{"AUTH TLS", "530 Please login with USER and PASS.", ftpNone},
			{"PASS x", "503 Login with USER first.", ftpNone},
			{"USER anonymous", "331 ", ftpNone},
			{"PASS ecscan@example.invalid", "230 Login successful.", ftpNone},
			{"USER root", "530 Can't change to another user.", ftpNone},
			{"PWD", `257 "/" is the current directory`, ftpNone},
			{"TYPE I", "200 Switching to Binary mode.", ftpNone},
			{"TYPE Q", "500 ", ftpNone},
			{"PASV", "", ftpPassive},
			{"EPSV", "", ftpExtended},
			{"EPSV ALL", "200 ", ftpNone},
			{"PORT 127,0,0,1,0,9", "500 Illegal PORT command.", ftpNone},
			{"EPRT |1|192.0.2.1|9|", "500 Illegal PORT command.", ftpNone},
			{"LIST -la", "150 Here comes the directory listing.", ftpSend},
			{"STOR ecscan-write-test.txt", "550 Permission denied.", ftpNone},
			{"MKD upload/x", "550 Permission denied.", ftpNone},
			{"CWD upload", "250 Directory successfully changed.", ftpNone},
			{"PWD", `257 "/upload" is the current directory`, ftpNone},
			{"CWD /nowhere", "550 Failed to change directory.", ftpNone},
			{"CDUP", "250 ", ftpNone},
			{"SIZE README.txt", "213 ", ftpNone},
			{"SIZE pub", "550 ", ftpNone},
			{"RETR /pub/price-list.txt", "150 Opening BINARY mode data connection for price-list.txt", ftpSend},
			{"RETR ../../etc/passwd", "550 Failed to open file.", ftpNone},
			{"STAT", "211-FTP server status:", ftpNone},
			{"QUIT", "221 Goodbye.", ftpQuit},
		}},
		{"other users are refused", []struct {
			line, reply string
			act         ftpAct
		}{
			{"USER root", "331 ", ftpNone},
			{"PASS toor", "530 Login incorrect.", ftpNone},
			{"PASS toor", "503 ", ftpNone},
			{"LIST", "530 ", ftpNone},
		}},
	} {
		s := &ftpSession{client: "127.0.0.1"}
		for _, step := range tc.dialog {
			got := s.handle(step.line)
			if !strings.HasPrefix(got.reply, step.reply) || got.act != step.act {
				t.Errorf("%s: %q → %q act %d, want %q… act %d", tc.name, step.line, got.reply, got.act, step.reply, step.act)
			}
		}
	}
}

func TestFTPListing(t *testing.T) {
	got := ftpList("/", false)
	for _, want := range []string{
		"drwxr-xr-x    2 0        0                4096 Mar 28 09:00 pub\r\n",
		"drwxrwxrwx    2 ftp      ftp              4096 Apr 01 12:34 upload\r\n",
		fmt.Sprintf("-rw-r--r--    1 0        0        %12d Mar 28 09:00 README.txt\r\n", len(ftpTree["/README.txt"].body)),
	} {
		if !strings.Contains(got, want) {
			t.Errorf("listing of / lacks %q:\n%s", want, got)
		}
	}
	if got, want := ftpList("/pub", true), "catalog-2025.csv\r\nprice-list.txt\r\n"; got != want {
		t.Errorf("NLST /pub: %q, want %q", got, want)
	}
	if got := ftpList("/upload", false); got != "" {
		t.Errorf("listing of the empty /upload: %q", got)
	}
}

func TestFTPServerLive(t *testing.T) {
	s := startSite(t)
	c := dial(t, endpoint(t, s, "ftp"))
	if got := c.reply(); got != "220 (vsFTPd 3.0.3)" {
		t.Errorf("banner %q", got)
	}
	c.cmd("USER anonymous")
	if got := c.cmd("PASS ecscan@example.invalid"); !strings.HasPrefix(got, "230 ") {
		t.Fatalf("anonymous login: %q", got)
	}
	pasv := c.cmd("PASV")
	var h [4]int
	var p1, p2 int
	if _, err := fmt.Sscanf(pasv, "227 Entering Passive Mode (%d,%d,%d,%d,%d,%d).", &h[0], &h[1], &h[2], &h[3], &p1, &p2); err != nil {
		t.Fatalf("PASV: %q: %v", pasv, err)
	}
	if got, want := fmt.Sprintf("%d.%d.%d.%d", h[0], h[1], h[2], h[3]), s.Hosts["ftp."+Zone]; got != want {
		t.Errorf("PASV names %s, want the server's own %s", got, want)
	}
	dc, err := net.DialTimeout("tcp", fmt.Sprintf("%d.%d.%d.%d:%d", h[0], h[1], h[2], h[3], p1<<8|p2), 5*time.Second)
	if err != nil {
		t.Fatalf("data connection: %v", err)
	}
	defer dc.Close()
	_ = dc.SetDeadline(time.Now().Add(10 * time.Second))
	if got := c.cmd("LIST"); !strings.HasPrefix(got, "150 ") {
		t.Fatalf("LIST: %q", got)
	}
	listing, _ := io.ReadAll(dc)
	if !strings.Contains(string(listing), "drwxrwxrwx") {
		t.Errorf("listing %q shows no world-writable directory", listing)
	}
	if got := c.reply(); !strings.HasPrefix(got, "226 ") {
		t.Errorf("after LIST: %q, want 226", got)
	}
	// LIST without a new PASV has no data connection.
	if got := c.cmd("LIST"); !strings.HasPrefix(got, "425 ") {
		t.Errorf("LIST without PASV: %q, want 425", got)
	}
	if got := c.cmd("QUIT"); !strings.HasPrefix(got, "221 ") {
		t.Errorf("QUIT: %q", got)
	}
}
