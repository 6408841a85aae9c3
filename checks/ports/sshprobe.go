package ports

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"ecscan/checks"
)

// SSHAuth is what an SSH server said about authentication, learned without sending any
// credential: the methods it lists after the "none" request, and the keyboard-interactive
// prompts it sends.
type SSHAuth struct {
	Methods []string `json:"methods,omitempty"`
	// Password: the server lists the password method.
	Password bool `json:"password"`
	// KeyboardInteractive: the server lists keyboard-interactive; Prompts are its prompts.
	KeyboardInteractive bool     `json:"keyboard_interactive"`
	Prompts             []string `json:"prompts,omitempty"`
	// NoneAccepted: the server let the probe in without any authentication.
	NoneAccepted bool          `json:"none_accepted,omitempty"`
	Banner       string        `json:"banner,omitempty"`
	Status       checks.Status `json:"status"`
	Error        string        `json:"error,omitempty"`
}

// PasswordPrompted reports whether the server accepts passwords: it lists "password", or a
// keyboard-interactive prompt asks for one.
func (a *SSHAuth) PasswordPrompted() bool {
	if a.Password {
		return true
	}
	for _, p := range a.Prompts {
		if strings.Contains(strings.ToLower(p), "password") {
			return true
		}
	}
	return false
}

// sshProbes completes the SSH observation with fresh connections: the KEXINIT when the
// greeting's connection could not read it, then the authentication methods when that
// connection could not learn them (followUp tries both there first).
func (d *identifier) sshProbes(ctx context.Context, t checks.Target, po *PortObservation) {
	if po.SSH == nil {
		po.SSH = &SSHInfo{}
	}
	if po.SSH.KexInit == nil {
		if c, err := d.dial(ctx, t, po.Port); err != nil {
			po.SSH.KexStatus, po.SSH.KexError = checks.Classify(err), err.Error()
		} else {
			stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Unix(1, 0)) })
			d.kexOn(&conv{ctx: ctx, c: c, timeout: d.timeout, tr: &po.Transcript}, po.SSH, nil)
			stop()
			c.Close()
		}
	}
	if po.SSH.Auth == nil {
		po.SSH.Auth = d.authMethods(ctx, t, po.Port, &po.Transcript)
	}
}

// sshOn runs both SSH probes on the greeting's connection (v, where greeting was read and
// nothing sent): the KEXINIT, then the authentication methods, whose key exchange goes on
// from the bytes the KEXINIT read had taken (replayConn), so that one connection does what
// would otherwise take two. When the methods are not learned there for any reason but a
// timeout or the end of ctx, Auth stays nil and sshProbes asks on a fresh connection.
func (d *identifier) sshOn(v *conv, po *PortObservation, greeting []byte) {
	po.SSH = &SSHInfo{}
	read := d.kexOn(v, po.SSH, greeting)
	if po.SSH.KexInit == nil {
		return
	}
	ctx := v.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	rc := &replayConn{Conn: v.c, replay: read, sent: []byte(sshClientVersion + "\r\n")}
	a := d.authOn(ctx, rc, v.tr)
	switch st := a.Status; {
	case st == checks.StatusOK, st == checks.StatusTimeout, ctx.Err() != nil:
		po.SSH.Auth = a
	default:
		v.note("#", "auth methods to be asked again on a new connection")
	}
}

// kexOn reads the server's KEXINIT on v: it reads the identification string unless
// greeting (what the banner probe read) holds it, sends ours, and reads the first binary
// packet, which a server sends unencrypted. Nothing more is sent. It returns every byte
// the server sent so far (greeting included; bounded like the read), or nil when the
// KEXINIT was not read.
func (d *identifier) kexOn(v *conv, info *SSHInfo, greeting []byte) []byte {
	if err := v.setDeadline(v.c.SetDeadline, time.Now().Add(v.timeout)); err != nil {
		info.KexStatus, info.KexError = checks.Classify(err), err.Error()
		return nil
	}
	var read bytes.Buffer
	src := io.LimitReader(io.MultiReader(bytes.NewReader(greeting), v.c), maxSSHPacket+maxSSHLines*(maxSSHLineLen+2))
	r := bufio.NewReaderSize(io.TeeReader(src, &read), 4096)
	kex, err := func() (*KexInit, error) {
		if _, err := readSSHVersion(r); err != nil {
			return nil, fmt.Errorf("ssh version: %w", err)
		}
		if err := v.send([]byte(sshClientVersion+"\r\n"), ""); err != nil {
			return nil, err
		}
		payload, err := readSSHPacket(r)
		if err != nil {
			return nil, fmt.Errorf("ssh kexinit: %w", err)
		}
		return ParseKexInit(payload)
	}()
	if err != nil {
		var pe *checks.ProtocolError
		if !errors.As(err, &pe) && checks.Classify(err) == checks.StatusError {
			err = &checks.ProtocolError{Msg: err.Error()}
		}
		v.note("#", "KEXINIT not read: "+err.Error())
		info.KexStatus, info.KexError = checks.Classify(err), err.Error()
		return nil
	}
	v.note("S", "SSH_MSG_KEXINIT "+kexSummary(kex))
	info.KexInit, info.KexStatus = kex, checks.StatusOK
	return read.Bytes()
}

