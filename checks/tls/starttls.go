package tls

import (
	"context"
	"fmt"
	"net"
	"strings"
	"time"

	"ecscan/checks"
)

// startTLSProtocols are the services whose upgrade command the check speaks.
var startTLSProtocols = map[string]bool{"smtp": true, "pop3": true, "imap": true, "ftp": true}

// RefusedError says the server answered the upgrade command (or the step before it)
// negatively: the service speaks plaintext only.
type RefusedError struct{ Reply string }

func (e *RefusedError) Error() string { return "upgrade refused: " + e.Reply }

// negotiate runs proto's upgrade dialogue on c and returns once the server has agreed, so
// that the next bytes on c are a ClientHello. Every read is bounded (lineReader) and the
// whole dialogue shares one deadline; a canceled ctx cuts it short. The dialogue goes to rec.
func negotiate(ctx context.Context, c net.Conn, proto string, timeout time.Duration, rec recorder) (err error) {
	if err := c.SetDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Unix(1, 0)) })
	defer func() {
		stop()
		c.SetDeadline(time.Time{})
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		if err != nil {
			rec.add("#", "upgrade failed: "+err.Error())
			err = fmt.Errorf("%s upgrade with %s: %w", proto, c.RemoteAddr(), err)
		}
	}()
	v := &conv{c: c, lr: &lineReader{r: c}, rec: rec}
	switch proto {
	case "smtp":
		err = v.smtp()
	case "ftp":
		err = v.ftp()
	case "pop3":
		err = v.pop3()
	case "imap":
		err = v.imap()
	default:
		return fmt.Errorf("no upgrade command for %q", proto)
	}
	if err == nil && v.lr.pending() {
		return checks.Protocolf("server sent data after agreeing to the upgrade (STARTTLS injection risk)")
	}
	return err
}

// conv is one upgrade dialogue.
type conv struct {
	c   net.Conn
	lr  *lineReader
	rec recorder
}

func (v *conv) send(line string) error {
	v.rec.add("C", line)
	_, err := v.c.Write([]byte(line + "\r\n"))
	return err
}

// goodbye says QUIT (or LOGOUT) after a refusal, and reads the answer if it comes at once.
func (v *conv) goodbye(cmd string) {
	if v.send(cmd) == nil {
		v.c.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
		if l, err := v.lr.readLine(); err == nil {
			v.rec.add("S", l)
		}
	}
}

func (v *conv) smtp() error {
	code, _, err := readCodeReply(v.lr, v.rec)
	if err != nil {
		return err
	}
	if code == 421 {
		return &BusyError{Reply: fmt.Sprintf("SMTP greeting %d", code)}
	}
	if code != 220 {
		return checks.Protocolf("SMTP greeting %d", code)
	}
	if err := v.send("EHLO " + ehloName(v.c)); err != nil {
		return err
	}
	code, lines, err := readCodeReply(v.lr, v.rec)
	if err != nil {
		return err
	}
	if code != 250 {
		v.goodbye("QUIT")
		return &RefusedError{Reply: fmt.Sprintf("EHLO answered %d", code)}
	}
	if !hasWord(replyText(lines)[1:], "STARTTLS") {
		v.rec.add("#", "STARTTLS not listed in the EHLO reply; trying it anyway")
	}
	return v.codeCommand("STARTTLS", 220, "QUIT")
}

func (v *conv) ftp() error {
	code, _, err := readCodeReply(v.lr, v.rec)
	if err == nil && code == 120 { // "service ready in nnn minutes": the greeting follows
		code, _, err = readCodeReply(v.lr, v.rec)
	}
	if err != nil {
		return err
	}
	if code == 421 {
		return &BusyError{Reply: fmt.Sprintf("FTP greeting %d", code)}
	}
	if code != 220 {
		return checks.Protocolf("FTP greeting %d", code)
	}
	return v.codeCommand("AUTH TLS", 234, "QUIT")
}

// codeCommand sends an SMTP/FTP upgrade command and expects want.
func (v *conv) codeCommand(cmd string, want int, quit string) error {
	if err := v.send(cmd); err != nil {
		return err
	}
	code, lines, err := readCodeReply(v.lr, v.rec)
	if err != nil {
		return err
	}
	if code != want {
		v.goodbye(quit)
		return &RefusedError{Reply: lines[0]}
	}
	return nil
}

func (v *conv) pop3() error {
	line, err := v.statusLine()
	if err != nil {
		return err
	}
	if ok, _ := parsePOP3Status(line); !ok {
		return checks.Protocolf("POP3 greeting %.80q", line)
	}
	if err := v.send("STLS"); err != nil {
		return err
	}
	if line, err = v.statusLine(); err != nil {
		return err
	}
	if ok, _ := parsePOP3Status(line); !ok {
		v.goodbye("QUIT")
		return &RefusedError{Reply: line}
	}
	return nil
}

func (v *conv) statusLine() (string, error) {
	line, err := v.lr.readLine()
	if err != nil {
		return "", err
	}
	v.rec.add("S", line)
	if _, valid := parsePOP3Status(line); !valid {
		return "", checks.Protocolf("not a POP3 status line: %.80q", line)
	}
	return line, nil
}

func (v *conv) imap() error {
	greeting, err := v.lr.readLine()
	if err != nil {
		return err
	}
	v.rec.add("S", greeting)
	switch g := strings.ToUpper(greeting); {
	case strings.HasPrefix(g, "* PREAUTH"):
		return &RefusedError{Reply: "pre-authenticated session: STARTTLS is not allowed (RFC 3501 6.2.1)"}
	case !strings.HasPrefix(g, "* OK"):
		return checks.Protocolf("IMAP greeting %.80q", greeting)
	}
	if err := v.send("a001 STARTTLS"); err != nil {
		return err
	}
	for range maxReply {
		line, err := v.lr.readLine()
		if err != nil {
			return err
		}
		v.rec.add("S", line)
		status, done, err := parseIMAPStatus(line, "a001")
		if err != nil {
			return err
		}
		if !done {
			continue
		}
		if status != "OK" {
			v.goodbye("a002 LOGOUT")
			return &RefusedError{Reply: line}
		}
		return nil
	}
	return checks.Protocolf("no tagged answer within %d lines", maxReply)
}

// ehloName is the client's address as an address literal ("[192.0.2.1]", "[IPv6:::1]").
func ehloName(c net.Conn) string {
	host, _, err := net.SplitHostPort(c.LocalAddr().String())
	switch {
	case err != nil || host == "":
		return "[127.0.0.1]"
	case strings.Contains(host, ":"):
		return "[IPv6:" + host + "]"
	}
	return "[" + host + "]"
}

// hasWord reports whether one of lines starts with the keyword (case-insensitive).
func hasWord(lines []string, word string) bool {
	for _, l := range lines {
		first, _, _ := strings.Cut(l, " ")
		if strings.EqualFold(first, word) {
			return true
		}
	}
	return false
}

// BusyError is a greeting that turns the connection away for now (421: too many
// connections from this address, service not available): a reason to try again later, not
// an answer about TLS.
type BusyError struct{ Reply string }

func (e *BusyError) Error() string { return "server busy: " + e.Reply }
