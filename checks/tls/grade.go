package tls

import (
	"slices"
	"strings"
)

// GuideVersion names the rating method the grader follows: Qualys SSL Labs' "SSL Server
// Rating Guide", version 2009q of 31 January 2020 (the version testssl.sh 3.2 also
// implements). Where the guide's text and SSL Labs' announcements of its changes differ in
// detail, the rule table (gradeRules) says which reading it follows.
const GuideVersion = "SSL Labs SSL Server Rating Guide 2009q (2020-01-31)"

// GuideURL is where the guide is published.
const GuideURL = "https://github.com/ssllabs/research/wiki/SSL-Server-Rating-Guide"

// HSTSMinAge is the HSTS max-age (180 days, in seconds) that A+ requires.
const HSTSMinAge = 15552000

// GradeInput is what the grade depends on, taken from an Observation (gradeInputOf) or
// written directly in tests.
type GradeInput struct {
	Enumeration *Enumeration
	// The leaf's key: KeyType RSA, DSA, EC, Ed25519, Ed448; KeyBits its size (0: no
	// certificate).
	KeyType string
	KeyBits int
	RSAExp1 bool
	// Certificate problems (any of them gives T, a name mismatch M).
	Untrusted, SelfSigned, Expired, Revoked, NameMismatch bool
	// Weakest signature in the served chain below the root: SHA1, MD5 (MD5 or MD2).
	SHA1Signature, MD5Signature bool
	// Web: HSTS applies; HSTSMaxAge is -1 when the header is missing.
	Web        bool
	HSTSMaxAge int64
	// SecureRenegotiation: nil when not observed.
	SecureRenegotiation *bool
}

// Grade is the letter grade of an endpoint and how it was reached.
type Grade struct {
	Letter string `json:"letter"` // A+, A, A-, B, C, D, E, F, or T (not trusted), M (name mismatch)
	// IfTrusted is, for T and M, the grade the configuration would get with a valid
	// certificate (as SSL Labs shows it).
	IfTrusted   string `json:"if_trusted,omitempty"`
	Score       int    `json:"score"`
	Protocol    int    `json:"protocol_score"`
	KeyExchange int    `json:"key_exchange_score"`
	Cipher      int    `json:"cipher_score"`
	// FromScore is the letter of the numeric score, before the rules.
	FromScore string        `json:"from_score"`
	Applied   []AppliedRule `json:"applied,omitempty"`
	Guide     string        `json:"guide"`
}

// AppliedRule is a rule of the guide that changed the grade.
type AppliedRule struct {
	ID     string `json:"id"`
	Effect string `json:"effect"`
	Reason string `json:"reason"`
	Source string `json:"source"`
}

// letters in order, best first; T and M stand outside.
var letters = []string{"A+", "A", "A-", "B", "C", "D", "E", "F"}

func rank(l string) int {
	if i := slices.Index(letters, l); i >= 0 {
		return i
	}
	return len(letters)
}

// scoreLetter translates a numeric score into a letter (guide, table 1).
func scoreLetter(score int) string {
	switch {
	case score >= 80:
		return "A"
	case score >= 65:
		return "B"
	case score >= 50:
		return "C"
	case score >= 35:
		return "D"
	case score >= 20:
		return "E"
	}
	return "F"
}

// ComputeGrade grades an endpoint. It returns nil when no protocol was found to work: there
// is nothing to grade.
func ComputeGrade(in GradeInput) *Grade {
	f := newGradeFacts(&in)
	if len(f.offered) == 0 {
		return nil
	}
	g := &Grade{Protocol: f.protocolScore(), KeyExchange: f.kexScore(), Cipher: f.cipherScore(), Guide: GuideVersion}
	if g.Protocol > 0 && g.KeyExchange > 0 && g.Cipher > 0 {
		g.Score = (30*g.Protocol + 30*g.KeyExchange + 40*g.Cipher) / 100
	}
	g.FromScore = scoreLetter(g.Score)
	letter, trust := g.FromScore, ""
	noPlus, warned := false, false
	for _, r := range gradeRules {
		if !r.applies(f) {
			continue
		}
		g.Applied = append(g.Applied, AppliedRule{ID: r.id, Effect: r.effect, Reason: r.reason, Source: r.source})
		switch r.effect {
		case "T", "M":
			if trust == "" || r.effect == "T" {
				trust = r.effect
			}
		case "no-A+":
			noPlus = true
		case "warning":
			warned = true
		default:
			if rank(r.effect) > rank(letter) {
				letter = r.effect
			}
		}
	}
	if letter == "A" {
		switch {
		case warned:
			letter = "A-"
		case !noPlus:
			letter = "A+"
		}
	}
	g.Letter = letter
	if trust != "" {
		g.Letter, g.IfTrusted = trust, letter
	}
	return g
}

