package ports

import (
	"context"
	"crypto/tls"
	"net"
	"net/netip"

	"ecscan/checks"
)

// captureConn keeps the first bytes read through it, so that a failed TLS handshake still
// shows what the server said (an HTTP 400, an SSH greeting, a TLS alert).
type captureConn struct {
	net.Conn
	captured []byte
}

func (c *captureConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if room := maxRead - len(c.captured); room > 0 {
		c.captured = append(c.captured, b[:min(n, room)]...)
	}
	return n, err
}

// sni returns the server name to send: the target's name, or none for an address.
func sni(host string) string {
	if _, err := netip.ParseAddr(host); err == nil {
		return ""
	}
	return host
}

// tlsProbe sends a ClientHello (any certificate accepted: this only finds where TLS is) and,
// once the handshake is done, identifies the protocol inside on the same connection: a
// greeting on the ports where the server speaks first (smtps, imaps, pop3s, ftps), else
// HTTP (after a short wait for a greeting on ports without a TLS hint).
func (d *identifier) tlsProbe(ctx context.Context, v *conv, po *PortObservation, t checks.Target) (match, error) {
	cc := &captureConn{Conn: v.c}
	tc := tls.Client(cc, &tls.Config{
		InsecureSkipVerify: true, // identification only; the TLS check verifies
		ServerName:         sni(t.Host),
		MinVersion:         tls.VersionTLS10,
	})
	v.note("C", "TLS ClientHello (SNI "+sni(t.Host)+")")
	hctx, cancel := context.WithTimeout(ctx, d.timeout)
	err := tc.HandshakeContext(hctx)
	cancel()
	if err != nil {
		v.note("#", "TLS handshake failed: "+err.Error())
		if len(cc.captured) == 0 {
			return match{}, err
		}
		v.note("S", show(cc.captured))
		m := recognize(cc.captured, probeTLS, po.Port)
		if m.proto != "" {
			apply(po, m, cc.captured)
		}
		// A TLS alert or record: TLS is spoken, though not with us.
		po.Service.TLS = m.tlsHint
		return m, nil
	}
	po.Service.TLS = true
	st := tc.ConnectionState()
	v.note("#", "TLS handshake done: "+tls.VersionName(st.Version)+" "+tls.CipherSuiteName(st.CipherSuite))
	return d.insideTLS(&conv{ctx: ctx, c: tc, timeout: d.timeout, tr: v.tr}, po, t), nil
}

// insideTLS identifies the protocol spoken inside an established TLS connection.
func (d *identifier) insideTLS(v *conv, po *PortObservation, t checks.Target) match {
	wait := d.shortWait()
	if tlsGreetPorts[po.Port] {
		wait = d.timeout
	}
	if !tlsPorts[po.Port] || tlsGreetPorts[po.Port] {
		if raw, _ := v.read(wait, lineReply); len(raw) > 0 {
			m := recognize(raw, probeBanner, po.Port)
			if m.proto != "" {
				apply(po, m, raw)
				d.followUp(v, po, raw)
			}
			return m
		}
		if v.eof {
			return match{}
		}
	}
	if v.send(httpRequest(hostHeader(t.Host), po.Port, true), "") != nil {
		return match{}
	}
	raw, _ := v.read(d.timeout, httpReply)
	m := recognize(raw, probeHTTP, po.Port)
	if m.proto != "" {
		apply(po, m, raw)
	}
	return m
}
