package tls

import (
	"context"
	"strings"

	"ecscan/checks/tls/hello"
)

// HelloEngine is the Engine of a scan: hello.Enumerate, its result converted.
func HelloEngine(ctx context.Context, dial DialFunc, opts EngineOptions) (*Enumeration, error) {
	en, err := hello.Enumerate(ctx, hello.DialFunc(dial), hello.Options{
		ServerName: opts.ServerName, Timeout: opts.Timeout, Parallel: opts.Parallel,
	})
	return fromHello(en), err
}

// fromHello converts the engine's enumeration; nil stays nil.
func fromHello(en *hello.Enumeration) *Enumeration {
	if en == nil {
		return nil
	}
	out := &Enumeration{Certificates: en.Certificates, Transcript: en.Transcript}
	for _, v := range Versions {
		p := ProtocolSupport{Version: v}
		if r := en.Versions[hello.Version(v)]; r != nil {
			p.Offered, p.NoUsableSuite, p.AnsweredWith = r.Offered, r.NoUsableSuite, Version(r.AnsweredWith)
			p.ServerOrder, p.DHBits, p.Extensions = r.ServerOrder, r.DHBits, r.Extensions
			for _, id := range r.Suites {
				p.Suites = append(p.Suites, suiteOf(id))
			}
			for _, spec := range r.SSLv2Ciphers {
				p.Suites = append(p.Suites, SSLv2Suite(spec))
			}
			if r.Preferred != 0 {
				s := suiteOf(r.Preferred)
				p.Preferred = &s
			}
			for _, g := range r.Groups {
				p.Groups = append(p.Groups, groupOf(g))
			}
		}
		out.Protocols = append(out.Protocols, p)
	}
	return out
}

// suiteOf describes a suite from the engine's registry; one outside it is listed unknown.
func suiteOf(id uint16) Suite {
	h, ok := hello.SuiteByID(id)
	s := Suite{ID: id, Name: h.String(), Known: ok}
	if !ok {
		return s
	}
	s.Kex, s.Auth, s.Cipher, s.MAC, s.Bits = h.Kex, h.Auth, h.Cipher, h.MAC, h.Bits
	s.Export, s.Null, s.Anon, s.RC4, s.DES, s.TripleDES = h.Export, h.Null, h.Anon, h.RC4, h.DES, h.TripleDES
	s.CBC, s.AEAD, s.ForwardSecrecy = h.CBC, h.AEAD, h.ForwardSecrecy || h.TLS13
	s.Block64 = h.TripleDES || h.DES || block64Cipher(h.Cipher)
	return s
}

// block64Cipher reports the other 64-bit block ciphers by their IANA token: IDEA, RC2, and
// GOST 28147-89.
func block64Cipher(token string) bool {
	t := strings.ToUpper(token)
	return strings.Contains(t, "IDEA") || strings.Contains(t, "RC2") || strings.Contains(t, "28147")
}

// groupOf describes a named group: its size from groupTable, its name from the engine's
// registry when the table does not know it.
func groupOf(id uint16) Group {
	g := GroupByID(id)
	if g.Bits == 0 {
		g.Name = hello.GroupName(id)
	}
	return g
}
