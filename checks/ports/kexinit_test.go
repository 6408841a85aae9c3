package ports

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"slices"
	"strings"
	"testing"
)

// kexinitPayload builds an SSH_MSG_KEXINIT payload from ten name-lists.
func kexinitPayload(lists ...string) []byte {
	b := append([]byte{msgKexInit}, make([]byte, 16)...)
	for _, l := range lists {
		b = binary.BigEndian.AppendUint32(b, uint32(len(l)))
		b = append(b, l...)
	}
	return append(b, 0, 0, 0, 0, 0)
}

// sshPacket frames a payload as an unencrypted binary packet with 4 bytes of padding.
func sshPacket(payload []byte) []byte {
	n := uint32(len(payload) + 1 + 4)
	b := binary.BigEndian.AppendUint32(nil, n)
	b = append(b, 4)
	b = append(b, payload...)
	return append(b, 0, 0, 0, 0)
}

var debianKex = []string{
	"sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,diffie-hellman-group14-sha256,ext-info-s",
	"rsa-sha2-512,rsa-sha2-256,ecdsa-sha2-nistp256,ssh-ed25519",
	"chacha20-poly1305@openssh.com,aes128-ctr,aes256-gcm@openssh.com",
	"chacha20-poly1305@openssh.com,aes128-ctr,aes256-gcm@openssh.com",
	"umac-64-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha1-etm@openssh.com,hmac-sha2-256,hmac-sha1",
	"umac-64-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha1-etm@openssh.com,hmac-sha2-256,hmac-sha1",
	"none,zlib@openssh.com", "none,zlib@openssh.com", "", "",
}

func TestParseKexInit(t *testing.T) {
	k, err := ParseKexInit(kexinitPayload(debianKex...))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(k.Kex), 6; got != want {
		t.Errorf("%d kex algorithms, want %d", got, want)
	}
	if got, want := k.HostKey, []string{"rsa-sha2-512", "rsa-sha2-256", "ecdsa-sha2-nistp256", "ssh-ed25519"}; !slices.Equal(got, want) {
		t.Errorf("host keys %v, want %v", got, want)
	}
	if got, want := k.CompressionSC, []string{"none", "zlib@openssh.com"}; !slices.Equal(got, want) {
		t.Errorf("compression %v, want %v", got, want)
	}
	if got, want := weakSSH(k), []string{"mac hmac-sha1-etm@openssh.com", "mac hmac-sha1"}; !slices.Equal(got, want) {
		t.Errorf("weak %v, want %v", got, want)
	}
}

func TestParseKexInitBad(t *testing.T) {
	good := kexinitPayload(debianKex...)
	overlong := slices.Clone(good)
	binary.BigEndian.PutUint32(overlong[17:], 1<<31)
	tests := []struct {
		name    string
		payload []byte
	}{
		{"empty", nil},
		{"other message", append([]byte{21}, good[1:]...)},
		{"cookie only", good[:17]},
		{"truncated list", good[:40]},
		{"length past the packet", overlong},
	}
	for _, tt := range tests {
		if k, err := ParseKexInit(tt.payload); err == nil {
			t.Errorf("%s: got %+v, want an error", tt.name, k)
		}
	}
}

func TestNameListBounds(t *testing.T) {
	long := strings.Repeat("x", 500)
	many := strings.Repeat("a,", 1000)
	k, err := ParseKexInit(kexinitPayload(long, many, "", "", "", "", "", "", "", ""))
	if err != nil {
		t.Fatal(err)
	}
	if len(k.Kex) != 1 || len(k.Kex[0]) != maxNameLen {
		t.Errorf("kex %d names, first %d bytes; want 1 of %d", len(k.Kex), len(k.Kex[0]), maxNameLen)
	}
	if len(k.HostKey) != maxNames {
		t.Errorf("%d host keys, want %d", len(k.HostKey), maxNames)
	}
}

