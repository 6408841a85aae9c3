package hello

import (
	"errors"
	"fmt"
	"io"

	"ecscan/checks"
)

// Read bounds: a record's length field may not exceed that of a TLSCiphertext (2^14 +
// 2048, RFC 5246 §6.2.3), and one probe reads at most maxProbeBytes from the server in all.
const (
	maxRecordLen  = 1<<14 + 2048
	maxProbeBytes = 64 << 10
)

// budgetReader reads at most max bytes in all from r; past that it fails with a protocol
// error, so that a server that never stops sending is cut off.
type budgetReader struct {
	r    io.Reader
	read int
	max  int
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.read >= b.max {
		return 0, checks.Protocolf("tls: server sent more than %d bytes", b.max)
	}
	if len(p) > b.max-b.read {
		p = p[:b.max-b.read]
	}
	n, err := b.r.Read(p)
	b.read += n
	return n, err
}

// record is one TLS record as received.
type record struct {
	typ     uint8
	version uint16
	payload []byte
}

// readRecord reads one record: a 5-byte header (content type 20–23, major version 3,
// length at most maxRecordLen) and its payload. A stream that ends before the first byte
// gives io.EOF; one that ends inside a record io.ErrUnexpectedEOF.
func readRecord(r io.Reader) (record, error) {
	var hdr [5]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return record{}, err
	}
	rec := record{typ: hdr[0], version: uint16(hdr[1])<<8 | uint16(hdr[2])}
	if rec.typ < recordChangeCipherSpec || rec.typ > recordApplicationData || hdr[1] != 3 {
		return rec, checks.Protocolf("tls: not a TLS record (header % x)", hdr[:])
	}
	n := int(hdr[3])<<8 | int(hdr[4])
	if n > maxRecordLen {
		return rec, checks.Protocolf("tls: record length %d over %d", n, maxRecordLen)
	}
	rec.payload = make([]byte, n)
	if _, err := io.ReadFull(r, rec.payload); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return rec, err
	}
	return rec, nil
}

// alertError is a TLS alert the server sent: an answer, not a failure of the probe.
type alertError struct {
	level, desc uint8
}

func (a *alertError) Error() string {
	lvl := "fatal"
	if a.level == 1 {
		lvl = "warning"
	}
	return fmt.Sprintf("tls: alert %s %s", lvl, AlertName(a.desc))
}

// parseAlert reads an alert record's payload: level (1 warning, 2 fatal) and description.
func parseAlert(p []byte) (*alertError, error) {
	if len(p) != 2 || p[0] < 1 || p[0] > 2 {
		return nil, checks.Protocolf("tls: malformed alert % x", p[:min(len(p), 8)])
	}
	return &alertError{level: p[0], desc: p[1]}, nil
}

// handshakeReader reassembles handshake messages from the records of r, which may split
// them or pack several in one. A fatal alert or close_notify ends it with an *alertError;
// a warning alert is kept in warning and skipped (servers send unrecognized_name as a
// warning before their ServerHello), and so is a ChangeCipherSpec (TLS 1.3 servers send
// one for middlebox compatibility).
type handshakeReader struct {
	r       io.Reader
	buf     []byte
	warning *alertError
}

// next returns the next handshake message's type and body.
func (h *handshakeReader) next() (uint8, []byte, error) {
	for {
		if len(h.buf) >= 4 {
			n := int(h.buf[1])<<16 | int(h.buf[2])<<8 | int(h.buf[3])
			if n > maxProbeBytes {
				return 0, nil, checks.Protocolf("tls: handshake message of %d bytes", n)
			}
			if len(h.buf) >= 4+n {
				typ, body := h.buf[0], h.buf[4:4+n]
				h.buf = h.buf[4+n:]
				return typ, body, nil
			}
		}
		rec, err := readRecord(h.r)
		if err != nil {
			if errors.Is(err, io.EOF) && len(h.buf) > 0 {
				err = io.ErrUnexpectedEOF
			}
			return 0, nil, err
		}
		switch rec.typ {
		case recordHandshake:
			h.buf = append(h.buf, rec.payload...)
		case recordAlert:
			a, err := parseAlert(rec.payload)
			if err != nil {
				return 0, nil, err
			}
			if a.level == 2 || a.desc == 0 {
				return 0, nil, a
			}
			h.warning = a
		case recordChangeCipherSpec:
		default:
			return 0, nil, checks.Protocolf("tls: unexpected %s record before the handshake ended", contentName(rec.typ))
		}
	}
}

func contentName(typ uint8) string {
	switch typ {
	case recordChangeCipherSpec:
		return "change_cipher_spec"
	case recordAlert:
		return "alert"
	case recordHandshake:
		return "handshake"
	case recordApplicationData:
		return "application_data"
	}
	return fmt.Sprintf("type %d", typ)
}
