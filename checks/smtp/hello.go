package smtp

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Capabilities are the service extensions an EHLO reply lists.
type Capabilities struct {
	// ESMTP is false when the server refused EHLO and the session went on with HELO.
	ESMTP bool `json:"esmtp"`
	// Extensions are the reply's lines after the first, as sent.
	Extensions []string `json:"extensions,omitempty"`
	StartTLS   bool     `json:"starttls"`
	// Auth are the SASL mechanisms of "AUTH …" and "AUTH=…" lines, upper case.
	Auth []string `json:"auth,omitempty"`
	// SizeAdvertised reports a SIZE line; Size is its value (0: none or 0, no fixed limit).
	SizeAdvertised bool  `json:"size_advertised"`
	Size           int64 `json:"size"`
	VRFY           bool  `json:"vrfy"`
	EXPN           bool  `json:"expn"`
	Pipelining     bool  `json:"pipelining"`
	EightBitMIME   bool  `json:"8bitmime"`
	SMTPUTF8       bool  `json:"smtputf8"`
	Chunking       bool  `json:"chunking"`
	DSN            bool  `json:"dsn"`
}

// ParseCapabilities reads the extensions of a 250 reply to EHLO (its first line is the
// server's greeting and is skipped). Keywords are case-insensitive; unknown ones are kept in
// Extensions only.
func ParseCapabilities(ehlo Reply) Capabilities {
	c := Capabilities{ESMTP: true}
	if len(ehlo.Lines) < 2 {
		return c
	}
	c.Extensions = slices.Clone(ehlo.Lines[1:])
	for _, line := range c.Extensions {
		kw, params := keyword(line)
		switch kw {
		case "STARTTLS":
			c.StartTLS = true
		case "AUTH":
			c.Auth = addMechanisms(c.Auth, params)
		case "SIZE":
			c.SizeAdvertised = true
			if len(params) > 0 {
				if n, err := strconv.ParseInt(params[0], 10, 64); err == nil && n > 0 {
					c.Size = n
				}
			}
		case "VRFY":
			c.VRFY = true
		case "EXPN":
			c.EXPN = true
		case "PIPELINING":
			c.Pipelining = true
		case "8BITMIME":
			c.EightBitMIME = true
		case "SMTPUTF8":
			c.SMTPUTF8 = true
		case "CHUNKING":
			c.Chunking = true
		case "DSN":
			c.DSN = true
		}
	}
	return c
}

// keyword splits an extension line into its upper-case keyword and parameters; the old
// "AUTH=PLAIN LOGIN" form gives "AUTH" and its mechanisms.
func keyword(line string) (string, []string) {
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return "", nil
	}
	kw := strings.ToUpper(fields[0])
	if rest, ok := strings.CutPrefix(kw, "AUTH="); ok {
		return "AUTH", append([]string{rest}, fields[1:]...)
	}
	return kw, fields[1:]
}

func addMechanisms(list, mechs []string) []string {
	for _, m := range mechs {
		if m = strings.ToUpper(m); m != "" && !slices.Contains(list, m) {
			list = append(list, m)
		}
	}
	return list
}

// PlaintextAuth returns the advertised mechanisms that send the password itself (PLAIN,
// LOGIN).
func (c Capabilities) PlaintextAuth() []string {
	var out []string
	for _, m := range c.Auth {
		if m == "PLAIN" || m == "LOGIN" {
			out = append(out, m)
		}
	}
	return out
}

// Hello is how the session introduced itself: EHLO, or HELO after EHLO was refused.
type Hello struct {
	Command      string       `json:"command"` // "EHLO" or "HELO"
	Reply        Reply        `json:"reply"`
	EHLORefused  *Reply       `json:"ehlo_refused,omitempty"`
	Capabilities Capabilities `json:"capabilities"`
}

// OK reports a 250 to the last greeting command.
func (h *Hello) OK() bool { return h != nil && h.Reply.Code == 250 }

