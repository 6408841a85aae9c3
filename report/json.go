package report

import (
	"encoding/json"
	"io"
)

// JSONWriter writes report.json: the Report structure, as data. Strings from servers are JSON
// strings; HTML-significant characters are escaped so that the file is safe to embed.
type JSONWriter struct{}

// Format returns "json".
func (JSONWriter) Format() string { return "json" }

// File returns "report.json".
func (JSONWriter) File() string { return "report.json" }

// Write encodes the report with indentation.
func (JSONWriter) Write(w io.Writer, r *Report, _ Options) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
