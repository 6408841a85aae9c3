package demo

import (
	"bufio"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"
)

// Bounds of every connection the site accepts: the site is scanned, so it must survive a
// scanner's garbage as well as any server would.
const (
	maxConns    = 64               // connections open at once on one listener; more are closed
	maxLine     = 4096             // bytes in one command line
	maxCommands = 300              // commands in one session
	idleTimeout = 30 * time.Second // to wait for the next command
	connLife    = 3 * time.Minute  // a whole connection
)

// errLineTooLong ends a session whose client sent a line longer than maxLine.
var errLineTooLong = errors.New("line too long")

// tracker owns the site's goroutines and open connections, so that Close can stop them
// all and wait for them.
type tracker struct {
	wg      sync.WaitGroup
	mu      sync.Mutex
	conns   map[io.Closer]struct{}
	closing bool
}

func newTracker() *tracker { return &tracker{conns: map[io.Closer]struct{}{}} }

// goTracked runs f in a goroutine that Close waits for, unless the site is closing.
func (t *tracker) goTracked(f func()) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closing {
		return false
	}
	t.wg.Go(f)
	return true
}

// add records an open connection or listener, for shutdown to close; it reports false
// (and the caller closes it) when the site is closing.
func (t *tracker) add(c io.Closer) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closing {
		return false
	}
	t.conns[c] = struct{}{}
	return true
}

func (t *tracker) remove(c io.Closer) {
	t.mu.Lock()
	delete(t.conns, c)
	t.mu.Unlock()
}

// shutdown closes every open connection, refuses new ones and waits for every tracked
// goroutine. The listeners must be closed first, so that the accept loops return.
func (t *tracker) shutdown() {
	t.mu.Lock()
	t.closing = true
	for c := range t.conns {
		c.Close()
	}
	t.mu.Unlock()
	t.wg.Wait()
}

// serve accepts connections on l until it is closed, and runs handle on each, at most
// maxConns at once, each closed when handle returns or the site closes. Running out of
// file descriptors is waited out (5 ms, doubling to 1 s), not taken for the end.
func (t *tracker) serve(l net.Listener, handle func(net.Conn)) {
	slots := make(chan struct{}, maxConns)
	t.goTracked(func() {
		backoff := time.Duration(0)
		for {
			c, err := l.Accept()
			if errors.Is(err, net.ErrClosed) {
				return
			}
			if err != nil {
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				time.Sleep(backoff)
				continue
			}
			backoff = 0
			select {
			case slots <- struct{}{}:
			default:
				c.Close()
				continue
			}
			if !t.add(c) || !t.goTracked(func() { t.session(c, handle, slots) }) {
				t.remove(c)
				c.Close()
				<-slots
			}
		}
	})
}

func (t *tracker) session(c net.Conn, handle func(net.Conn), slots chan struct{}) {
	defer func() { <-slots }()
	defer t.remove(c)
	defer c.Close()
	defer func() { _ = recover() }() // a bug in a practice server must not take down the scan
	handle(c)
}

// textConn is a line-oriented session (SMTP, FTP, POP3, IMAP) with bounded lines, a
// deadline on every exchange and a limit on the connection's life.
type textConn struct {
	c   net.Conn
	r   *bufio.Reader
	end time.Time
	n   int // commands read
}

func newTextConn(c net.Conn) *textConn {
	return &textConn{c: c, r: bufio.NewReaderSize(c, maxLine), end: time.Now().Add(connLife)}
}

func (t *textConn) deadline() time.Time {
	d := time.Now().Add(idleTimeout)
	if d.After(t.end) {
		return t.end
	}
	return d
}

// readLine reads one command line without its CR LF. A line longer than maxLine, or more
// than maxCommands of them, is an error.
func (t *textConn) readLine() (string, error) {
	if t.n++; t.n > maxCommands {
		return "", errors.New("too many commands")
	}
	if err := t.c.SetReadDeadline(t.deadline()); err != nil {
		return "", err
	}
	line, err := t.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		return "", errLineTooLong
	}
	if err != nil {
		return "", err
	}
	return strings.TrimRight(string(line), "\r\n"), nil
}

// write sends s as it is (replies carry their own CR LF).
func (t *textConn) write(s string) error {
	if err := t.c.SetWriteDeadline(t.deadline()); err != nil {
		return err
	}
	_, err := t.c.Write([]byte(s))
	return err
}

// startTLS turns the session into a TLS server session over the same connection. Bytes
// the client sent before its ClientHello are a protocol error (the STARTTLS injection of
// CVE-2011-0411), so they end the session.
func (t *textConn) startTLS(cfg *tls.Config) error {
	if t.r.Buffered() > 0 {
		return fmt.Errorf("%d bytes after the STARTTLS command", t.r.Buffered())
	}
	tc := tls.Server(t.c, cfg)
	if err := tc.SetDeadline(t.deadline()); err != nil {
		return err
	}
	if err := tc.Handshake(); err != nil {
		return err
	}
	t.c, t.r = tc, bufio.NewReaderSize(tc, maxLine)
	return nil
}

// verb splits a command line into its upper-cased verb and its argument.
func verb(line string) (string, string) {
	v, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
	return strings.ToUpper(v), strings.TrimSpace(arg)
}

// printable returns s with control bytes replaced and at most n bytes, for echoing a
// client's words back in a reply.
func printable(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, s)
}
