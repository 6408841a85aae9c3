// Package wire is what the web check and its template engine (the ecscan-nuclei program)
// say to each other. The engine runs in a process of its own, so that nuclei — its 700-odd
// packages, their start-up work and their memory, its process-wide settings, any panic of
// its — stays out of ecscan's process:
//
//	ecscan (checks/web)                       ecscan-nuclei (checks/web/engine)
//	  starts ecscan-nuclei, writes Params  →    one JSON object on stdin
//	                                       ←    one Event per line on stdout (JSON)
//	  nuclei's log                         ←    stderr, to the scan's --debug-log
//	  closes stdin to stop it              →    stdin at EOF: the run is cancelled
//
// Every connection nuclei makes goes through Params.Proxy, the check's SOCKS5 gateway in
// ecscan's process, which holds the scan's limits and the service map's addresses. This
// package imports nothing of nuclei.
package wire

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// RunnerName is the template engine's program (cmd/ecscan-nuclei); RunnerEnv names its path
// explicitly (tests, unusual installs). ecscan looks for it in $RunnerEnv, then beside its
// own executable, then on the PATH.
const (
	RunnerName = "ecscan-nuclei"
	RunnerEnv  = "ECSCAN_NUCLEI"
)

// Params are what one nuclei run needs.
type Params struct {
	Dir         string        `json:"dir"`       // the private template directory
	Templates   []string      `json:"templates"` // the IDs expected to load
	Targets     []string      `json:"targets"`   // root URLs
	Proxy       string        `json:"proxy"`     // the gateway, socks5://127.0.0.1:port
	Resolver    string        `json:"resolver"`  // ip:port, the only resolver nuclei may ask
	Timeout     time.Duration `json:"timeout"`
	Concurrency int           `json:"concurrency"` // templates at once
	Hosts       int           `json:"hosts"`       // targets at once
	Rate        float64       `json:"rate"`        // requests per second, all targets together
	Sandbox     bool          `json:"sandbox"`     // restrict local network access (public scans)
	UserAgent   string        `json:"user_agent"`
}

// Event is one outcome of a template on a target: a match (one per matched URL and
// matcher), or the "did not match" event of a template that ran (nuclei's matcher status).
// Request and Response are bounded (ClipExchange); Key is the target it belongs to,
// "scheme://host:port".
type Event struct {
	Key       string   `json:"key"`
	Template  string   `json:"template"`
	Finding   string   `json:"finding"`  // the template's ecscan-finding metadata
	Severity  string   `json:"severity"` // ecscan-severity
	Kind      string   `json:"kind"`     // ecscan-kind
	Matched   bool     `json:"matched"`
	Matcher   string   `json:"matcher,omitempty"`
	URL       string   `json:"url,omitempty"`
	Extracted []string `json:"extracted,omitempty"`
	Request   string   `json:"request,omitempty"`
	Response  string   `json:"response,omitempty"`
	Error     string   `json:"error,omitempty"`
}

// Bounds of what is kept of an exchange for the evidence.
const (
	KeepHead = 8 << 10  // bytes of a request or response head
	KeepBody = 4 << 10  // bytes of a body
	MaxItems = 20       // extracted values kept
	MaxBody  = 64 << 10 // bytes of a response body read (nuclei's read and save size)
	// MaxLine bounds one Event line on the engine's stdout: the clipped exchange, the
	// extracted values and JSON's escaping of binary bytes (up to 6 bytes each).
	MaxLine = 6*(2*(KeepHead+KeepBody)+MaxItems*512+4096) + 4096
)

// Clip bounds s to n bytes, saying where it was cut.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + fmt.Sprintf("\n# … cut at %d of %d bytes\n", n, len(s))
}

// ClipExchange bounds a raw request or response: the head to KeepHead bytes, the body to
// KeepBody bytes.
func ClipExchange(raw string) string {
	head, body, found := strings.Cut(raw, "\r\n\r\n")
	sep := "\r\n\r\n"
	if !found {
		head, body, found = strings.Cut(raw, "\n\n")
		sep = "\n\n"
	}
	if !found {
		return Clip(raw, KeepHead)
	}
	return Clip(head, KeepHead) + sep + Clip(body, KeepBody)
}

// URLKey returns "scheme://host:port" of an absolute URL, lower case, with the default port.
func URLKey(u string) (string, bool) {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Hostname() == "" {
		return "", false
	}
	return strings.ToLower(p.Scheme + "://" + HostPort(p)), true
}

// HostPort returns "host:port" of a URL, with the scheme's default port.
func HostPort(p *url.URL) string {
	port := p.Port()
	if port == "" {
		port = "80"
		if p.Scheme == "https" {
			port = "443"
		}
	}
	h := p.Hostname()
	if strings.Contains(h, ":") {
		h = "[" + h + "]"
	}
	return strings.TrimSuffix(strings.ToLower(h), ".") + ":" + port
}
