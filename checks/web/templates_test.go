package web

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"ecscan/checks"
	"ecscan/configs"
)

// registered reads the web check's finding IDs from configs/findings/web.yaml.
func registered(t *testing.T) map[string]bool {
	t.Helper()
	data, err := configs.FS.ReadFile(configs.FindingsDir + "/web.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Findings []struct{ ID string } `yaml:"findings"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, f := range doc.Findings {
		out[f.ID] = true
	}
	return out
}

func TestTemplatesDeclareRegisteredFindings(t *testing.T) {
	specs, err := loadTemplates(configs.FS, true)
	if err != nil {
		t.Fatal(err)
	}
	reg := registered(t)
	for _, s := range specs {
		if !reg[s.Finding] {
			t.Errorf("%s: finding %q is not in configs/findings/web.yaml", s.File, s.Finding)
		}
		if _, err := checks.ParseSeverity(s.Severity); err != nil {
			t.Errorf("%s: %v", s.File, err)
		}
		if s.Kind != "content" && s.Kind != "reachable" && s.Kind != "method" {
			t.Errorf("%s: kind %q, want content, reachable or method", s.File, s.Kind)
		}
		if _, ok := findingTexts[s.Finding]; !ok && s.Finding != "web.methods-claimed" {
			t.Errorf("%s: no texts for %s", s.File, s.Finding)
		}
		if len(s.Probes) == 0 {
			t.Errorf("%s: no requests found", s.File)
		}
		if !strings.HasPrefix(s.ID, "ecscan-") {
			t.Errorf("%s: ID %q does not start with ecscan-", s.File, s.ID)
		}
	}
}

// TestRegistryCoversCheck: every ID the check can make (templates, texts, Go findings) is
// registered, so that answer rules and the end-to-end tests know it.
func TestRegistryCoversCheck(t *testing.T) {
	reg := registered(t)
	ids := []string{"web.methods-claimed", "web.put", "web.delete", "web.soft-404", "web.version-disclosure", "web.hsts",
		"web.csp", "web.frame-options", "web.content-type-options", "web.referrer-policy", "web.cookie-flags", "web.password-over-http"}
	for id := range findingTexts {
		ids = append(ids, id)
	}
	for _, id := range ids {
		if !reg[id] {
			t.Errorf("%s is not registered in configs/findings/web.yaml", id)
		}
	}
}

func TestIntrusiveTemplatesOnlyWhenAsked(t *testing.T) {
	for _, intrusive := range []bool{false, true} {
		specs, err := loadTemplates(configs.FS, intrusive)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, s := range specs {
			if strings.Contains(s.File, "/"+intrusiveDir+"/") {
				found = true
			}
		}
		if found != intrusive {
			t.Errorf("intrusive=%v: intrusive templates loaded: %v", intrusive, found)
		}
	}
}

func TestWriteTemplatesPrivate(t *testing.T) {
	specs, err := loadTemplates(configs.FS, false)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := writeTemplates(specs)
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	st, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Mode().Perm(); got != 0o700 {
		t.Errorf("directory mode %o, want 700", got)
	}
	n := 0
	err = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			n++
			if info.Mode().Perm() != 0o600 {
				t.Errorf("%s: mode %o, want 600", p, info.Mode().Perm())
			}
		}
		return err
	})
	if err != nil || n != len(specs) {
		t.Errorf("wrote %d files (%v), want %d", n, err, len(specs))
	}
}

func TestProbesOf(t *testing.T) {
	got := probesOf("", []string{"{{RootURL}}/a/"}, []string{"PROPFIND {{davpath}} HTTP/1.1\nHost: x"}, map[string][]string{"davpath": {"/", "/dav/"}})
	want := []string{"GET /a/", "PROPFIND {{davpath}}", "  with davpath in /, /dav/"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q", got, want)
	}
}