func TestWeakSSH(t *testing.T) {
	k := &KexInit{
		Kex:       []string{"curve25519-sha256", "diffie-hellman-group1-sha1", "diffie-hellman-group-exchange-sha1"},
		HostKey:   []string{"ssh-ed25519", "ssh-rsa", "ssh-dss", "rsa-sha2-512"},
		CiphersCS: []string{"aes128-ctr", "aes256-cbc", "3des-cbc", "arcfour256", "rijndael-cbc@lysator.liu.se"},
		CiphersSC: []string{"aes256-cbc", "none"},
		MACsCS:    []string{"hmac-sha2-256", "hmac-md5", "hmac-sha1-96"},
	}
	want := []string{
		"kex diffie-hellman-group1-sha1", "kex diffie-hellman-group-exchange-sha1",
		"hostkey ssh-rsa", "hostkey ssh-dss",
		"cipher aes256-cbc", "cipher 3des-cbc", "cipher arcfour256", "cipher rijndael-cbc@lysator.liu.se", "cipher none",
		"mac hmac-md5", "mac hmac-sha1-96",
	}
	if got := weakSSH(k); !slices.Equal(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	if got := weakSSH(&KexInit{Kex: []string{"curve25519-sha256"}, HostKey: []string{"ssh-ed25519"}}); got != nil {
		t.Errorf("got %v for a strong offer, want none", got)
	}
}

func TestReadSSHPacket(t *testing.T) {
	payload := kexinitPayload(debianKex...)
	got, err := readSSHPacket(bytes.NewReader(sshPacket(payload)))
	if err != nil || !bytes.Equal(got, payload) {
		t.Errorf("got %d bytes, %v; want the %d-byte payload", len(got), err, len(payload))
	}
	for _, bad := range [][]byte{
		{0, 0, 0, 1, 0},                // too short
		{0x7f, 0xff, 0xff, 0xff, 4},    // too long
		{0, 0, 0, 10, 10},              // padding as long as the packet
		{0, 0, 0, 20, 4, 1, 2},         // truncated
		{0, 0, 0, 0x20, 0, 0x01, 0x02}, // truncated
	} {
		if p, err := readSSHPacket(bytes.NewReader(bad)); err == nil {
			t.Errorf("readSSHPacket(% x) = %v, want an error", bad, p)
		}
	}
}

func TestReadSSHVersion(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"SSH-2.0-OpenSSH_9.2p1\r\n", "SSH-2.0-OpenSSH_9.2p1", true},
		{"Welcome\r\nSSH-2.0-x\n", "SSH-2.0-x", true},
		{strings.Repeat("hello\r\n", maxSSHLines) + "SSH-2.0-x\r\n", "", false},
		{strings.Repeat("x", 1000) + "\r\n", "", false},
		{"SSH-2.0-cut", "", false},
	}
	for _, tt := range tests {
		got, err := readSSHVersion(bufio.NewReader(strings.NewReader(tt.in)))
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("readSSHVersion(%.20q) = %q, %v; want %q ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func FuzzParseKexInit(f *testing.F) {
	f.Add(kexinitPayload(debianKex...))
	f.Add(kexinitPayload("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"))
	f.Add([]byte{msgKexInit})
	f.Fuzz(func(t *testing.T, payload []byte) {
		k, err := ParseKexInit(payload)
		if err != nil {
			return
		}
		for _, l := range [][]string{k.Kex, k.HostKey, k.CiphersCS, k.CiphersSC, k.MACsCS, k.MACsSC, k.CompressionCS, k.CompressionSC} {
			if len(l) > maxNames {
				t.Errorf("%d names, want at most %d", len(l), maxNames)
			}
			for _, n := range l {
				if len(n) > maxNameLen {
					t.Errorf("name of %d bytes, want at most %d", len(n), maxNameLen)
				}
			}
		}
		weakSSH(k)
	})
}

func FuzzReadSSHPacket(f *testing.F) {
	f.Add(sshPacket(kexinitPayload(debianKex...)))
	f.Add([]byte{0, 0, 0, 5, 4, 20, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := readSSHPacket(bytes.NewReader(b))
		if err == nil && len(p) > maxSSHPacket {
			t.Errorf("payload of %d bytes", len(p))
		}
		if err == nil {
			ParseKexInit(p)
		}
	})
}
