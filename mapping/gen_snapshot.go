//go:build ignore

// gen_snapshot writes configs/catalog.snapshot.json from the YAML chapter files.
package main

import (
	"log"
	"os"

	"ecscan/mapping"
)

func main() {
	c, err := mapping.SourceCatalog()
	if err != nil {
		log.Fatal(err)
	}
	data, err := mapping.Snapshot(c)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("../configs/catalog.snapshot.json", data, 0o644); err != nil {
		log.Fatal(err)
	}
}
