package report

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// maxManifest bounds the manifest a verifier reads.
const maxManifest = 64 << 20

// packReader is what verification needs of a pack: its file names and their contents.
type packReader interface {
	// names lists every entry, directories with a trailing "/".
	names() ([]string, error)
	open(name string) (io.ReadCloser, error)
}

// VerifyEvidencePack checks a pack (a directory or a .zip) against its manifest.json and
// returns one problem per file that was changed (its SHA-256 or size differs), is missing, is
// not a regular file, or is present without being in the manifest — each naming the file.
// No problems means the pack is as written. err is set only when the pack or its manifest
// cannot be read at all. The manifest itself is trusted: keep its SHA-256 elsewhere (a ticket,
// a signed mail) to detect a pack rewritten with its manifest.
func VerifyEvidencePack(src string) (problems []string, err error) {
	info, err := os.Stat(src)
	if err != nil {
		return nil, fmt.Errorf("evidence pack: %w", err)
	}
	var p packReader = dirPack(src)
	if !info.IsDir() {
		zr, err := zip.OpenReader(src)
		if err != nil && !(errors.Is(err, zip.ErrInsecurePath) && zr != nil) { // such names are reported below
			return nil, fmt.Errorf("evidence pack %s: %w", src, err)
		}
		defer zr.Close()
		p = zipPack{zr}
	}
	m, err := readManifest(p)
	if err != nil {
		return nil, fmt.Errorf("evidence pack %s: %w", src, err)
	}
	present, err := p.names()
	if err != nil {
		return nil, fmt.Errorf("evidence pack %s: %w", src, err)
	}
	return verifyFiles(p, m, present), nil
}

func readManifest(p packReader) (*Manifest, error) {
	rc, err := p.open(ManifestName)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", ManifestName, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxManifest+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", ManifestName, err)
	}
	if len(data) > maxManifest {
		return nil, fmt.Errorf("%s is larger than %d bytes", ManifestName, maxManifest)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", ManifestName, err)
	}
	if m.Schema != "ecscan.evidence-pack" || m.SchemaVersion != PackSchemaVersion {
		return nil, fmt.Errorf("%s: not an evidence pack manifest of version %d", ManifestName, PackSchemaVersion)
	}
	return &m, nil
}

// verifyFiles compares every manifest entry with the pack, then lists what the manifest lacks.
func verifyFiles(p packReader, m *Manifest, present []string) []string {
	var problems []string
	listed := map[string]bool{ManifestName: true}
	for _, f := range m.Files {
		what := fmt.Sprintf("%s (evidence %s)", Terminal(f.Name), Terminal(f.EvidenceID))
		if !validName.MatchString(f.Name) || f.Name == ManifestName || listed[f.Name] {
			problems = append(problems, "bad name in the manifest: "+what)
			continue
		}
		listed[f.Name] = true
		sum, size, err := hashEntry(p, f.Name)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			problems = append(problems, "missing: "+what)
		case err != nil:
			problems = append(problems, fmt.Sprintf("unreadable: %s: %v", what, err))
		case sum != f.SHA256 || size != f.Size:
			problems = append(problems, fmt.Sprintf("changed: %s: SHA-256 %s (%d bytes), the manifest says %s (%d bytes)", what, sum, size, f.SHA256, f.Size))
		}
	}
	seen := map[string]int{}
	for _, name := range present {
		seen[name]++
		if seen[name] == 2 {
			problems = append(problems, "duplicate entry: "+Terminal(name))
		}
		if !listed[name] && seen[name] == 1 {
			problems = append(problems, "not in the manifest: "+Terminal(name))
		}
	}
	slices.Sort(problems)
	return problems
}

// hashEntry returns the SHA-256 and size of one entry.
func hashEntry(p packReader, name string) (string, int64, error) {
	rc, err := p.open(name)
	if err != nil {
		return "", 0, err
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(h, rc)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// dirPack is a pack in a directory.
type dirPack string

func (d dirPack) names() ([]string, error) {
	var out []string
	err := filepath.WalkDir(string(d), func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(string(d), path)
		switch {
		case rel == ".":
		case e.IsDir():
			out = append(out, filepath.ToSlash(rel)+"/")
		default:
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	return out, err
}

// open opens a regular file of the pack; a symbolic link or a directory is refused.
func (d dirPack) open(name string) (io.ReadCloser, error) {
	path := filepath.Join(string(d), name)
	info, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%s)", info.Mode().Type())
	}
	return os.Open(path)
}

// zipPack is a pack in a .zip file.
type zipPack struct{ r *zip.ReadCloser }

func (z zipPack) names() ([]string, error) {
	var out []string
	for _, f := range z.r.File {
		out = append(out, f.Name)
	}
	return out, nil
}

func (z zipPack) open(name string) (io.ReadCloser, error) {
	for _, f := range z.r.File {
		if f.Name == name && !strings.HasSuffix(name, "/") {
			return f.Open()
		}
	}
	return nil, fs.ErrNotExist
}
