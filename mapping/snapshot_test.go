package mapping

import (
	"bytes"
	"testing"

	"ecscan/configs"
)

// TestSnapshotMatchesYAML fails when configs/catalog.snapshot.json, which scans load, no
// longer renders the YAML chapter files: run `go generate ./mapping` after editing them.
func TestSnapshotMatchesYAML(t *testing.T) {
	src, err := SourceCatalog()
	if err != nil {
		t.Fatal(err)
	}
	want, err := Snapshot(src)
	if err != nil {
		t.Fatal(err)
	}
	got, err := configs.FS.ReadFile(configs.CatalogSnapshot)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("configs/catalog.snapshot.json is out of date: run go generate ./mapping")
	}
	snap, err := DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	again, _ := Snapshot(snap)
	if !bytes.Equal(again, want) {
		t.Fatal("the snapshot does not decode back to the same catalog")
	}
}
