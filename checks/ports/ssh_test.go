package ports

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"net"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"ecscan/checks"
)

const fakeSSHVersion = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3"

// sshServer starts an x/crypto/ssh server with cfg, and counts the credentials it receives.
func sshServer(t *testing.T, cfg *ssh.ServerConfig) (port int, credentials *atomic.Int32) {
	t.Helper()
	port, credentials, _ = countingSSHServer(t, cfg, nil)
	return port, credentials
}

// countingSSHServer is sshServer that also counts the connections it accepts; first, when
// set, handles the first connection instead of the server.
func countingSSHServer(t *testing.T, cfg *ssh.ServerConfig, first func(net.Conn)) (port int, credentials, conns *atomic.Int32) {
	t.Helper()
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.NewSignerFromKey(key)
	if err != nil {
		t.Fatal(err)
	}
	cfg.AddHostKey(signer)
	cfg.ServerVersion = fakeSSHVersion
	credentials = &atomic.Int32{}
	if cfg.PasswordCallback != nil {
		cfg.PasswordCallback = func(ssh.ConnMetadata, []byte) (*ssh.Permissions, error) {
			credentials.Add(1)
			return nil, errors.New("denied")
		}
	}
	if cfg.KeyboardInteractiveCallback != nil {
		cfg.KeyboardInteractiveCallback = func(_ ssh.ConnMetadata, ask ssh.KeyboardInteractiveChallenge) (*ssh.Permissions, error) {
			answers, err := ask("", "", []string{"Password: "}, []bool{false})
			if err == nil && len(answers) > 0 {
				credentials.Add(1)
			}
			return nil, errors.New("denied")
		}
	}
	conns = &atomic.Int32{}
	port = listen(t, func(c net.Conn) {
		c.SetDeadline(time.Now().Add(10 * time.Second))
		if conns.Add(1) == 1 && first != nil {
			first(c)
			return
		}
		ssh.NewServerConn(c, cfg)
	})
	return port, credentials, conns
}

func keyOnly() *ssh.ServerConfig {
	return &ssh.ServerConfig{PublicKeyCallback: func(ssh.ConnMetadata, ssh.PublicKey) (*ssh.Permissions, error) {
		return nil, errors.New("unknown key")
	}}
}

func TestSSHPasswordAndKeyOnly(t *testing.T) {
	deny := func(ssh.ConnMetadata, []byte) (*ssh.Permissions, error) { return nil, nil }
	tests := []struct {
		name     string
		cfg      *ssh.ServerConfig
		methods  []string
		password bool
		outcome  checks.Outcome
	}{
		{"password", &ssh.ServerConfig{PasswordCallback: deny}, []string{"password"}, true, checks.Fail},
		{"keyboard-interactive asking a password", &ssh.ServerConfig{
			KeyboardInteractiveCallback: func(ssh.ConnMetadata, ssh.KeyboardInteractiveChallenge) (*ssh.Permissions, error) {
				return nil, nil
			},
			PublicKeyCallback: keyOnly().PublicKeyCallback,
		}, []string{"publickey", "keyboard-interactive"}, true, checks.Fail},
		{"keys only", keyOnly(), []string{"publickey"}, false, checks.Pass},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			port, credentials := sshServer(t, tt.cfg)
			res := scanPorts(t, Config{ServiceTimeout: 2 * time.Second, SSH: true}, port)
			obs := res.Data.(*Observation)
			if len(obs.Ports) != 1 || obs.Ports[0].SSH == nil || obs.Ports[0].SSH.Auth == nil {
				t.Fatalf("no SSH observation: %+v", obs.Ports)
			}
			po := obs.Ports[0]
			if got := po.Service.Product + " " + po.Service.Version; got != "OpenSSH 9.2p1" {
				t.Errorf("product %q, want OpenSSH 9.2p1", got)
			}
			a := po.SSH.Auth
			got := slices.Clone(a.Methods)
			slices.Sort(got)
			want := slices.Clone(tt.methods)
			slices.Sort(want)
			if !slices.Equal(got, want) || a.PasswordPrompted() != tt.password {
				t.Errorf("methods %v password %v, want %v %v\n%s", a.Methods, a.PasswordPrompted(), tt.methods, tt.password, renderTranscript(po))
			}
			if n := credentials.Load(); n != 0 {
				t.Errorf("the server received %d credentials, want none", n)
			}
			if po.SSH.KexInit == nil || len(po.SSH.KexInit.Kex) == 0 {
				t.Errorf("no KEXINIT: %+v", po.SSH)
			}
			fs := findingsByID(res, "ssh.password-auth")
			if len(fs) != 1 || fs[0].Outcome != tt.outcome {
				t.Errorf("ssh.password-auth %+v, want one %s", fs, tt.outcome)
			}
			if fs := findingsByID(res, "ports.remote-admin"); len(fs) != 1 || fs[0].Outcome != checks.Info {
				t.Errorf("ports.remote-admin %+v, want one info", fs)
			}
		})
	}
}

func TestSSHWeakAlgorithms(t *testing.T) {
	cfg := keyOnly()
	cfg.KeyExchanges = []string{"diffie-hellman-group14-sha1", "curve25519-sha256"}
	cfg.Ciphers = []string{"aes128-ctr", "aes128-cbc", "3des-cbc"}
	cfg.MACs = []string{"hmac-sha2-256", "hmac-sha1"}
	port, _ := sshServer(t, cfg)
	res := scanPorts(t, Config{ServiceTimeout: 2 * time.Second, SSH: true}, port)
	po := res.Data.(*Observation).Ports[0]
	if po.SSH == nil || po.SSH.KexInit == nil {
		t.Fatalf("no KEXINIT: %+v", po)
	}
	got := weakSSH(po.SSH.KexInit)
	want := []string{"kex diffie-hellman-group14-sha1", "cipher aes128-cbc", "cipher 3des-cbc", "mac hmac-sha1"}
	if !slices.Equal(got, want) {
		t.Errorf("weak %v, want %v", got, want)
	}
	fs := findingsByID(res, "ssh.weak-algorithms")
	if len(fs) != 1 || fs[0].Outcome != checks.Fail || fs[0].Severity != checks.SevLow {
		t.Errorf("ssh.weak-algorithms %+v, want one fail low", fs)
	}
	// The auth probe still works with such a server.
	if a := po.SSH.Auth; a == nil || a.Status != checks.StatusOK {
		t.Errorf("auth %+v, want ok", a)
	}
}

func TestSSHDisabled(t *testing.T) {
	port, _ := sshServer(t, keyOnly())
	res := scanPorts(t, Config{ServiceTimeout: 2 * time.Second, SSH: false}, port)
	po := res.Data.(*Observation).Ports[0]
	if po.Service.Protocol != "ssh" || po.SSH != nil {
		t.Errorf("got %s with SSH info %+v, want ssh without probes", po.Service.Protocol, po.SSH)
	}
}
