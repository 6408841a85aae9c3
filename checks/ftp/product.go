package ftp

import (
	"regexp"
	"strings"
)

// maxProduct bounds a product name or version taken from a server.
const maxProduct = 64

// productRule recognises a server in a banner, a SYST or a STAT reply; the expression's
// first group, when it matched, is the version.
type productRule struct {
	re      *regexp.Regexp
	product string
}

const ver = `(\d[\w.+-]*\w|\d)`

// productRules are tried in order; the first that matches wins, so a rule with a version
// comes before the same product without one.
var productRules = []productRule{
	{regexp.MustCompile(`(?i)vsFTPd ` + ver), "vsftpd"},
	{regexp.MustCompile(`(?i)\bvsFTPd\b`), "vsftpd"},
	{regexp.MustCompile(`ProFTPD ` + ver), "ProFTPD"},
	{regexp.MustCompile(`\bProFTPD\b`), "ProFTPD"},
	{regexp.MustCompile(`Pure-FTPd`), "Pure-FTPd"},
	{regexp.MustCompile(`FileZilla Server(?: version)? v?` + ver), "FileZilla Server"},
	{regexp.MustCompile(`FileZilla Server`), "FileZilla Server"},
	{regexp.MustCompile(`Serv-U FTP Server v` + ver), "Serv-U"},
	{regexp.MustCompile(`\bServ-U\b`), "Serv-U"},
	{regexp.MustCompile(`Microsoft FTP Service`), "Microsoft FTP Service"},
	{regexp.MustCompile(`\(Version wu-` + ver), "wu-ftpd"},
	{regexp.MustCompile(`\bwu-` + ver), "wu-ftpd"},
	{regexp.MustCompile(`Version:? BSD-` + ver), "BSD ftpd"},
	{regexp.MustCompile(`\bglFTPd ` + ver), "glFTPd"},
	{regexp.MustCompile(`\bbftpd ` + ver), "bftpd"},
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

// identify fills the observation's product and version from the banner, then SYST, then
// STAT (vsftpd names its version there even when its banner is replaced).
func identify(o *Observation) {
	for _, src := range []struct{ from, text string }{
		{"banner", o.Banner}, {"SYST", o.Syst}, {"STAT", strings.Join(o.Stat, "\n")},
	} {
		p, v := productOf(src.text)
		if o.Product == "" && p != "" {
			o.Product, o.From = p, src.from
		}
		if o.Version == "" && v != "" {
			o.Product, o.Version, o.From = p, v, src.from
		}
	}
}

func bound(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > maxProduct {
		s = s[:maxProduct]
	}
	return clean(s)
}
