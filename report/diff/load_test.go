package diff

import (
	"os"
	"path/filepath"
	"testing"
)

func TestLoadAndCompareFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "20261128T233311Z-7")
	os.Mkdir(dir, 0o700)
	data, err := os.ReadFile("testdata/lab-ecshop.json")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "report.json"), data, 0o600)

	d, err := CompareFiles("testdata/lab-ecshop.json", dir)
	if err != nil {
		t.Fatal(err)
	}
	if !d.Empty() {
		t.Errorf("the same report in a file and in an entry: diff not empty")
	}
	if d.Old.ID != "" || d.Old.Path != "testdata/lab-ecshop.json" || d.New.ID != "20261128T233311Z-7" || d.New.Started.IsZero() {
		t.Errorf("refs %+v / %+v: want the file by path, the entry by ID, with start times", d.Old, d.New)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"schema":"something else"}`), 0o600)
	for _, p := range []string{bad, filepath.Join(t.TempDir(), "missing"), t.TempDir()} {
		if _, _, err := Load(p); err == nil {
			t.Errorf("Load(%s): no error, want one", p)
		}
	}
}
