package report

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"ecscan/checks"
)

func loadManifest(t *testing.T, dir string) Manifest {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func verify(t *testing.T, src string) []string {
	t.Helper()
	problems, err := VerifyEvidencePack(src)
	if err != nil {
		t.Fatalf("VerifyEvidencePack(%s): %v", src, err)
	}
	return problems
}

// wantProblem fails unless exactly one problem is reported and it names the file.
func wantProblem(t *testing.T, problems []string, prefix, name string) {
	t.Helper()
	if len(problems) != 1 || !strings.HasPrefix(problems[0], prefix) || !strings.Contains(problems[0], name) {
		t.Errorf("problems = %q, want one %q naming %s", problems, prefix, name)
	}
}

func TestEvidencePackDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "evidence")
	r := hostileReport()
	if err := WriteEvidencePack(dir, r, Options{}); err != nil {
		t.Fatal(err)
	}
	if p := verify(t, dir); len(p) != 0 {
		t.Fatalf("fresh pack: problems %q", p)
	}
	m := loadManifest(t, dir)
	if got, want := len(m.Files), len(allEvidence(r)); got != want {
		t.Fatalf("%d files in the manifest, want %d", got, want)
	}
	changed, gone := m.Files[0].Name, m.Files[1].Name
	original, _ := os.ReadFile(filepath.Join(dir, changed))
	os.WriteFile(filepath.Join(dir, changed), append(original, 'x'), 0o600)
	wantProblem(t, verify(t, dir), "changed: ", changed)
	os.WriteFile(filepath.Join(dir, changed), bytes.Replace(original, []byte("S"), []byte("s"), 1), 0o600)
	wantProblem(t, verify(t, dir), "changed: ", changed)
	os.WriteFile(filepath.Join(dir, changed), original, 0o600)

	os.Rename(filepath.Join(dir, gone), filepath.Join(t.TempDir(), "away"))
	wantProblem(t, verify(t, dir), "missing: ", gone)
	os.WriteFile(filepath.Join(dir, gone), []byte(r.Results[0].Evidence[0].Data), 0o600) // m.Files[1] is the web evidence
	if p := verify(t, dir); len(p) != 1 || !strings.HasPrefix(p[0], "changed: ") {
		t.Errorf("another evidence's data in its place: problems %q", p)
	}
	os.WriteFile(filepath.Join(dir, gone), []byte(allEvidence(r)[1].Data), 0o600)

	os.WriteFile(filepath.Join(dir, "stray.txt"), []byte("planted"), 0o600)
	wantProblem(t, verify(t, dir), "not in the manifest: ", "stray.txt")
	os.Remove(filepath.Join(dir, "stray.txt"))
	os.Mkdir(filepath.Join(dir, "sub"), 0o700)
	wantProblem(t, verify(t, dir), "not in the manifest: ", "sub/")
	os.Remove(filepath.Join(dir, "sub"))

	os.Remove(filepath.Join(dir, changed))
	os.Symlink("/etc/hostname", filepath.Join(dir, changed))
	wantProblem(t, verify(t, dir), "unreadable: ", changed)
	os.Remove(filepath.Join(dir, changed))
	os.WriteFile(filepath.Join(dir, changed), original, 0o600)
	if p := verify(t, dir); len(p) != 0 {
		t.Errorf("restored pack: problems %q", p)
	}
}

func TestEvidencePackZip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "evidence.zip")
	if err := WriteEvidencePack(path, hostileReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	if p := verify(t, path); len(p) != 0 {
		t.Fatalf("fresh zip: problems %q", p)
	}
	entries := readZip(t, path)
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range entries {
			if !yield(n) {
				return
			}
		}
	})
	victim := names[0]
	tests := []struct {
		name, prefix, names string
		edit                func(map[string][]byte)
	}{
		{"changed", "changed: ", victim, func(e map[string][]byte) { e[victim] = append(e[victim], '!') }},
		{"deleted", "missing: ", victim, func(e map[string][]byte) { delete(e, victim) }},
		{"added", "not in the manifest: ", "../planted.sh", func(e map[string][]byte) { e["../planted.sh"] = []byte("#!/bin/sh") }},
	}
	for _, tc := range tests {
		edited := map[string][]byte{}
		for n, d := range entries {
			edited[n] = d
		}
		tc.edit(edited)
		out := filepath.Join(t.TempDir(), tc.name+".zip")
		writeZip(t, out, edited)
		wantProblem(t, verify(t, out), tc.prefix, tc.names)
	}
}

func readZip(t *testing.T, path string) map[string][]byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		out[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return out
}

