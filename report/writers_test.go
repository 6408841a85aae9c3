package report

import (
	"bytes"
	"path/filepath"
	"testing"

	"ecscan/checks"
)

// TestWritersEmptyReport runs every writer, and the evidence pack, on an empty report and on
// one built from an empty run: nothing to show must still make a file.
func TestWritersEmptyReport(t *testing.T) {
	built := Build(&checks.Run{}, nil)
	built.Summarize()
	for name, r := range map[string]*Report{"zero": {}, "built": built} {
		for _, w := range Writers() {
			for _, o := range []Options{{}, {Lang: "en", Catalog: testCatalog(t)}} {
				var b bytes.Buffer
				if err := w.Write(&b, r, o); err != nil || b.Len() == 0 {
					t.Errorf("%s report, %s writer: %d bytes, %v", name, w.Format(), b.Len(), err)
				}
			}
		}
		for _, dst := range []string{"pack", "pack.zip"} {
			path := filepath.Join(t.TempDir(), dst)
			if err := WriteEvidencePack(path, r, Options{}); err != nil {
				t.Errorf("%s report, pack %s: %v", name, dst, err)
				continue
			}
			if p := verify(t, path); len(p) != 0 {
				t.Errorf("%s report, pack %s: problems %q", name, dst, p)
			}
		}
	}
}

func TestWriterFormats(t *testing.T) {
	for format, file := range map[string]string{"json": "report.json", "md": "report.md", "html": "report.html", "xlsx": "answers.xlsx", "sarif": "report.sarif"} {
		w, err := WriterFor(format)
		if err != nil {
			t.Errorf("WriterFor(%q): %v", format, err)
			continue
		}
		if w.Format() != format || w.File() != file {
			t.Errorf("WriterFor(%q) = %s writing %s, want %s", format, w.Format(), w.File(), file)
		}
	}
}
