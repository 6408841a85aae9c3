package web

import (
	"net/http"
	"net/netip"
	"strings"

	"ecscan/checks"
)

// Observation is what the web check saw of one target (one HTTP or HTTPS endpoint). It is
// the input of Evaluate and BuildEvidence and the Data of the target's Result.
type Observation struct {
	Host string     `json:"host"`
	Addr netip.Addr `json:"addr"`
	Port int        `json:"port"`
	TLS  bool       `json:"tls"`
	URL  string     `json:"url"`

	// Baseline are the requests for random paths that tell a site answering 404 from one
	// answering 200 to everything (soft 404).
	Baseline []*Exchange `json:"baseline,omitempty"`
	// Home is GET / and the redirects followed within the target (at most maxRedirects).
	Home []*Exchange `json:"home,omitempty"`
	// Pages are the pages looked at for password inputs: login pages linked from the home
	// page and the usual login paths that answered 200 with HTML.
	Pages []*Page `json:"pages,omitempty"`
	// Templates are the outcomes of the nuclei templates on this target.
	Templates []*TemplateResult `json:"templates,omitempty"`
	// TemplatesRun says the nuclei engine ran (a target without template results then had
	// every template fail to report, which is recorded as an error).
	TemplatesRun bool `json:"templates_run"`
	// Intrusive says the intrusive templates and the PUT/DELETE test ran.
	Intrusive bool `json:"intrusive,omitempty"`
	// Put are the intrusive write tests, one per directory.
	Put []*PutTest `json:"put,omitempty"`
	// EngineError is why nuclei could not run, if it could not.
	EngineError string `json:"engine_error,omitempty"`
	// Refused are destinations nuclei asked for that are not targets of the scan (a redirect
	// to another host): the gateway refused them.
	Refused []string `json:"refused,omitempty"`
}

// Exchange is one HTTP request made by the check itself (not by nuclei) and its answer,
// bounded: the head as sent and received, and the first maxBody bytes of the body.
type Exchange struct {
	Method string `json:"method"`
	URL    string `json:"url"`
	// Request is the request head as sent.
	Request string `json:"request"`
	// Status is the response's status code; 0 when there was no response.
	Status int `json:"status,omitempty"`
	// Head is the status line and the header lines of the response.
	Head string `json:"head,omitempty"`
	// Header is the parsed response header (for evaluation).
	Header http.Header `json:"-"`
	// Body is the beginning of the body; BodyCut says there was more.
	Body    string `json:"body,omitempty"`
	BodyCut bool   `json:"body_cut,omitempty"`
	// Error is why the exchange failed, and Class its classification (checks.Classify).
	Error string        `json:"error,omitempty"`
	Class checks.Status `json:"class,omitempty"`
}

// OK says a response came.
func (e *Exchange) OK() bool { return e != nil && e.Error == "" && e.Status > 0 }

// Page is a page examined for password inputs.
type Page struct {
	Exchange *Exchange      `json:"exchange"`
	Forms    []PasswordForm `json:"forms,omitempty"`
}

// PasswordForm is a form (or a lone input) asking for a password.
type PasswordForm struct {
	// Action is the absolute URL the form posts to ("" when it could not be resolved).
	Action string `json:"action"`
	Method string `json:"method,omitempty"`
	// Field is the name of the password input.
	Field string `json:"field,omitempty"`
}

// TemplateResult is one outcome of a nuclei template on the target: a match (one per
// matched URL and matcher), or the single "did not match" event of a template that ran.
type TemplateResult struct {
	Template string `json:"template"`
	// Finding, Severity and Kind come from the template's metadata (ecscan-finding, …).
	Finding  string `json:"finding"`
	Severity string `json:"severity"`
	Kind     string `json:"kind"`
	Matched  bool   `json:"matched"`
	Matcher  string `json:"matcher,omitempty"`
	// URL is where it matched (or the last URL requested).
	URL       string   `json:"url,omitempty"`
	Extracted []string `json:"extracted,omitempty"`
	// Request and Response are bounded copies of the exchange nuclei recorded.
	Request  string `json:"request,omitempty"`
	Response string `json:"response,omitempty"`
	Error    string `json:"error,omitempty"`
	// Probed are the requests the template makes, from the template itself, for the
	// evidence of a pass.
	Probed []string `json:"probed,omitempty"`
	// Suppressed says why a match was discarded (it looks like the soft-404 baseline).
	Suppressed string `json:"suppressed,omitempty"`
}

// PutTest is the intrusive write test of one directory: PUT a marked file, GET it back,
// DELETE it, GET it again.
type PutTest struct {
	Dir       string      `json:"dir"`
	URL       string      `json:"url"`
	Marker    string      `json:"marker"`
	Exchanges []*Exchange `json:"exchanges"`
	// Stored: the GET after the PUT returned the marker.
	Stored bool `json:"stored"`
	// Deleted: DELETE succeeded and the GET after it no longer finds the file.
	Deleted bool `json:"deleted"`
	// Left says the file may still be there (the DELETE did not remove it).
	Left bool `json:"left,omitempty"`
}

// responseStatus reads the status code from the first line of a raw response.
func responseStatus(raw string) int {
	line, _, _ := strings.Cut(raw, "\n")
	f := strings.Fields(line)
	if len(f) < 2 || !strings.HasPrefix(f[0], "HTTP/") {
		return 0
	}
	n := 0
	for _, c := range f[1] {
		if c < '0' || c > '9' || n > 999 {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// responseBody returns the body of a raw response (after the first empty line).
func responseBody(raw string) string {
	if _, b, ok := strings.Cut(raw, "\r\n\r\n"); ok {
		return b
	}
	if _, b, ok := strings.Cut(raw, "\n\n"); ok {
		return b
	}
	return ""
}