// hello sends EHLO and, when it is refused with an error other than 421, HELO.
func (s *session) hello(name string) (*Hello, error) {
	rep, err := s.cmd("EHLO " + name)
	if err != nil {
		return nil, err
	}
	if rep.Code == 250 {
		return &Hello{Command: "EHLO", Reply: rep, Capabilities: ParseCapabilities(rep)}, nil
	}
	h := &Hello{Command: "HELO", EHLORefused: &rep}
	if h.Reply, err = s.cmd("HELO " + name); err != nil {
		return h, err
	}
	return h, nil
}

// productRules name the MTA and its version from a banner or an EHLO greeting line, most
// specific first.
var productRules = []struct {
	re      *regexp.Regexp
	product string
}{
	{regexp.MustCompile(`(?i)\bSendmail ([0-9]+\.[0-9]+[0-9.]*)`), "Sendmail"},
	{regexp.MustCompile(`(?i)\bSendmail\b`), "Sendmail"},
	{regexp.MustCompile(`(?i)\bExim ([0-9]+\.[0-9]+[0-9.a-z_-]*)`), "Exim"},
	{regexp.MustCompile(`(?i)\bExim\b`), "Exim"},
	{regexp.MustCompile(`(?i)\bPostfix \(?([0-9]+\.[0-9]+[0-9.]*)`), "Postfix"},
	{regexp.MustCompile(`(?i)\bPostfix\b`), "Postfix"},
	{regexp.MustCompile(`(?i)Microsoft ESMTP MAIL Service(?:, Version: ([0-9]+\.[0-9.]+))?`), "Microsoft ESMTP"},
	{regexp.MustCompile(`(?i)\bOpenSMTPD\b`), "OpenSMTPD"},
	{regexp.MustCompile(`(?i)\bHaraka(?:/([0-9]+\.[0-9.]+))?`), "Haraka"},
	{regexp.MustCompile(`(?i)\bqmail\b`), "qmail"},
	{regexp.MustCompile(`(?i)\bCommuniGate Pro(?: ([0-9]+\.[0-9.]+))?`), "CommuniGate Pro"},
	{regexp.MustCompile(`(?i)\bMDaemon(?: ([0-9]+\.[0-9.]+))?`), "MDaemon"},
	{regexp.MustCompile(`(?i)\bhMailServer\b`), "hMailServer"},
	{regexp.MustCompile(`(?i)\bMailEnable\b`), "MailEnable"},
	{regexp.MustCompile(`(?i)\bZimbra\b`), "Zimbra"},
	{regexp.MustCompile(`(?i)\bCourier\b`), "Courier"},
}

// ProductOf names the MTA and its version in texts (the banner, the EHLO greeting line):
// the first text that names a product decides; a version found in any text for the same
// product is kept.
func ProductOf(texts ...string) (product, version string) {
	for _, t := range texts {
		for _, r := range productRules {
			m := r.re.FindStringSubmatch(t)
			if m == nil || (product != "" && r.product != product) {
				continue
			}
			product = r.product
			if len(m) > 1 && m[1] != "" && version == "" {
				version = strings.TrimRight(m[1], ".")
			}
			break
		}
	}
	return product, version
}

// serverName is the host name the banner gives ("220 mail.example.jp ESMTP …"), or "".
func serverName(banner Reply) string {
	if len(banner.Lines) == 0 {
		return ""
	}
	f := strings.Fields(banner.Lines[0])
	if len(f) == 0 || !isHostName(f[0]) || !strings.Contains(f[0], ".") {
		return ""
	}
	return strings.ToLower(strings.TrimSuffix(f[0], "."))
}

// isHostName reports a DNS name of letters, digits, hyphens and dots (at most 253 bytes).
func isHostName(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if s == "" || len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
				return false
			}
		}
	}
	return true
}

// describeSize writes a SIZE value for people: "10240000 bytes (9.8 MiB)".
func describeSize(n int64) string {
	return fmt.Sprintf("%d bytes (%.1f MiB)", n, float64(n)/(1<<20))
}
