package checks

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Bounds shared by the line-based dialogues (FTP, POP3, IMAP).
const (
	MaxLine      = 4096 // bytes in one line read from a server
	maxShownLine = 512  // bytes kept of one transcript line
)

// Line is one step of a dialogue: what the client ("C") sent, what the server ("S")
// answered, or a note ("#") on what happened (a TLS handshake, a timeout, a close).
type Line struct {
	Dir  string `json:"dir"`
	Data string `json:"data"`
}

// Transcript is a bounded list of Lines: after Max lines, one note says it was cut.
type Transcript struct {
	Lines []Line
	Max   int
}

// Add records one step, bounded and escaped for the evidence (Printable).
func (t *Transcript) Add(dir, data string) {
	switch {
	case len(t.Lines) < t.Max:
		t.Lines = append(t.Lines, Line{Dir: dir, Data: Printable(data, maxShownLine)})
	case len(t.Lines) == t.Max:
		t.Lines = append(t.Lines, Line{Dir: "#", Data: "(transcript truncated)"})
	}
}

// LineReader reads bounded lines: a line longer than MaxLine, or more than its limit of
// bytes on the connection, is a protocol error rather than memory.
type LineReader struct {
	r      *bufio.Reader
	N      int // bytes read so far
	limit  int
	onLine func(string) // sees every line read (the transcript)
}

// NewLineReader reads rd, at most limit bytes in all, handing every line to onLine (nil:
// none).
func NewLineReader(rd io.Reader, limit int, onLine func(string)) *LineReader {
	return &LineReader{r: bufio.NewReaderSize(rd, MaxLine), limit: limit, onLine: onLine}
}

// Line reads one line without its line ending. A line cut short by the end of the stream
// is returned with io.ErrUnexpectedEOF.
func (lr *LineReader) Line() (string, error) {
	b, err := lr.r.ReadSlice('\n')
	lr.N += len(b)
	switch {
	case errors.Is(err, bufio.ErrBufferFull):
		lr.seen(string(b))
		return "", Protocolf("line longer than %d bytes", MaxLine)
	case lr.N > lr.limit:
		return "", Protocolf("more than %d bytes on one connection", lr.limit)
	case err != nil && len(b) > 0:
		lr.seen(string(b))
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return "", fmt.Errorf("line cut short: %w", err)
	case err != nil:
		return "", err
	}
	s := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	lr.seen(s)
	return s, nil
}

// ReadN reads exactly n bytes (an IMAP literal), at most max and within the limit.
func (lr *LineReader) ReadN(n, max int) (string, error) {
	if n > max || lr.N+n > lr.limit {
		return "", Protocolf("literal of %d bytes is too long", n)
	}
	b := make([]byte, n)
	k, err := io.ReadFull(lr.r, b)
	lr.N += k
	if err != nil {
		return "", fmt.Errorf("literal cut short: %w", err)
	}
	return string(b), nil
}

// Buffered is how many bytes were read from the connection and not yet returned (bytes a
// server sent ahead, before a TLS handshake).
func (lr *LineReader) Buffered() int { return lr.r.Buffered() }

func (lr *LineReader) seen(s string) {
	if lr.onLine != nil {
		lr.onLine(s)
	}
}
