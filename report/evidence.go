package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	"ecscan/checks"
)

// The evidence pack is a directory or a .zip holding one file per evidence item of a report
// and manifest.json, which names each file's evidence, its SHA-256, and the findings and
// questions it supports, with the run's scanner, configuration, times and source addresses.
// An auditor checks the pack with VerifyEvidencePack (or sha256sum against the manifest).
// File names are made here, from the kind and the evidence ID, and use only [a-z0-9._-]: an
// evidence ID from a hostile server cannot name a path outside the pack.

// PackSchemaVersion is the version of manifest.json's layout.
const PackSchemaVersion = 1

// ManifestName is the manifest's file name inside a pack.
const ManifestName = "manifest.json"

// Manifest is manifest.json.
type Manifest struct {
	Schema              string         `json:"schema"` // "ecscan.evidence-pack"
	SchemaVersion       int            `json:"schema_version"`
	ReportSchemaVersion int            `json:"report_schema_version"`
	Scanner             Scanner        `json:"scanner"`
	Config              map[string]any `json:"config"`
	Started             time.Time      `json:"started"`
	Ended               time.Time      `json:"ended"`
	Interrupted         bool           `json:"interrupted"`
	SourceAddress       []string       `json:"source_address"`
	Targets             []string       `json:"targets"`
	Files               []PackFile     `json:"files"`
}

// PackFile is one evidence file of a pack.
type PackFile struct {
	Name       string    `json:"name"`
	EvidenceID string    `json:"evidence_id"`
	Kind       string    `json:"kind"`
	Target     string    `json:"target"`
	Title      string    `json:"title"`
	Time       time.Time `json:"time"`
	Size       int64     `json:"size"`
	SHA256     string    `json:"sha256"`
	Findings   []string  `json:"findings"`  // keys of the findings that cite it
	Questions  []string  `json:"questions"` // IDs of the questions whose answers rest on it
}

// packEntry is a file to write: its name and bytes.
type packEntry struct {
	name string
	data []byte
	time time.Time
}

// buildPack lays out the pack of a report: its files and their manifest.
func buildPack(r *Report) ([]packEntry, []byte, error) {
	m := Manifest{Schema: "ecscan.evidence-pack", SchemaVersion: PackSchemaVersion, ReportSchemaVersion: r.SchemaVersion,
		Scanner: r.Scanner, Config: r.Config, Started: r.Started, Ended: r.Ended, Interrupted: r.Interrupted,
		SourceAddress: nonNil(r.SourceAddress), Targets: nonNil(r.Targets), Files: []PackFile{}}
	uses := evidenceUses(r)
	taken := map[string]bool{ManifestName: true}
	var files []packEntry
	for _, e := range allEvidence(r) {
		name := packFileName(e, taken)
		taken[name] = true
		sum := sha256.Sum256([]byte(e.Data))
		pf := PackFile{Name: name, EvidenceID: e.ID, Kind: e.Kind, Target: e.Target, Title: e.Title, Time: e.Time,
			Size: int64(len(e.Data)), SHA256: hex.EncodeToString(sum[:]), Findings: []string{}, Questions: []string{}}
		if u := uses[e.ID]; u != nil {
			pf.Findings, pf.Questions = append(pf.Findings, u.Findings...), append(pf.Questions, u.Questions...)
		}
		m.Files = append(m.Files, pf)
		files = append(files, packEntry{name: name, data: []byte(e.Data), time: e.Time})
	}
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, nil, fmt.Errorf("evidence pack manifest: %w", err)
	}
	return files, append(manifest, '\n'), nil
}

var (
	slugBad   = regexp.MustCompile(`[^a-z0-9.]+`)
	slugRuns  = regexp.MustCompile(`[.-]{2,}`)
	validName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
)

// slug reduces s to at most n characters of [a-z0-9.-]: other runs become one dash, runs
// of dots and dashes one dot or dash, and no dot or dash leads or ends it.
func slug(s string, n int) string {
	s = slugRuns.ReplaceAllStringFunc(slugBad.ReplaceAllString(strings.ToLower(s), "-"), func(run string) string {
		if strings.Contains(run, "-") {
			return "-"
		}
		return "."
	})
	if len(s) > n {
		s = s[:n]
	}
	s = strings.Trim(s, ".-")
	if s == "" {
		return "x"
	}
	return s
}

// packFileName names an evidence item's file: kind_id-slug-hash.ext, where the hash (of the
// whole ID) keeps IDs that slug alike apart; a collision still left gets a counter.
func packFileName(e checks.Evidence, taken map[string]bool) string {
	sum := sha256.Sum256([]byte(e.ID))
	base := slug(e.Kind, 16) + "_" + slug(e.ID, 80) + "-" + hex.EncodeToString(sum[:4])
	ext := packExt(e)
	name := base + ext
	for i := 2; taken[name]; i++ {
		name = fmt.Sprintf("%s-%d%s", base, i, ext)
	}
	return name
}

// packExt picks a file's extension from the evidence kind and data.
func packExt(e checks.Evidence) string {
	switch {
	case e.Kind == "certificate" || strings.Contains(e.Data, "-----BEGIN "):
		return ".pem"
	case e.Kind == "http":
		return ".http"
	case e.Kind == "dns":
		return ".zone"
	}
	return ".txt"
}
