package report

import (
	"bufio"
	"fmt"
	"html/template"
	"io"
)

// HTMLWriter writes report.html: one self-contained page (inline CSS, no script, no external
// asset) that prints cleanly to PDF. It holds the header of the run, a summary, the hosts and
// services, the findings by severity with links to their evidence, the questionnaire chapter
// by chapter as the answer sheet lays it out — each block's answer, its source, what the
// scan allows and requires, the rationale, conflicts and stale answers — and the evidence.
//
// Every string from a server (banners, headers, records, host names, evidence) or from a
// data file is cleaned of control characters and invalid UTF-8, then escaped by html/template
// for its context; nothing reaches the page as template.HTML. The page's
// Content-Security-Policy forbids scripts and fetches, should an escape ever be missed.
type HTMLWriter struct{}

// Format returns "html".
func (HTMLWriter) Format() string { return "html" }

// File returns "report.html".
func (HTMLWriter) File() string { return "report.html" }

// htmlTemplate is parsed once; each Write clones it with the language's label function.
var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{"t": labelFunc("ja")}).Parse(htmlPage + htmlSections))

// labelFunc returns the template function t(ja, en) that picks the label of lang.
func labelFunc(lang string) func(ja, en string) string {
	return func(ja, en string) string { return tr(lang, ja, en) }
}

// Write writes the report in o.Lang (Japanese unless "en").
func (HTMLWriter) Write(w io.Writer, r *Report, o Options) error {
	v := newHTMLView(r, o)
	t, err := htmlTemplate.Clone()
	if err != nil {
		return fmt.Errorf("html: %w", err)
	}
	t.Funcs(template.FuncMap{"t": labelFunc(v.Lang)})
	bw := bufio.NewWriter(w)
	if err := t.Execute(bw, v); err != nil {
		return fmt.Errorf("html: %w", err)
	}
	return bw.Flush()
}
