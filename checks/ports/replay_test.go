package ports

import (
	"bufio"
	"errors"
	"io"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"ecscan/checks"
)

// connPair is one end of an in-memory connection and what the other end received.
func connPair(t *testing.T) (net.Conn, net.Conn) {
	t.Helper()
	a, b := net.Pipe()
	t.Cleanup(func() { a.Close(); b.Close() })
	return a, b
}

func TestReplayConn(t *testing.T) {
	version := []byte(sshClientVersion + "\r\n")
	tests := []struct {
		name   string
		writes []string
		sent   string // what reaches the server
		err    error  // of the first write
	}{
		{"the identification string is not sent again", []string{string(version), "packet"}, "packet", nil},
		{"what follows it in the same write is sent", []string{string(version) + "packet", "more"}, "packetmore", nil},
		{"another first write is refused", []string{"SSH-2.0-other\r\n"}, "", errReplayVersion},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, server := connPair(t)
			rc := &replayConn{Conn: client, replay: []byte("SSH-2.0-srv\r\nKEX"), sent: version}
			got := make(chan string, 1)
			go func() {
				b, _ := io.ReadAll(server)
				got <- string(b)
			}()
			for i, w := range tt.writes {
				n, err := rc.Write([]byte(w))
				if i == 0 && !errors.Is(err, tt.err) {
					t.Errorf("first write: %v, want %v", err, tt.err)
				}
				if err == nil && n != len(w) {
					t.Errorf("write %d: %d bytes, want %d", i, n, len(w))
				}
				if err != nil {
					break
				}
			}
			client.Close()
			if s := <-got; s != tt.sent {
				t.Errorf("the server received %q, want %q", s, tt.sent)
			}
		})
	}
}

func TestReplayConnReadsReplayFirst(t *testing.T) {
	client, server := connPair(t)
	go func() {
		server.Write([]byte("after\n"))
		server.Close()
	}()
	rc := &replayConn{Conn: client, replay: []byte("SSH-2.0-srv\r\nbefore\n")}
	var lines []string
	for s := bufio.NewScanner(rc); s.Scan(); {
		lines = append(lines, strings.TrimSpace(s.Text()))
	}
	if want := []string{"SSH-2.0-srv", "before", "after"}; !slices.Equal(lines, want) {
		t.Errorf("read %q, want %q", lines, want)
	}
}

// The KEXINIT and the authentication methods come from one connection, the scan's.
func TestSSHProbesOnOneConnection(t *testing.T) {
	port, credentials, conns := countingSSHServer(t, keyOnly(), nil)
	po := identifyWith(t, port, 2*time.Second, true)
	if po.SSH == nil || po.SSH.KexInit == nil || po.SSH.Auth == nil {
		t.Fatalf("SSH observation %+v, want the KEXINIT and the auth methods", po.SSH)
	}
	if got, want := po.SSH.Auth.Methods, []string{"publickey"}; !slices.Equal(got, want) || po.SSH.Auth.Status != checks.StatusOK {
		t.Errorf("methods %v (%s), want %v ok\n%s", got, po.SSH.Auth.Status, want, renderTranscript(po))
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d connections, want 1", n)
	}
	if n := credentials.Load(); n != 0 {
		t.Errorf("the server received %d credentials, want none", n)
	}
}

// When the key exchange cannot go on where the KEXINIT was read (here the server hangs
// up after sending it), the authentication methods are asked on a new connection.
func TestSSHAuthAskedAgain(t *testing.T) {
	kexinit := sshPacket(kexinitPayload("curve25519-sha256", "ssh-ed25519", "aes128-ctr", "aes128-ctr",
		"hmac-sha2-256", "hmac-sha2-256", "none", "none", "", ""))
	hangUp := func(c net.Conn) {
		c.Write([]byte(fakeSSHVersion + "\r\n"))
		if _, err := bufio.NewReader(c).ReadString('\n'); err == nil {
			c.Write(kexinit)
		}
	}
	port, _, conns := countingSSHServer(t, keyOnly(), hangUp)
	po := identifyWith(t, port, 2*time.Second, true)
	if po.SSH == nil || po.SSH.KexInit == nil || !slices.Equal(po.SSH.KexInit.Kex, []string{"curve25519-sha256"}) {
		t.Fatalf("SSH observation %+v, want the first connection's KEXINIT", po.SSH)
	}
	if a := po.SSH.Auth; a == nil || a.Status != checks.StatusOK || !slices.Equal(a.Methods, []string{"publickey"}) {
		t.Errorf("auth %+v, want publickey, ok\n%s", a, renderTranscript(po))
	}
	if n := conns.Load(); n != 2 {
		t.Errorf("%d connections, want 2", n)
	}
}
