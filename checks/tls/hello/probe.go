package hello

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"
)

// probeResult is how one probe ended: with a flight (the server answered), closed (the
// server closed or reset the connection before sending a byte: old servers refuse a hello
// that way), or failed (err: a timeout, a protocol violation, a reset mid-answer).
type probeResult struct {
	f      *flight
	closed bool
	err    error
}

// exchange runs one probe on a fresh connection from dial: it sends msg, reads the answer
// with read (through a reader bounded to maxProbeBytes) and closes the connection. The
// whole probe, dial included, has the enumeration's timeout as its deadline; a canceled ctx
// cuts it short.
func (e *enumerator) exchange(ctx context.Context, msg []byte, read func(io.Reader) (*flight, error)) probeResult {
	if err := ctx.Err(); err != nil {
		return probeResult{err: err}
	}
	pctx, cancel := context.WithTimeout(ctx, e.opts.Timeout)
	defer cancel()
	conn, err := e.dial(pctx)
	if err != nil {
		return probeResult{err: e.fail(ctx, fmt.Errorf("tls hello: dial: %w", err))}
	}
	defer conn.Close()
	deadline, _ := pctx.Deadline()
	conn.SetDeadline(deadline)
	stop := context.AfterFunc(pctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	addr := remote(conn)
	if _, err := conn.Write(msg); err != nil {
		err = e.fail(ctx, fmt.Errorf("tls hello to %s: send: %w", addr, err))
		return probeResult{err: err, closed: isClose(err)}
	}
	br := &budgetReader{r: conn, max: maxProbeBytes}
	f, err := read(br)
	if err != nil {
		err = e.fail(ctx, fmt.Errorf("tls hello to %s: %w", addr, err))
		return probeResult{err: err, closed: br.read == 0 && isClose(err)}
	}
	return probeResult{f: f}
}

// fail returns err, or the context's error when ctx ended (so that the caller classifies
// an interrupted probe as canceled, not as a timeout).
func (e *enumerator) fail(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%w (%v)", ctx.Err(), err)
	}
	return err
}

func remote(c net.Conn) string {
	if a := c.RemoteAddr(); a != nil {
		return a.String()
	}
	return "server"
}

// isClose reports an orderly close or a reset.
func isClose(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// Bounds of the transcript.
const (
	maxTranscript = 2000
	maxLineLen    = 400
)

// describeOffer is the first half of a transcript line: what a hello offered.
func describeOffer(spec helloSpec) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s hello: %d suites", spec.version, len(spec.suites))
	if len(spec.suites) > 0 {
		fmt.Fprintf(&b, " (%s", SuiteName(spec.suites[0]))
		if len(spec.suites) > 1 {
			b.WriteString(" …")
		}
		b.WriteString(")")
	}
	if spec.version != SSL30 {
		b.WriteString(", groups ")
		b.WriteString(groupList(spec.groups))
	}
	if spec.version == TLS13 {
		var shares []uint16
		for _, ks := range spec.shares {
			shares = append(shares, ks.group)
		}
		b.WriteString(", key shares ")
		b.WriteString(groupList(shares))
	}
	return b.String()
}

func groupList(groups []uint16) string {
	switch {
	case len(groups) == 0:
		return "none"
	case len(groups) <= 3:
		names := make([]string, len(groups))
		for i, g := range groups {
			names[i] = GroupName(g)
		}
		return strings.Join(names, ",")
	}
	return fmt.Sprintf("%d (%s …)", len(groups), GroupName(groups[0]))
}

// describeResult is the second half of a transcript line: what came back.
func describeResult(r probeResult) string {
	switch {
	case r.closed:
		return "closed without answer"
	case r.err != nil:
		return "error: " + r.err.Error()
	case r.f.v2 != nil:
		return fmt.Sprintf("SSLv2 SERVER-HELLO version 0x%04x, %d cipher kinds, certificate %d bytes",
			r.f.v2.version, len(r.f.v2.ciphers), len(r.f.v2.cert))
	case r.f.v2Error:
		return fmt.Sprintf("SSLv2 ERROR 0x%04x", r.f.v2Code)
	case r.f.hello == nil:
		return r.f.alert.Error()
	}
	return describeHello(r.f)
}

func describeHello(f *flight) string {
	sh := f.hello
	var b strings.Builder
	if sh.hrr {
		b.WriteString("HelloRetryRequest ")
	} else {
		b.WriteString("ServerHello ")
	}
	fmt.Fprintf(&b, "%s %s", sh.version, SuiteName(sh.suite))
	if sh.group != 0 {
		fmt.Fprintf(&b, ", group %s", GroupName(sh.group))
	}
	if f.kx.group != 0 {
		fmt.Fprintf(&b, ", curve %s", GroupName(f.kx.group))
	}
	if f.kx.dhBits != 0 {
		fmt.Fprintf(&b, ", DH %d bits", f.kx.dhBits)
	}
	if len(f.certs) > 0 {
		fmt.Fprintf(&b, ", certificate chain of %d", len(f.certs))
	}
	if f.tail != nil {
		fmt.Fprintf(&b, "; then %v", f.tail)
	}
	return b.String()
}

// clip bounds a transcript line.
func clip(s string) string {
	if len(s) <= maxLineLen {
		return s
	}
	return s[:maxLineLen] + "…"
}