// gradeFacts are the input with what the rules ask of it worked out once.
type gradeFacts struct {
	in      *GradeInput
	offered []Version // oldest first
	suites  []suiteAt
}

type suiteAt struct {
	v Version
	s Suite
}

func newGradeFacts(in *GradeInput) *gradeFacts {
	f := &gradeFacts{in: in}
	for _, v := range Versions {
		if in.Enumeration.Offered(v) {
			f.offered = append(f.offered, v)
		}
		if p := in.Enumeration.Protocol(v); p != nil && p.Offered {
			for _, s := range p.Suites {
				if s.Known {
					f.suites = append(f.suites, suiteAt{v, s})
				}
			}
		}
	}
	return f
}

func (f *gradeFacts) has(v Version) bool { return slices.Contains(f.offered, v) }

// any reports whether an accepted suite (on one of the versions vs, or any when none are
// given) satisfies pred.
func (f *gradeFacts) any(pred func(Suite) bool, vs ...Version) bool {
	return slices.ContainsFunc(f.suites, func(sa suiteAt) bool {
		return (len(vs) == 0 || slices.Contains(vs, sa.v)) && pred(sa.s)
	})
}

// protocolScore follows the guide's "Protocol support": (best + worst) / 2, with TLS 1.3
// scored as TLS 1.2 (the guide predates it; SSL Labs and testssl.sh give it 100).
func (f *gradeFacts) protocolScore() int {
	score := map[Version]int{SSL20: 20, SSL30: 80, TLS10: 90, TLS11: 95, TLS12: 100, TLS13: 100}
	return (score[f.offered[len(f.offered)-1]] + score[f.offered[0]]) / 2
}

// cipherScore follows the guide's "Cipher strength": (strongest + weakest) / 2.
func (f *gradeFacts) cipherScore() int {
	if len(f.suites) == 0 {
		return 0
	}
	lo, hi := bits(f.suites[0].s), bits(f.suites[0].s)
	for _, sa := range f.suites {
		lo, hi = min(lo, bits(sa.s)), max(hi, bits(sa.s))
	}
	return (cipherBitsScore(lo) + cipherBitsScore(hi)) / 2
}

// bits is a suite's strength for the score: the guide counts 3DES as 168 bits (its example
// for "< 256 bits"), whatever its effective strength.
func bits(s Suite) int {
	switch {
	case s.Null:
		return 0
	case s.TripleDES:
		return 168
	}
	return s.Bits
}

func cipherBitsScore(bits int) int {
	switch {
	case bits >= 256:
		return 100
	case bits >= 128:
		return 80
	case bits > 0:
		return 20
	}
	return 0
}

// keyBitsScore is the guide's "Key exchange" table for an RSA or DH size.
func keyBitsScore(bits int) int {
	switch {
	case bits >= 4096:
		return 100
	case bits >= 2048:
		return 90
	case bits >= 1024:
		return 80
	case bits >= 512:
		return 40
	}
	return 20
}

// kexScore is the weakest of the certificate key and the ephemeral parameters the server
// uses (the guide's note: DHE/ECDHE parameters count); anonymous key exchange scores 0 and an
// export key exchange at most 40.
func (f *gradeFacts) kexScore() int {
	if f.any(func(s Suite) bool { return s.Anon }) {
		return 0
	}
	score := 100
	if f.in.KeyBits > 0 {
		bits := f.in.KeyBits
		if k := strings.ToUpper(f.in.KeyType); k == "EC" || strings.HasPrefix(k, "ED") {
			bits = rsaEquivalent(bits)
		}
		score = keyBitsScore(bits)
	} else if !f.any(func(s Suite) bool { return true }) {
		return 0
	}
	if f.any(func(s Suite) bool { return s.Export }) {
		score = min(score, 40)
	}
	for _, v := range f.offered {
		p := f.in.Enumeration.Protocol(v)
		if p.DHBits > 0 && f.any(isFFDHE, v) {
			score = min(score, keyBitsScore(p.DHBits))
		}
		if v == TLS13 || f.any(isECDHE, v) {
			for _, g := range p.Groups {
				score = min(score, groupScore(g))
			}
		}
	}
	return score
}

func groupScore(g Group) int {
	switch {
	case g.Bits == 0:
		return 100 // unknown size: not held against the server
	case g.FFDH:
		return keyBitsScore(g.Bits)
	}
	return keyBitsScore(rsaEquivalent(g.Bits))
}

func isECDHE(s Suite) bool { return strings.Contains(strings.ToUpper(s.Kex), "ECDHE") }

func isFFDHE(s Suite) bool {
	k := strings.ToUpper(s.Kex)
	return strings.Contains(k, "DHE") && !strings.Contains(k, "ECDHE")
}
