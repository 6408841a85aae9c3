package smtp

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"ecscan/checks"
)

// Bounds on what is read from a server.
const (
	MaxLineBytes   = 4096      // one reply line, CRLF included
	MaxReplyLines  = 100       // lines of one multi-line reply
	MaxReplyBytes  = 16 << 10  // one multi-line reply, all lines together
	maxDialogBytes = 256 << 10 // one dialogue's transcript; past it lines are elided
)

// Reply is one SMTP reply: its three-digit code and the text of each line, without the
// code, the separator and the line ending.
type Reply struct {
	Code  int      `json:"code"`
	Lines []string `json:"lines"`
}

// Text returns the reply's lines joined by " / ".
func (r Reply) Text() string { return strings.Join(r.Lines, " / ") }

// String returns the reply as a one-line summary: "250 text / text".
func (r Reply) String() string {
	if r.Code == 0 {
		return "(no reply)"
	}
	if len(r.Lines) == 0 || r.Text() == "" {
		return fmt.Sprintf("%d", r.Code)
	}
	return fmt.Sprintf("%d %s", r.Code, r.Text())
}

// Class is the reply's first digit: 2 success, 3 intermediate, 4 transient, 5 permanent.
func (r Reply) Class() int { return r.Code / 100 }

// Positive reports a 2xx reply.
func (r Reply) Positive() bool { return r.Class() == 2 }

// Wire returns the reply as a server sends it, CRLF line endings included.
func (r Reply) Wire() string {
	var b strings.Builder
	lines := r.Lines
	if len(lines) == 0 {
		lines = []string{""}
	}
	for i, l := range lines {
		sep := "-"
		if i == len(lines)-1 {
			sep = " "
		}
		fmt.Fprintf(&b, "%03d%s%s\r\n", r.Code, sep, l)
	}
	return b.String()
}

// errLineTooLong is wrapped in the protocol error for a line past MaxLineBytes.
var errLineTooLong = errors.New("line too long")

// ReadReply reads one reply from r: lines "ddd-text" continue it, "ddd text" or "ddd" end
// it. A line longer than MaxLineBytes, a reply of more than MaxReplyLines lines or
// MaxReplyBytes bytes, or a line that does not begin with three digits is a protocol error
// (checks.ProtocolError); what was read so far is returned with it. The reader r should
// have a buffer of at least MaxLineBytes. A reply whose lines disagree on the code takes
// the last line's code, as clients do. Bytes that are not UTF-8 are replaced.
func ReadReply(r *bufio.Reader) (Reply, error) {
	var rep Reply
	total := 0
	for {
		line, err := readLine(r)
		if err != nil {
			if errors.Is(err, io.EOF) && (len(rep.Lines) > 0 || len(line) > 0) {
				err = io.ErrUnexpectedEOF
			}
			return rep, err
		}
		total += len(line) + 2
		code, sep, text, ok := splitLine(line)
		if !ok {
			return rep, checks.Protocolf("not a reply line: %q", clip(line, 80))
		}
		rep.Code = code
		rep.Lines = append(rep.Lines, text)
		if sep != '-' {
			return rep, nil
		}
		if len(rep.Lines) >= MaxReplyLines {
			return rep, checks.Protocolf("reply longer than %d lines", MaxReplyLines)
		}
		if total >= MaxReplyBytes {
			return rep, checks.Protocolf("reply longer than %d bytes", MaxReplyBytes)
		}
	}
}

// readLine reads one line of at most MaxLineBytes, without its LF and a CR before it.
func readLine(r *bufio.Reader) (string, error) {
	b, err := r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) || len(b) > MaxLineBytes {
		return "", checks.Protocolf("%v (over %d bytes)", errLineTooLong, MaxLineBytes)
	}
	if err != nil {
		return string(b), err
	}
	b = b[:len(b)-1]
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	return strings.ToValidUTF8(string(b), "\uFFFD"), nil
}

// splitLine splits "250-text" into 250, '-', "text". A bare "250" has separator ' '.
func splitLine(line string) (code int, sep byte, text string, ok bool) {
	if len(line) < 3 {
		return 0, 0, "", false
	}
	for i := 0; i < 3; i++ {
		if line[i] < '0' || line[i] > '9' {
			return 0, 0, "", false
		}
	}
	code = int(line[0]-'0')*100 + int(line[1]-'0')*10 + int(line[2]-'0')
	if code < 100 {
		return 0, 0, "", false
	}
	if len(line) == 3 {
		return code, ' ', "", true
	}
	switch line[3] {
	case '-', ' ':
		return code, line[3], line[4:], true
	}
	return 0, 0, "", false
}

// clip bounds s to n bytes for messages, on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
