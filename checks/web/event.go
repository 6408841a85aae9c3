package web

import (
	"net"
	"net/url"
	"strings"

	"github.com/projectdiscovery/nuclei/v3/pkg/output"
)

// Bounds of what is kept of a nuclei exchange for the evidence.
const (
	keepHead = 8 << 10 // bytes of a request or response head
	keepBody = 4 << 10 // bytes of a body
	maxItems = 20      // extracted values kept
)

// resultOf turns a nuclei event into a TemplateResult and the key of the target it belongs
// to ("scheme://host:port"). Matched events carry the host, port and scheme of the input;
// the "did not match" events that nuclei makes up carry the input URL in Host.
func resultOf(ev *output.ResultEvent) (*TemplateResult, string) {
	meta := func(k string) string {
		s, _ := ev.Info.Metadata[k].(string)
		return s
	}
	r := &TemplateResult{
		Template: ev.TemplateID, Finding: meta("ecscan-finding"), Severity: meta("ecscan-severity"),
		Kind: meta("ecscan-kind"), Matched: ev.MatcherStatus, Matcher: ev.MatcherName,
		URL: firstNonEmpty(ev.Matched, ev.URL), Request: clipExchange(ev.Request),
		Response: clipExchange(ev.Response), Error: clip(ev.Error, 1024),
	}
	for i, x := range ev.ExtractedResults {
		if i == maxItems {
			break
		}
		r.Extracted = append(r.Extracted, clip(x, 512))
	}
	return r, eventKey(ev)
}

// eventKey finds the target of an event.
func eventKey(ev *output.ResultEvent) string {
	if ev.Scheme != "" && ev.Host != "" && ev.Port != "" && !strings.Contains(ev.Host, "/") {
		host := ev.Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h // "name:port" for a port that is not the scheme's default
		}
		return strings.ToLower(ev.Scheme + "://" + net.JoinHostPort(strings.TrimSuffix(host, "."), ev.Port))
	}
	for _, u := range []string{ev.Host, ev.URL, ev.Matched} {
		if k, ok := urlKey(u); ok {
			return k
		}
	}
	return ""
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// clipExchange bounds a raw request or response: the head to keepHead bytes, the body to
// keepBody bytes.
func clipExchange(raw string) string {
	head, body, found := strings.Cut(raw, "\r\n\r\n")
	sep := "\r\n\r\n"
	if !found {
		head, body, found = strings.Cut(raw, "\n\n")
		sep = "\n\n"
	}
	if !found {
		return clip(raw, keepHead)
	}
	return clip(head, keepHead) + sep + clip(body, keepBody)
}

// pathOf returns the path (and query) of a URL, or the URL when it does not parse.
func pathOf(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return u
	}
	if p.RawQuery != "" {
		return p.EscapedPath() + "?" + p.RawQuery
	}
	if p.EscapedPath() == "" {
		return "/"
	}
	return p.EscapedPath()
}
