package engine

import (
	"net"
	"strings"

	"github.com/projectdiscovery/nuclei/v3/pkg/output"

	"ecscan/checks/web/wire"
)

// eventOf turns a nuclei event into a wire.Event, bounded, with the key of the target it
// belongs to. Matched events carry the host, port and scheme of the input; the "did not
// match" events that nuclei makes up carry the input URL in Host.
func eventOf(ev *output.ResultEvent) wire.Event {
	meta := func(k string) string {
		s, _ := ev.Info.Metadata[k].(string)
		return s
	}
	url := ev.Matched
	if url == "" {
		url = ev.URL
	}
	e := wire.Event{
		Key: eventKey(ev), Template: ev.TemplateID, Finding: meta("ecscan-finding"),
		Severity: meta("ecscan-severity"), Kind: meta("ecscan-kind"), Matched: ev.MatcherStatus,
		Matcher: ev.MatcherName, URL: url, Request: wire.ClipExchange(ev.Request),
		Response: wire.ClipExchange(ev.Response), Error: wire.Clip(ev.Error, 1024),
	}
	for i, x := range ev.ExtractedResults {
		if i == wire.MaxItems {
			break
		}
		e.Extracted = append(e.Extracted, wire.Clip(x, 512))
	}
	return e
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
		if k, ok := wire.URLKey(u); ok {
			return k
		}
	}
	return ""
}
