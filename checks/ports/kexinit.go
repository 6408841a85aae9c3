package ports

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"

	"ecscan/checks"
)

// SSH wire bounds: the longest packet read (RFC 4253 §6.1 asks for 35000), the lines a
// server may send before its identification string (RFC 4253 §4.2), and the names kept of
// one name-list.
const (
	maxSSHPacket  = 35000
	maxSSHLines   = 20
	maxSSHLineLen = 255
	maxNames      = 128
	maxNameLen    = 64
)

// sshClientVersion is the identification string the probes send.
const sshClientVersion = "SSH-2.0-ecscan_1.0"

// KexInit is an SSH server's algorithm offer: the name-lists of its SSH_MSG_KEXINIT
// (RFC 4253 §7.1), client-to-server (CS) and server-to-client (SC).
type KexInit struct {
	Kex             []string `json:"kex"`
	HostKey         []string `json:"host_key"`
	CiphersCS       []string `json:"ciphers_cs"`
	CiphersSC       []string `json:"ciphers_sc"`
	MACsCS          []string `json:"macs_cs"`
	MACsSC          []string `json:"macs_sc"`
	CompressionCS   []string `json:"compression_cs"`
	CompressionSC   []string `json:"compression_sc"`
	FirstKexFollows bool     `json:"first_kex_follows,omitempty"`
}

const msgKexInit = 20

// ParseKexInit reads the payload of an SSH_MSG_KEXINIT: message number 20, a 16-byte
// cookie, ten name-lists, a boolean and a reserved uint32. Each list keeps at most maxNames
// names of at most maxNameLen bytes.
func ParseKexInit(payload []byte) (*KexInit, error) {
	if len(payload) < 17 || payload[0] != msgKexInit {
		return nil, errors.New("not an SSH_MSG_KEXINIT")
	}
	rest := payload[17:]
	var lists [10][]string
	for i := range lists {
		if len(rest) < 4 {
			return nil, fmt.Errorf("name-list %d: truncated", i+1)
		}
		n := binary.BigEndian.Uint32(rest)
		if uint64(n) > uint64(len(rest)-4) {
			return nil, fmt.Errorf("name-list %d: length %d past the packet", i+1, n)
		}
		lists[i] = nameList(rest[4 : 4+n])
		rest = rest[4+n:]
	}
	k := &KexInit{
		Kex: lists[0], HostKey: lists[1], CiphersCS: lists[2], CiphersSC: lists[3],
		MACsCS: lists[4], MACsSC: lists[5], CompressionCS: lists[6], CompressionSC: lists[7],
	}
	if len(rest) >= 1 {
		k.FirstKexFollows = rest[0] != 0
	}
	return k, nil
}

func nameList(b []byte) []string {
	if len(b) == 0 {
		return nil
	}
	var out []string
	for name := range bytes.SplitSeq(b, []byte(",")) {
		if len(out) == maxNames {
			break
		}
		out = append(out, string(name[:min(len(name), maxNameLen)]))
	}
	return out
}

// readSSHPacket reads one unencrypted binary packet (RFC 4253 §6) and returns its payload.
func readSSHPacket(r io.Reader) ([]byte, error) {
	var hdr [5]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(hdr[:])
	pad := uint32(hdr[4])
	if n < 5 || n > maxSSHPacket || pad >= n {
		return nil, checks.Protocolf("ssh: bad packet length %d (padding %d)", n, pad)
	}
	body := make([]byte, n-1)
	if _, err := io.ReadFull(r, body); err != nil {
		return nil, err
	}
	return body[:n-1-pad], nil
}

// readSSHVersion reads lines until the server's identification string ("SSH-…"); lines
// and their number are bounded.
func readSSHVersion(r *bufio.Reader) (string, error) {
	for range maxSSHLines {
		line, err := readBoundedLine(r, maxSSHLineLen)
		if err != nil {
			return "", err
		}
		if strings.HasPrefix(line, "SSH-") {
			return line, nil
		}
	}
	return "", checks.Protocolf("ssh: no identification string in %d lines", maxSSHLines)
}

// readBoundedLine reads a line of at most max bytes, without its CR LF.
func readBoundedLine(r *bufio.Reader, max int) (string, error) {
	var line []byte
	for {
		c, err := r.ReadByte()
		if err != nil {
			return "", err
		}
		if c == '\n' {
			return strings.TrimRight(string(line), "\r"), nil
		}
		if len(line) == max {
			return "", checks.Protocolf("ssh: line longer than %d bytes", max)
		}
		line = append(line, c)
	}
}

// weakSSH lists the algorithms of an offer that are weak: key exchange with SHA-1 (and
// RSA 1024), SHA-1 host-key signatures (ssh-rsa) and DSA, CBC-mode and RC4 and 3DES
// ciphers, and MD5 and SHA-1 MACs (with their -96 and -etm forms), plus "none".
func weakSSH(k *KexInit) []string {
	var out []string
	add := func(kind string, names []string, weak func(string) bool) {
		for _, n := range names {
			if weak(n) && !containsString(out, kind+" "+n) {
				out = append(out, kind+" "+n)
			}
		}
	}
	add("kex", k.Kex, func(n string) bool {
		return strings.Contains(n, "sha1") || n == "rsa1024-sha1"
	})
	add("hostkey", k.HostKey, func(n string) bool {
		return n == "ssh-rsa" || strings.HasPrefix(n, "ssh-dss") || strings.HasPrefix(n, "ssh-rsa-cert-v01")
	})
	cipher := func(n string) bool {
		return strings.HasSuffix(n, "-cbc") || strings.Contains(n, "cbc@") || strings.HasPrefix(n, "arcfour") ||
			strings.HasPrefix(n, "3des") || n == "none"
	}
	add("cipher", append(append([]string(nil), k.CiphersCS...), k.CiphersSC...), cipher)
	mac := func(n string) bool {
		return strings.HasPrefix(n, "hmac-sha1") || strings.HasPrefix(n, "hmac-md5") || n == "none"
	}
	add("mac", append(append([]string(nil), k.MACsCS...), k.MACsSC...), mac)
	return out
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
