package ports

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
)

// httpRequest is the HTTP probe: GET / with the target's name, asking the server to close.
func httpRequest(host string, port int, tls bool) []byte {
	if (port != 80 || tls) && (port != 443 || !tls) {
		host = fmt.Sprintf("%s:%d", host, port)
	}
	return fmt.Appendf(nil, "GET / HTTP/1.1\r\nHost: %s\r\nUser-Agent: ecscan\r\nAccept: */*\r\nConnection: close\r\n\r\n", host)
}

// hostHeader returns the name for a Host header: the target's name, or its address
// (bracketed for IPv6).
func hostHeader(host string) string {
	if strings.Contains(host, ":") {
		return "[" + host + "]"
	}
	return host
}

// headerValue returns the first value of a header in a response head (case-insensitive
// name), trimmed.
func headerValue(head []byte, name string) string {
	for line := range bytes.SplitSeq(head, []byte("\n")) {
		k, v, ok := bytes.Cut(line, []byte(":"))
		if ok && strings.EqualFold(string(bytes.TrimSpace(k)), name) {
			return string(bytes.TrimSpace(v))
		}
	}
	return ""
}

// splitHTTP returns the head (status line and headers) and the body of a response.
func splitHTTP(raw []byte) (head, body []byte) {
	if i := bytes.Index(raw, []byte("\r\n\r\n")); i >= 0 {
		return raw[:i], raw[i+4:]
	}
	if i := bytes.Index(raw, []byte("\n\n")); i >= 0 {
		return raw[:i], raw[i+2:]
	}
	return raw, nil
}

var (
	esNumberRe     = regexp.MustCompile(`"number"\s*:\s*"` + version + `"`)
	couchVersionRe = regexp.MustCompile(`"version"\s*:\s*"` + version + `"`)
)

// httpMatch reads an HTTP response: its status line, Server and X-Powered-By, and the
// products that announce themselves in headers or body (Elasticsearch, OpenSearch, CouchDB,
// Kibana, Jenkins, RabbitMQ) before the Server header is read.
func httpMatch(raw []byte) match {
	head, body := splitHTTP(raw)
	status, _, _ := bytes.Cut(head, []byte("\n"))
	info := &HTTPInfo{
		Status:    strings.TrimSpace(string(status)),
		Server:    headerValue(head, "Server"),
		PoweredBy: headerValue(head, "X-Powered-By"),
	}
	m := match{proto: "http", http: info}
	m.product, m.version = announcedProduct(head, body)
	if m.product == "" {
		m.product, m.version = productOf("http", info.Server)
	}
	if m.product == "" && info.PoweredBy != "" {
		m.product, m.version = productOf("http", info.PoweredBy)
	}
	return m
}

// announcedProduct recognises services that name themselves beyond the Server header.
func announcedProduct(head, body []byte) (product, ver string) {
	b := string(body)
	switch {
	case strings.Contains(b, `"cluster_name"`) && strings.Contains(b, `"opensearch"`):
		return "OpenSearch", submatch(esNumberRe, b)
	case strings.Contains(b, `"cluster_name"`) || strings.Contains(b, "You Know, for Search"):
		return "Elasticsearch", submatch(esNumberRe, b)
	case strings.Contains(b, `"couchdb"`):
		return "CouchDB", submatch(couchVersionRe, b)
	case headerValue(head, "kbn-name") != "" || headerValue(head, "kbn-version") != "":
		return "Kibana", headerValue(head, "kbn-version")
	case headerValue(head, "X-Jenkins") != "":
		return "Jenkins", headerValue(head, "X-Jenkins")
	case strings.Contains(b, "RabbitMQ Management"):
		return "RabbitMQ", ""
	}
	return "", ""
}

func submatch(re *regexp.Regexp, s string) string {
	if m := re.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return ""
}
