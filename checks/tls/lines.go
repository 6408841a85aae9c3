package tls

import (
	"bytes"
	"errors"
	"io"
	"strings"

	"ecscan/checks"
)

// Bounds on what a server may send during an upgrade dialogue.
const (
	maxLine      = 2048     // bytes in one line
	maxReply     = 100      // lines in one reply
	maxDialogue  = 32 << 10 // bytes read in the whole dialogue
	maxDialogLog = 200      // lines kept in the evidence
)

// lineReader reads CRLF (or LF) lines from a server, bounded in line length and in total.
// It reads in small chunks and keeps what follows a line for the next one, so that whatever
// the server sent after its last reply can be detected (upgrade replies are followed by
// silence until our ClientHello).
type lineReader struct {
	r     io.Reader
	buf   []byte
	total int
	err   error // the read error to return once buf holds no line
}

func (lr *lineReader) readLine() (string, error) {
	for {
		if i := bytes.IndexByte(lr.buf, '\n'); i >= 0 {
			if i > maxLine {
				return "", checks.Protocolf("line longer than %d bytes", maxLine)
			}
			line := string(bytes.TrimRight(lr.buf[:i], "\r"))
			lr.buf = lr.buf[i+1:]
			return line, nil
		}
		if len(lr.buf) > maxLine {
			return "", checks.Protocolf("line longer than %d bytes", maxLine)
		}
		if lr.err != nil {
			if errors.Is(lr.err, io.EOF) {
				return "", io.ErrUnexpectedEOF
			}
			return "", lr.err
		}
		if lr.total >= maxDialogue {
			return "", checks.Protocolf("server sent more than %d bytes", maxDialogue)
		}
		chunk := make([]byte, min(512, maxDialogue-lr.total))
		n, err := lr.r.Read(chunk)
		lr.total += n
		lr.buf = append(lr.buf, chunk[:n]...)
		lr.err = err
	}
}

// pending reports whether the server sent bytes beyond the lines read.
func (lr *lineReader) pending() bool { return len(lr.buf) > 0 }

// recorder keeps a dialogue for the evidence; a nil recorder keeps nothing.
type recorder struct{ d *Dialogue }

func (r recorder) add(dir, data string) {
	if r.d == nil || len(r.d.Lines) >= maxDialogLog {
		return
	}
	r.d.Lines = append(r.d.Lines, Line{Dir: dir, Data: data})
}

// parseCodeLine reads the code of an SMTP or FTP reply line: "250-text" (more lines follow),
// "250 text" or "250" (the last line).
func parseCodeLine(line string) (code int, more, ok bool) {
	if len(line) < 3 || !isDigits(line[:3]) || line[0] < '1' || line[0] > '5' {
		return 0, false, false
	}
	code = int(line[0]-'0')*100 + int(line[1]-'0')*10 + int(line[2]-'0')
	switch {
	case len(line) == 3:
		return code, false, true
	case line[3] == '-':
		return code, true, true
	case line[3] == ' ':
		return code, false, true
	}
	return 0, false, false
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// readCodeReply reads an SMTP or FTP reply. A multi-line reply ends with the line that
// repeats the first line's code followed by a space (RFC 959 4.2, which SMTP's stricter
// form, every line coded, also satisfies).
func readCodeReply(lr *lineReader, rec recorder) (int, []string, error) {
	first, err := lr.readLine()
	if err != nil {
		return 0, nil, err
	}
	rec.add("S", first)
	code, more, ok := parseCodeLine(first)
	if !ok {
		return 0, nil, checks.Protocolf("not a reply line: %.80q", first)
	}
	lines := []string{first}
	for more {
		if len(lines) >= maxReply {
			return 0, nil, checks.Protocolf("reply longer than %d lines", maxReply)
		}
		l, err := lr.readLine()
		if err != nil {
			return 0, nil, err
		}
		rec.add("S", l)
		lines = append(lines, l)
		if c, m, ok := parseCodeLine(l); ok && c == code && !m {
			more = false
		}
	}
	return code, lines, nil
}

// replyText is the text of reply lines without their codes.
func replyText(lines []string) []string {
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		if _, _, ok := parseCodeLine(l); ok {
			l = l[min(4, len(l)):]
		}
		out = append(out, strings.TrimSpace(l))
	}
	return out
}

// parsePOP3Status reads a POP3 status line: "+OK …" or "-ERR …".
func parsePOP3Status(line string) (ok bool, valid bool) {
	switch {
	case strings.HasPrefix(line, "+OK"):
		return true, true
	case strings.HasPrefix(line, "-ERR"):
		return false, true
	}
	return false, false
}

// parseIMAPStatus reads the status of a tagged IMAP response line for tag: "a001 OK …",
// "a001 NO …" or "a001 BAD …". done is false for an untagged or continuation line.
func parseIMAPStatus(line, tag string) (status string, done bool, err error) {
	if strings.HasPrefix(line, "* ") || strings.HasPrefix(line, "+") {
		return "", false, nil
	}
	rest, found := strings.CutPrefix(line, tag+" ")
	if !found {
		return "", false, checks.Protocolf("unexpected IMAP line: %.80q", line)
	}
	word, _, _ := strings.Cut(rest, " ")
	switch w := strings.ToUpper(word); w {
	case "OK", "NO", "BAD":
		return w, true, nil
	}
	return "", false, checks.Protocolf("IMAP response without a status: %.80q", line)
}
