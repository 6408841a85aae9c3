package ports

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"strconv"
	"time"
	"unicode/utf8"
)

// Bounds of the identification dialogue.
const (
	maxRead       = 8 << 10 // bytes read in one exchange
	maxBanner     = 1 << 10 // bytes kept of a banner or response head
	maxShown      = 1 << 10 // bytes kept of one transcript line
	maxTranscript = 40      // transcript lines per port
)

// settle is how long a reply may pause before it is taken as complete, once it has begun.
var settle = 300 * time.Millisecond

// conv is one identification connection: every read and write has a deadline and every
// read is bounded; what passes is written to the port's transcript.
type conv struct {
	ctx     context.Context // when it ends, so does every exchange (with its deadline)
	c       net.Conn
	timeout time.Duration // one exchange
	tr      *[]Line
	eof     bool // the server closed the connection
}

func (v *conv) note(dir, data string) {
	if len(*v.tr) < maxTranscript {
		*v.tr = append(*v.tr, Line{Dir: dir, Data: data})
	} else if len(*v.tr) == maxTranscript {
		*v.tr = append(*v.tr, Line{Dir: "#", Data: "(transcript truncated)"})
	}
}

// send writes b; the transcript shows label when it is set, else b.
func (v *conv) send(b []byte, label string) error {
	if label == "" {
		label = show(b)
	}
	v.note("C", label)
	if err := v.setDeadline(v.c.SetWriteDeadline, time.Now().Add(v.timeout)); err != nil {
		return err
	}
	_, err := v.c.Write(b)
	if err != nil {
		v.note("#", "write: "+err.Error())
	}
	return err
}

// read reads a reply: it waits up to first for the first byte, then reads until complete
// says the reply is whole, the reply pauses for settle, maxRead bytes have come, the
// exchange timeout passes or the server closes. A reply that began is returned without
// error even if it was cut short; an error is returned only with no bytes at all.
func (v *conv) read(first time.Duration, complete func([]byte) bool) ([]byte, error) {
	start := time.Now()
	end := start.Add(v.timeout)
	buf := make([]byte, 0, 512)
	var chunk [2048]byte
	for len(buf) < maxRead {
		deadline := start.Add(min(first, v.timeout))
		if len(buf) > 0 {
			deadline = time.Now().Add(settle)
		}
		if deadline.After(end) {
			deadline = end
		}
		if err := v.setDeadline(v.c.SetReadDeadline, deadline); err != nil {
			return v.readEnd(buf, err)
		}
		n, err := v.c.Read(chunk[:min(len(chunk), maxRead-len(buf))])
		buf = append(buf, chunk[:n]...)
		if err != nil {
			return v.readEnd(buf, err)
		}
		if complete != nil && complete(buf) {
			break
		}
	}
	v.note("S", show(buf))
	return buf, nil
}

// setDeadline sets a deadline with set, then makes sure ctx has not ended meanwhile: a
// cancellation sets a past deadline on the connection (context.AfterFunc in the probes),
// which a later deadline would undo.
func (v *conv) setDeadline(set func(time.Time) error, t time.Time) error {
	if err := set(t); err != nil {
		return err
	}
	if v.ctx != nil && v.ctx.Err() != nil {
		set(time.Unix(1, 0))
		return v.ctx.Err()
	}
	return nil
}

func (v *conv) readEnd(buf []byte, err error) ([]byte, error) {
	if errors.Is(err, io.EOF) {
		v.eof = true
	}
	if len(buf) > 0 {
		v.note("S", show(buf))
		return buf, nil
	}
	if v.eof {
		v.note("#", "connection closed by the server")
	} else {
		v.note("#", "no reply: "+err.Error())
	}
	return nil, err
}

// show renders bytes for the transcript: text as it is (bounded), anything else in hex.
func show(b []byte) string {
	cut := ""
	if len(b) > maxShown {
		b, cut = b[:maxShown], " …("+strconv.Itoa(len(b))+" bytes)"
	}
	if isText(b) {
		return string(b) + cut
	}
	h := b
	if len(h) > 256 {
		h = h[:256]
	}
	return "hex:" + hex.EncodeToString(h) + cut
}

// isText reports whether b is valid UTF-8 without control bytes other than tab, CR and LF.
func isText(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\r' && c != '\n' || c == 0x7f {
			return false
		}
	}
	return true
}

// lineReply reports whether b ends a text reply: it ends with a newline and, when its first
// line is a continuation ("220-…", "211-Features:"), a last line with the same code and a
// space ("220 …") has come. A MySQL greeting is whole when its packet is.
func lineReply(b []byte) bool {
	if n, ok := mysqlPacketLen(b); ok {
		return len(b) >= n
	}
	if len(b) == 0 || b[len(b)-1] != '\n' {
		return false
	}
	if len(b) < 4 || !isDigits(b[:3]) || b[3] != '-' {
		return true
	}
	body := bytes.TrimRight(b, "\r\n")
	last := body[bytes.LastIndexByte(body, '\n')+1:]
	return len(last) >= 4 && bytes.Equal(last[:3], b[:3]) && last[3] == ' '
}

// dotReply reports whether b ends a POP3 multi-line reply ("+OK …" lines "." ) or is a
// one-line error.
func dotReply(b []byte) bool {
	if bytes.HasPrefix(b, []byte("-ERR")) {
		return bytes.IndexByte(b, '\n') >= 0
	}
	return bytes.HasSuffix(b, []byte("\n.\r\n")) || bytes.HasSuffix(b, []byte("\n.\n"))
}

// taggedReply returns a predicate for an IMAP reply that ends with the tagged line.
func taggedReply(tag string) func([]byte) bool {
	return func(b []byte) bool {
		i := bytes.Index(b, []byte("\n"+tag+" "))
		if bytes.HasPrefix(b, []byte(tag+" ")) {
			i = 0
		}
		return i >= 0 && bytes.IndexByte(b[i+1:], '\n') >= 0
	}
}

// framed returns a predicate for a binary reply whose length is read from its first hdr
// bytes by size (the total length of the message).
func framed(hdr int, size func([]byte) int) func([]byte) bool {
	return func(b []byte) bool { return len(b) >= hdr && len(b) >= size(b) }
}

func isDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

// httpReply reports whether b holds a whole HTTP response: the head, and the body when
// Content-Length says how long it is.
func httpReply(b []byte) bool {
	i := bytes.Index(b, []byte("\r\n\r\n"))
	if i < 0 {
		return false
	}
	cl := headerValue(b[:i], "Content-Length")
	n, err := strconv.Atoi(cl)
	return err == nil && len(b)-(i+4) >= n
}
