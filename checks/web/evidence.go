package web

import (
	"fmt"
	"strings"
	"time"

	"ecscan/checks"
)

// Evidence IDs (local to the Result).
const (
	evHome     = "home"     // GET / and the redirects followed
	evBaseline = "baseline" // the random paths
	evPages    = "pages"    // every page examined for password inputs
	evGateway  = "gateway"  // destinations refused to nuclei
)

func evPage(i int) string     { return fmt.Sprintf("page-%d", i+1) }
func evTemplate(i int) string { return fmt.Sprintf("tpl-%d", i+1) }
func evPut(i int) string      { return fmt.Sprintf("put-%d", i+1) }

// BuildEvidence returns the evidence of an observation: the check's own exchanges (home,
// baseline, pages), one item per template result (the request and response nuclei recorded,
// bounded, or for a template that did not match the requests it made), one per write test,
// and the destinations the gateway refused. Server bytes are kept as they came, bounded;
// the report writers escape them.
func BuildEvidence(o *Observation, now time.Time) []checks.Evidence {
	var out []checks.Evidence
	add := func(id, kind, title, data string) {
		out = append(out, checks.Evidence{ID: id, Kind: kind, Time: now, Title: title, Data: data})
	}
	if len(o.Home) > 0 {
		add(evHome, "http", "GET / on "+o.URL+" ("+o.Addr.String()+")", renderExchanges(o.Home))
	}
	if len(o.Baseline) > 0 {
		add(evBaseline, "http", "Random paths on "+o.URL+" (soft-404 baseline)", renderExchanges(o.Baseline))
	}
	if len(o.Pages) > 0 {
		add(evPages, "http", "Pages examined for password inputs on "+o.URL, renderPages(o.Pages))
	}
	for i, p := range o.Pages {
		add(evPage(i), "http", "Page "+p.Exchange.URL, renderExchanges([]*Exchange{p.Exchange}))
	}
	for i, r := range o.Templates {
		add(evTemplate(i), "http", templateTitle(r), renderTemplate(r))
	}
	for i, p := range o.Put {
		add(evPut(i), "http", "Write test (PUT, GET, DELETE, GET) in "+p.Dir+" of "+o.URL, renderExchanges(p.Exchanges))
	}
	if len(o.Refused) > 0 {
		add(evGateway, "scan", "Destinations refused to nuclei (not targets of the scan)", strings.Join(o.Refused, "\n")+"\n")
	}
	return out
}

func templateTitle(r *TemplateResult) string {
	switch {
	case r.Matched && r.Suppressed != "":
		return fmt.Sprintf("nuclei %s: match discarded at %s (%s)", r.Template, r.URL, r.Suppressed)
	case r.Matched:
		return fmt.Sprintf("nuclei %s: matched %s at %s", r.Template, r.Matcher, r.URL)
	case r.Error != "":
		return fmt.Sprintf("nuclei %s: error: %s", r.Template, r.Error)
	}
	return fmt.Sprintf("nuclei %s: no match", r.Template)
}

func renderTemplate(r *TemplateResult) string {
	var b strings.Builder
	if len(r.Probed) > 0 {
		b.WriteString("# requests made by the template:\n")
		for _, p := range r.Probed {
			b.WriteString("#   " + p + "\n")
		}
		b.WriteString("# the last exchange:\n")
	}
	if len(r.Extracted) > 0 {
		b.WriteString("# extracted: " + strings.Join(r.Extracted, " | ") + "\n")
	}
	writeQuoted(&b, "> ", r.Request)
	writeQuoted(&b, "< ", r.Response)
	return b.String()
}

// renderExchanges writes exchanges as "> " request lines and "< " response lines.
func renderExchanges(exs []*Exchange) string {
	var b strings.Builder
	for i, ex := range exs {
		if i > 0 {
			b.WriteString("\n")
		}
		writeQuoted(&b, "> ", ex.Request)
		if ex.Error != "" {
			fmt.Fprintf(&b, "# %s %s: %s (%s)\n", ex.Method, ex.URL, ex.Error, ex.Class)
			continue
		}
		resp := ex.Head + "\r\n" + clip(ex.Body, keepBody)
		if ex.BodyCut {
			resp += "\n# body cut"
		}
		writeQuoted(&b, "< ", resp)
	}
	return b.String()
}

func renderPages(pages []*Page) string {
	var b strings.Builder
	for _, p := range pages {
		fmt.Fprintf(&b, "%s %d", p.Exchange.URL, p.Exchange.Status)
		for _, f := range p.Forms {
			fmt.Fprintf(&b, "\n    password input %q in a form: %s %s", f.Field, f.Method, f.Action)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// writeQuoted writes each line of s with a prefix, without its CR.
func writeQuoted(b *strings.Builder, prefix, s string) {
	if s == "" {
		return
	}
	for _, line := range strings.Split(strings.TrimRight(s, "\r\n"), "\n") {
		b.WriteString(prefix + strings.TrimSuffix(line, "\r") + "\n")
	}
}
