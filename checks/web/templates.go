package web

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"ecscan/configs"
)

// intrusiveDir is the template directory run only with Intrusive.
const intrusiveDir = "intrusive"

// templateSpec is what the check knows of one of its templates before running it: its ID,
// the finding it feeds, and the requests it makes (for the evidence of a pass).
type templateSpec struct {
	ID       string
	File     string // path inside configs.FS
	Finding  string
	Severity string
	Kind     string
	Probes   []string
	data     []byte
}

// templateFile is the part of a nuclei template the check reads.
type templateFile struct {
	ID   string `yaml:"id"`
	Info struct {
		Metadata map[string]any `yaml:"metadata"`
	} `yaml:"info"`
	HTTP []struct {
		Method   string              `yaml:"method"`
		Path     []string            `yaml:"path"`
		Raw      []string            `yaml:"raw"`
		Payloads map[string][]string `yaml:"payloads"`
	} `yaml:"http"`
}

// loadTemplates reads the embedded templates (all, or all but the intrusive ones), sorted by
// file name.
func loadTemplates(fsys fs.FS, intrusive bool) ([]templateSpec, error) {
	files, err := fs.Glob(fsys, configs.TemplatesDir+"/*/*.yaml")
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	sort.Strings(files)
	var out []templateSpec
	seen := map[string]bool{}
	for _, name := range files {
		if !intrusive && path.Base(path.Dir(name)) == intrusiveDir {
			continue
		}
		ts, err := parseTemplate(fsys, name)
		if err != nil {
			return nil, err
		}
		if seen[ts.ID] {
			return nil, fmt.Errorf("web: template %s: ID %q used twice", name, ts.ID)
		}
		seen[ts.ID] = true
		out = append(out, ts)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("web: no templates in %s", configs.TemplatesDir)
	}
	return out, nil
}

func parseTemplate(fsys fs.FS, name string) (templateSpec, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return templateSpec{}, fmt.Errorf("web: template %s: %w", name, err)
	}
	var tf templateFile
	if err := yaml.Unmarshal(data, &tf); err != nil {
		return templateSpec{}, fmt.Errorf("web: template %s: %w", name, err)
	}
	meta := func(k string) string { s, _ := tf.Info.Metadata[k].(string); return s }
	ts := templateSpec{
		ID: tf.ID, File: name, Finding: meta("ecscan-finding"), Severity: meta("ecscan-severity"),
		Kind: meta("ecscan-kind"), data: data,
	}
	if ts.ID == "" || ts.Finding == "" || ts.Severity == "" {
		return ts, fmt.Errorf("web: template %s: id and info.metadata ecscan-finding and ecscan-severity are required", name)
	}
	for _, h := range tf.HTTP {
		ts.Probes = append(ts.Probes, probesOf(h.Method, h.Path, h.Raw, h.Payloads)...)
	}
	return ts, nil
}

// probesOf describes the requests of one http block: "GET /images/", "PROPFIND {{davpath}}
// with davpath in /, /uploads/".
func probesOf(method string, paths, raws []string, payloads map[string][]string) []string {
	if method == "" {
		method = "GET"
	}
	var out []string
	for _, p := range paths {
		out = append(out, method+" "+strings.NewReplacer("{{RootURL}}", "", "{{BaseURL}}", "").Replace(p))
	}
	for _, r := range raws {
		line, _, _ := strings.Cut(strings.TrimSpace(r), "\n")
		out = append(out, strings.TrimSuffix(strings.TrimSpace(line), " HTTP/1.1"))
	}
	keys := make([]string, 0, len(payloads))
	for k := range payloads {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out = append(out, fmt.Sprintf("  with %s in %s", k, strings.Join(payloads[k], ", ")))
	}
	return out
}

// writeTemplates writes the templates into a new private directory (0700, files 0600) and
// returns it; the caller removes it. nuclei loads templates from files only.
func writeTemplates(specs []templateSpec) (string, error) {
	dir, err := os.MkdirTemp("", "ecscan-templates-")
	if err != nil {
		return "", fmt.Errorf("web: templates directory: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		_ = os.RemoveAll(dir)
		return "", fmt.Errorf("web: templates directory: %w", err)
	}
	for _, ts := range specs {
		rel := strings.TrimPrefix(ts.File, configs.TemplatesDir+"/")
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			_ = os.RemoveAll(dir)
			return "", fmt.Errorf("web: templates directory: %w", err)
		}
		if err := os.WriteFile(p, ts.data, 0o600); err != nil {
			_ = os.RemoveAll(dir)
			return "", fmt.Errorf("web: write template %s: %w", rel, err)
		}
	}
	return dir, nil
}
