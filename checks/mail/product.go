package mail

import (
	"regexp"
	"strings"
)

// maxProduct bounds a product name or version taken from a server.
const maxProduct = 64

// productRule recognises a product in a greeting or an implementation string; the
// expression's first group, when it matched, is the version.
type productRule struct {
	re      *regexp.Regexp
	product string
}

const ver = `(\d[\w.+-]*\w|\d)`

// productRules are tried in order; the first that matches wins.
var productRules = []productRule{
	{regexp.MustCompile(`(?i)\bDovecot\b(?: \([^)]{0,40}\))?(?: v?` + ver + `)?`), "Dovecot"},
	{regexp.MustCompile(`Cyrus (?:POP3|IMAP4?)(?: Murder)? v?` + ver), "Cyrus IMAP"},
	{regexp.MustCompile(`\bCyrus\b`), "Cyrus IMAP"},
	{regexp.MustCompile(`Courier-(?:IMAP|POP3)|Courier Mail Server`), "Courier"},
	{regexp.MustCompile(`Microsoft Exchange[^\r\n]*? version ` + ver), "Microsoft Exchange"},
	{regexp.MustCompile(`Microsoft Exchange`), "Microsoft Exchange"},
	{regexp.MustCompile(`Qpopper \(version ` + ver + `\)`), "Qpopper"},
	{regexp.MustCompile(`IMAP4rev1 (\d{4}[a-z]?\.\d+)`), "UW IMAP"},
	{regexp.MustCompile(`MDaemon (?:POP3|IMAP)? ?[Ss]erver v?` + ver), "MDaemon"},
	{regexp.MustCompile(`Kerio Connect ` + ver), "Kerio Connect"},
	{regexp.MustCompile(`CommuniGate Pro (?:IMAP|POP3) Server ` + ver), "CommuniGate Pro"},
	{regexp.MustCompile(`(?i)\bZimbra\b`), "Zimbra"},
	{regexp.MustCompile(`\bhMailServer\b`), "hMailServer"},
}

// productOf finds the product and version a text names.
func productOf(text string) (product, version string) {
	for _, r := range productRules {
		if m := r.re.FindStringSubmatch(text); m != nil {
			v := ""
			if len(m) > 1 {
				v = m[1]
			}
			return r.product, bound(v)
		}
	}
	return "", ""
}

// identify fills the observation's product and version from what the server said: the
// greeting, the POP3 IMPLEMENTATION capability, the IMAP ID response.
func identify(o *Observation) {
	set := func(product, version, from string) {
		if o.Product == "" && product != "" {
			o.Product, o.From = product, from
		}
		if o.Version == "" && version != "" {
			o.Version, o.From = version, from
			if product != "" {
				o.Product = product
			}
		}
	}
	p, v := productOfGreeting(o.Greeting)
	set(p, v, "greeting")
	if o.Implementation != "" {
		p, v = productOf(o.Implementation)
		if p == "" {
			p = bound(o.Implementation)
		}
		set(p, v, "IMPLEMENTATION")
	}
	if o.ID != nil {
		set(bound(o.ID["name"]), bound(o.ID["version"]), "ID")
	}
	if o.Product == "" && o.Version == "" {
		o.From = ""
	}
}

// productOfGreeting reads a greeting without its [CAPABILITY …] list, whose atoms are not
// the server's name.
func productOfGreeting(g string) (string, string) {
	return productOf(capabilityRe.ReplaceAllString(g, ""))
}

func bound(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > maxProduct {
		s = s[:maxProduct]
	}
	return clean(s)
}