func kexSummary(k *KexInit) string {
	j := func(l []string) string { return strings.Join(l, ",") }
	return fmt.Sprintf("kex=%s hostkey=%s ciphers=%s macs=%s compression=%s",
		j(k.Kex), j(k.HostKey), j(k.CiphersSC), j(k.MACsSC), j(k.CompressionSC))
}

// errNoCredential is what the auth callbacks return: the probe never sends a credential.
var errNoCredential = errors.New("ecscan sends no credential")

const (
	sshProbeUser = "ecscan"
	maxPrompts   = 8
)

// authMethods learns the authentication methods on a fresh connection (authOn).
func (d *identifier) authMethods(ctx context.Context, t checks.Target, port int, tr *[]Line) *SSHAuth {
	c, err := d.dial(ctx, t, port)
	if err != nil {
		return &SSHAuth{Status: checks.Classify(err), Error: err.Error()}
	}
	defer c.Close()
	return d.authOn(ctx, c, tr)
}

// authOn learns the authentication methods with x/crypto/ssh on c: it runs the key
// exchange, sends the "none" request, records the methods the server lists (AuthCallback),
// and offers password and keyboard-interactive through callbacks that record the offer and
// return an error, so no password is ever sent. Legacy algorithms are allowed so that old
// servers can be asked too. The exchange has two timeouts as its deadline.
func (d *identifier) authOn(ctx context.Context, c net.Conn, tr *[]Line) *SSHAuth {
	a := &SSHAuth{}
	c.SetDeadline(time.Now().Add(2 * d.timeout)) // first: a cancellation sets a past one
	stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	cfg := sshClientConfig(a)
	conn, _, _, err := ssh.NewClientConn(c, c.RemoteAddr().String(), cfg)
	if err == nil {
		a.NoneAccepted = true
		conn.Close()
	}
	a.Password = containsString(a.Methods, "password")
	a.KeyboardInteractive = containsString(a.Methods, "keyboard-interactive")
	switch {
	case a.Methods != nil || a.NoneAccepted:
		a.Status = checks.StatusOK
	default:
		a.Status, a.Error = checks.Classify(err), errString(err)
	}
	line := "auth methods after \"none\" for user " + sshProbeUser + ": " + strings.Join(a.Methods, ",")
	if a.NoneAccepted {
		line = "the server accepted the \"none\" authentication: no credential needed"
	} else if a.Methods == nil {
		line = "auth methods not learned: " + a.Error
	}
	(&conv{tr: tr}).note("#", line)
	return a
}

func sshClientConfig(a *SSHAuth) *ssh.ClientConfig {
	sup, insec := ssh.SupportedAlgorithms(), ssh.InsecureAlgorithms()
	cfg := &ssh.ClientConfig{
		User: sshProbeUser,
		AuthCallback: func(ac *ssh.ClientAuthContext) (ssh.AuthMethod, error) {
			if a.Methods == nil {
				a.Methods = boundedList(ac.AllowedMethods)
			}
			return nil, nil
		},
		Auth: []ssh.AuthMethod{
			ssh.PasswordCallback(func() (string, error) { return "", errNoCredential }),
			ssh.KeyboardInteractive(func(_, _ string, questions []string, _ []bool) ([]string, error) {
				for _, q := range questions {
					if len(a.Prompts) < maxPrompts {
						a.Prompts = append(a.Prompts, q[:min(len(q), maxNameLen)])
					}
				}
				return nil, errNoCredential
			}),
		},
		HostKeyCallback: ssh.InsecureIgnoreHostKey(), // nothing is trusted or sent
		BannerCallback: func(msg string) error {
			a.Banner = checks.ValidText([]byte(msg[:min(len(msg), maxBanner)]))
			return nil
		},
		ClientVersion:     sshClientVersion,
		HostKeyAlgorithms: append(sup.HostKeys, insec.HostKeys...),
	}
	cfg.KeyExchanges = append(sup.KeyExchanges, insec.KeyExchanges...)
	cfg.Ciphers = append(sup.Ciphers, insec.Ciphers...)
	cfg.MACs = append(sup.MACs, insec.MACs...)
	return cfg
}

func boundedList(l []string) []string {
	out := make([]string, 0, min(len(l), maxNames))
	for _, s := range l[:min(len(l), maxNames)] {
		out = append(out, s[:min(len(s), maxNameLen)])
	}
	return out
}