func writeZip(t *testing.T, path string, entries map[string][]byte) {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, n := range slices.Sorted(func(yield func(string) bool) {
		for n := range entries {
			if !yield(n) {
				return
			}
		}
	}) {
		w, _ := zw.Create(n)
		w.Write(entries[n])
	}
	zw.Close()
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestEvidencePackManifest(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pack")
	r := hostileReport()
	if err := WriteEvidencePack(dir, r, Options{}); err != nil {
		t.Fatal(err)
	}
	m := loadManifest(t, dir)
	if m.Scanner != r.Scanner || m.ReportSchemaVersion != SchemaVersion || !m.Started.Equal(r.Started) || !m.Ended.Equal(r.Ended) ||
		!slices.Equal(m.SourceAddress, r.SourceAddress) || m.Config["timeout"] != "10s" {
		t.Errorf("manifest header = %+v", m)
	}
	byID := map[string]PackFile{}
	for _, f := range m.Files {
		byID[f.EvidenceID] = f
		if !validName.MatchString(f.Name) || strings.Contains(f.Name, "..") {
			t.Errorf("file name %q is not safe", f.Name)
		}
		data, err := os.ReadFile(filepath.Join(dir, f.Name))
		if err != nil {
			t.Errorf("%s: %v", f.Name, err)
		}
		if int64(len(data)) != f.Size {
			t.Errorf("%s: %d bytes, manifest says %d", f.Name, len(data), f.Size)
		}
	}
	tests := []struct {
		id, ext   string
		findings  []string
		questions []string
	}{
		{"ports:db.ecshop.test:tcp-5432", ".txt", []string{"ports.database|db.ecshop.test|5432|tcp/5432", "ports.telnet|db.ecshop.test|0|"}, []string{"1-1-1"}},
		{evilEvID, ".http", []string{"web.header|" + evilHost + "|443|" + payloads[3]}, []string{"1-1-2"}},
		{"tls:www.ecshop.test:443:chain", ".pem", []string{"tls.protocol|www.ecshop.test|443|TLS 1.0", "tls.grade|www.ecshop.test|443|B"}, []string{}},
		{"dns:ns1.ecshop.test:ecshop.test/AXFR", ".zone", []string{"dns.axfr|ns1.ecshop.test|53|ecshop.test", "dns.txt|ecshop.test|0|" + payloads[5]}, []string{"1-1-2"}},
	}
	for _, tc := range tests {
		f, ok := byID[tc.id]
		if !ok {
			t.Errorf("%q not in the manifest", tc.id)
			continue
		}
		if filepath.Ext(f.Name) != tc.ext {
			t.Errorf("%s: extension %s, want %s", f.Name, filepath.Ext(f.Name), tc.ext)
		}
		if !slices.Equal(slices.Sorted(slices.Values(f.Findings)), slices.Sorted(slices.Values(tc.findings))) {
			t.Errorf("%s: findings %q, want %q", f.Name, f.Findings, tc.findings)
		}
		if !slices.Equal(f.Questions, tc.questions) {
			t.Errorf("%s: questions %q, want %q", f.Name, f.Questions, tc.questions)
		}
	}
}

func TestPackFileNames(t *testing.T) {
	taken := map[string]bool{}
	tests := []struct {
		e    checks.Evidence
		want string
	}{
		{checks.Evidence{ID: "dns:ns1.ecshop.test:ecshop.test/AXFR", Kind: "dns"}, "dns_dns-ns1.ecshop.test-ecshop.test-axfr-"},
		{checks.Evidence{ID: "../../etc/passwd", Kind: "../x"}, "x_etc-passwd-"},
		{checks.Evidence{ID: "..", Kind: ""}, "x_x-"},
		{checks.Evidence{ID: "A\x00B\u202eC/..\\D", Kind: "TRANSCRIPT"}, "transcript_a-b-c-d-"},
		{checks.Evidence{ID: strings.Repeat("a", 500), Kind: "scan"}, "scan_" + strings.Repeat("a", 80) + "-"},
	}
	for _, tc := range tests {
		got := packFileName(tc.e, taken)
		taken[got] = true
		if !strings.HasPrefix(got, tc.want) || !validName.MatchString(got) || strings.Contains(got, "..") || len(got) > 120 {
			t.Errorf("packFileName(%q) = %q, want a safe name starting %q", tc.e.ID, got, tc.want)
		}
	}
	e := checks.Evidence{ID: "same", Kind: "scan"}
	first := packFileName(e, taken)
	taken[first] = true
	if second := packFileName(e, taken); second == first {
		t.Errorf("a taken name was given again: %s", second)
	}
}

func TestEvidencePackReplaces(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "pack")
	for range 2 {
		if err := WriteEvidencePack(dir, hostileReport(), Options{}); err != nil {
			t.Fatal(err)
		}
	}
	if p := verify(t, dir); len(p) != 0 {
		t.Errorf("rewritten pack: problems %q", p)
	}
	other := filepath.Join(base, "home")
	os.Mkdir(other, 0o700)
	os.WriteFile(filepath.Join(other, "precious.txt"), []byte("keep"), 0o600)
	if err := WriteEvidencePack(other, hostileReport(), Options{}); err == nil {
		t.Errorf("a directory that is not a pack was replaced")
	}
	if data, _ := os.ReadFile(filepath.Join(other, "precious.txt")); string(data) != "keep" {
		t.Errorf("precious.txt = %q", data)
	}
	leftovers, _ := filepath.Glob(filepath.Join(base, ".*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestVerifyEvidencePackErrors(t *testing.T) {
	if _, err := VerifyEvidencePack(filepath.Join(t.TempDir(), "none")); err == nil {
		t.Errorf("a missing pack verified")
	}
	empty := t.TempDir()
	if _, err := VerifyEvidencePack(empty); err == nil {
		t.Errorf("a directory without a manifest verified")
	}
	notZip := filepath.Join(t.TempDir(), "x.zip")
	os.WriteFile(notZip, []byte("not a zip"), 0o600)
	if _, err := VerifyEvidencePack(notZip); err == nil {
		t.Errorf("a file that is not a zip verified")
	}
	dir := filepath.Join(t.TempDir(), "pack")
	if err := WriteEvidencePack(dir, hostileReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	m := loadManifest(t, dir)
	m.Files[0].Name = "../../etc/passwd"
	data, _ := json.Marshal(m)
	os.WriteFile(filepath.Join(dir, ManifestName), data, 0o600)
	problems := verify(t, dir)
	if !slices.ContainsFunc(problems, func(p string) bool { return strings.HasPrefix(p, "bad name in the manifest: ../../etc/passwd") }) {
		t.Errorf("a manifest naming a path outside the pack: problems %q", problems)
	}
}
