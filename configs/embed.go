// Package configs holds ecscan's data files — the questionnaire catalog, answer rules, the
// example configuration and the web check's templates — embedded into the binary.
package configs

import "embed"

// FS is the embedded tree of data files. The catalog lives under catalog/, one YAML file per
// questionnaire chapter.
//
//go:embed catalog/*.yaml
var FS embed.FS

// CatalogDir is the directory of FS that holds the catalog's chapter files.
const CatalogDir = "catalog"
