package demo

import (
	"io"
	"strings"
	"testing"
)

// Hostile clients: every line server ends a session that sends an endless line, too many
// commands, or binary garbage, and stays up for the next client.
func TestLineServersSurviveHostileClients(t *testing.T) {
	s := startSite(t)
	for _, service := range []string{"smtp", "ftp", "pop3", "imap"} {
		for _, tc := range []struct {
			name  string
			input string
		}{
			{"endless line", strings.Repeat("A", 3*maxLine)},
			{"too many commands", strings.Repeat("NOOP\r\n", maxCommands+10)},
			{"garbage", "\x16\x03\x01\x00\xff\x01\x00\x00\xfb\x03\x03" + strings.Repeat("\x00\xff\r", 500) + "\n"},
		} {
			c := dial(t, endpoint(t, s, service))
			c.line() // greeting
			if _, err := c.c.Write([]byte(tc.input)); err != nil {
				t.Fatalf("%s %s: write: %v", service, tc.name, err)
			}
			if tc.name == "garbage" {
				if got := c.line(); got == "" {
					t.Errorf("%s %s: no reply", service, tc.name)
				}
				c.c.Close()
				continue
			}
			// The server closes the session: reading ends (EOF or reset), within the test's
			// deadline on the connection.
			_, err := io.Copy(io.Discard, c.r)
			if err != nil && !strings.Contains(err.Error(), "reset") {
				t.Errorf("%s %s: the session was not ended by the server: %v", service, tc.name, err)
			}
		}
		c := dial(t, endpoint(t, s, service))
		if got := c.line(); got == "" {
			t.Errorf("%s: no greeting after the hostile clients", service)
		}
	}
}
