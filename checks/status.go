package checks

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
)

// Status is how a probe of a target ended. It is the one vocabulary for every check; Classify
// is the one place that turns network errors into it.
type Status string

// The statuses.
const (
	StatusOK            Status = "ok"             // the probe ran to its end
	StatusRefused       Status = "refused"        // the connection was refused (RST)
	StatusTimeout       Status = "timeout"        // no answer within the deadline
	StatusUnreachable   Status = "unreachable"    // no route, host or network unreachable
	StatusReset         Status = "reset"          // the peer reset or closed mid-exchange
	StatusProtocolError Status = "protocol-error" // the peer's answer broke the protocol
	StatusTLSError      Status = "tls-error"      // the TLS handshake failed
	StatusCanceled      Status = "canceled"       // the scan was interrupted
	StatusSkipped       Status = "skipped"        // not run: out of scope or not applicable
	StatusError         Status = "error"          // any other failure
)

// ProtocolError marks an error caused by a peer that broke the protocol (a malformed reply,
// a line too long, an unexpected code). Checks wrap such errors with it.
type ProtocolError struct{ Msg string }

func (e *ProtocolError) Error() string { return e.Msg }

// Protocolf returns a ProtocolError.
func Protocolf(format string, args ...any) error {
	return &ProtocolError{Msg: fmt.Sprintf(format, args...)}
}

// Classify maps an error from a probe to its status. nil is StatusOK.
func Classify(err error) Status {
	var pe *ProtocolError
	var ne net.Error
	var re tls.RecordHeaderError
	var ae tls.AlertError
	var ce *tls.CertificateVerificationError
	switch {
	case err == nil:
		return StatusOK
	case errors.Is(err, context.Canceled):
		return StatusCanceled
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return StatusTimeout
	case errors.As(err, &pe):
		return StatusProtocolError
	case errors.Is(err, syscall.ECONNREFUSED):
		return StatusRefused
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF), errors.Is(err, net.ErrClosed):
		return StatusReset
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EADDRNOTAVAIL):
		return StatusUnreachable
	case errors.As(err, &re), errors.As(err, &ae), errors.As(err, &ce):
		return StatusTLSError
	case errors.As(err, &ne) && ne.Timeout():
		return StatusTimeout
	case strings.Contains(err.Error(), "tls:"):
		return StatusTLSError
	}
	return StatusError
}
