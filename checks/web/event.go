package web

import (
	"net/url"

	"ecscan/checks/web/wire"
)

// Bounds of what is kept of an exchange for the evidence.
const (
	keepHead = wire.KeepHead
	keepBody = wire.KeepBody
)

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// clipExchange bounds a raw request or response (wire.ClipExchange).
func clipExchange(raw string) string { return wire.ClipExchange(raw) }

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
