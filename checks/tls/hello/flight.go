package hello

import (
	"errors"
	"io"

	"ecscan/checks"
)

// flight is what a server sent in answer to one hello: an alert, or a ServerHello and what
// followed it, or an SSLv2 SERVER-HELLO or ERROR.
type flight struct {
	hello *serverHello
	alert *alertError // an alert in place of the ServerHello, or after it
	certs [][]byte    // the Certificate message (TLS ≤ 1.2)
	kx    keyExchange // from the ServerKeyExchange
	done  bool        // ServerHelloDone came
	tail  error       // what cut the messages after the ServerHello short

	v2      *sslv2Hello // an SSLv2 SERVER-HELLO
	v2Error bool        // an SSLv2 ERROR message came, with v2Code
	v2Code  uint16
}

// maxFlightMessages bounds the handshake messages read after a ServerHello (Certificate,
// CertificateStatus, ServerKeyExchange, CertificateRequest, ServerHelloDone).
const maxFlightMessages = 8

// readTLSFlight reads the answer to a TLS hello from r: an alert, or a ServerHello. When
// more is true and the server chose a version below TLS 1.3, it goes on to the
// ServerHelloDone, keeping the certificates and the key exchange parameters; an error
// there leaves the ServerHello standing and is kept in tail. A HelloRetryRequest or a TLS
// 1.3 ServerHello ends the flight (what follows is encrypted).
func readTLSFlight(r io.Reader, more bool) (*flight, error) {
	hr := &handshakeReader{r: r}
	typ, body, err := hr.next()
	var a *alertError
	if errors.As(err, &a) {
		return &flight{alert: a}, nil
	}
	if errors.Is(err, io.EOF) && hr.warning != nil {
		return &flight{alert: hr.warning}, nil // a warning, then the server closed
	}
	if err != nil {
		return nil, err
	}
	if typ != msgServerHello {
		return nil, checks.Protocolf("tls: handshake message %d where a ServerHello belongs", typ)
	}
	sh, err := parseServerHello(body)
	if err != nil {
		return nil, err
	}
	f := &flight{hello: sh}
	if more && !sh.hrr && sh.version.rank() < TLS13.rank() {
		suite, _ := SuiteByID(sh.suite)
		f.readRest(hr, suite)
	}
	return f, nil
}

// readRest reads the messages after a TLS ≤ 1.2 ServerHello up to ServerHelloDone.
func (f *flight) readRest(hr *handshakeReader, suite Suite) {
	for range maxFlightMessages {
		typ, body, err := hr.next()
		if err != nil {
			errors.As(err, &f.alert)
			f.tail = err
			return
		}
		switch typ {
		case msgCertificate:
			f.certs, err = parseCertificates(body)
		case msgServerKeyExchange:
			f.kx, err = parseServerKeyExchange(body, suite)
		case msgCertificateStatus, msgCertificateReq:
		case msgServerHelloDone:
			f.done = true
			return
		default:
			err = checks.Protocolf("tls: unexpected handshake message %d after the ServerHello", typ)
		}
		if err != nil {
			f.tail = err
			return
		}
	}
	f.tail = checks.Protocolf("tls: no ServerHelloDone after %d messages", maxFlightMessages)
}
