package mapping

import (
	"encoding/json"
	"fmt"

	"ecscan/configs"
)

//go:generate go run gen_snapshot.go

// The built-in catalog is read from configs/catalog.snapshot.json, a JSON rendering of the
// YAML chapter files made by `go generate ./mapping`: decoding it takes a fraction of the
// time YAML parsing does, and every scan starts with it. TestSnapshotMatchesYAML fails
// when the snapshot no longer matches the YAML, which stays the source to review and edit.

// DefaultCatalog loads and validates the catalog embedded in the binary.
func DefaultCatalog() (*Catalog, error) {
	data, err := configs.FS.ReadFile(configs.CatalogSnapshot)
	if err != nil {
		return nil, fmt.Errorf("catalog snapshot: %w", err)
	}
	var chapters []*Chapter
	if err := json.Unmarshal(data, &chapters); err != nil {
		return nil, fmt.Errorf("catalog snapshot %s: %w (run go generate ./mapping)", configs.CatalogSnapshot, err)
	}
	c := &Catalog{Chapters: chapters}
	for _, ch := range chapters {
		ch.File = fmt.Sprintf("%s/ch%02d.yaml", configs.CatalogDir, ch.Number)
	}
	if errs := validate(c); len(errs) > 0 {
		return nil, errs
	}
	return c, nil
}

// SourceCatalog loads the catalog from the embedded YAML chapter files, the source the
// snapshot is made from.
func SourceCatalog() (*Catalog, error) {
	return LoadFS(configs.FS, configs.CatalogDir)
}

// Snapshot renders a catalog as the JSON DefaultCatalog reads.
func Snapshot(c *Catalog) ([]byte, error) {
	data, err := json.MarshalIndent(c.Chapters, "", " ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}
