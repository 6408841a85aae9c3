// Package configs holds ecscan's data files — the questionnaire catalog, the answer rules,
// the registry of finding IDs, the example configuration and the web check's templates —
// embedded into the binary.
package configs

import "embed"

// FS is the embedded tree of data files.
//
//go:embed catalog/*.yaml catalog.snapshot.json rules/*.yaml findings/*.yaml ecscan.example.yaml templates/*/*.yaml
var FS embed.FS

// Paths inside FS.
const (
	// CatalogDir holds the questionnaire catalog, one YAML file per chapter.
	CatalogDir = "catalog"
	// CatalogSnapshot is the catalog rendered as JSON (go generate ./mapping), which loads
	// faster than the YAML it is made from.
	CatalogSnapshot = "catalog.snapshot.json"
	// RulesDir holds the answer rules.
	RulesDir = "rules"
	// FindingsDir holds the registry of finding IDs, one file per check.
	FindingsDir = "findings"
	// ExampleConfig is the annotated example configuration.
	ExampleConfig = "ecscan.example.yaml"
	// TemplatesDir holds the web check's nuclei templates, one directory per kind
	// (listing, samples, methods, files; intrusive holds the ones run only with --intrusive).
	TemplatesDir = "templates"
)
