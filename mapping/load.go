package mapping

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// CatalogError is a problem found while loading or validating a catalog: the file, the
// question (when there is one), the line and what is wrong.
type CatalogError struct {
	File     string
	Question string
	Line     int
	Problem  string
}

func (e *CatalogError) Error() string {
	var b strings.Builder
	b.WriteString("catalog ")
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Question != "" {
		b.WriteString(": question ")
		b.WriteString(e.Question)
	}
	b.WriteString(": ")
	b.WriteString(e.Problem)
	return b.String()
}

// CatalogErrors is every problem found in a catalog. Its message names the first and counts
// the others, so that a broken catalog stops ecscan with one line.
type CatalogErrors []*CatalogError

func (es CatalogErrors) Error() string {
	switch len(es) {
	case 0:
		return "catalog: no problem"
	case 1:
		return es[0].Error()
	}
	return fmt.Sprintf("%s (and %d more problems)", es[0].Error(), len(es)-1)
}

// LoadFS loads and validates the chapter files (*.yaml) in dir of fsys.
func LoadFS(fsys fs.FS, dir string) (*Catalog, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("catalog %s: %w", dir, err)
	}
	var files []namedData
	for _, e := range entries {
		if e.IsDir() || !isYAML(e.Name()) {
			continue
		}
		p := path.Join(dir, e.Name())
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("catalog %s: %w", p, err)
		}
		files = append(files, namedData{name: p, data: data})
	}
	return parse(files)
}

// LoadPath loads and validates a catalog from the file system: a chapter file, or a directory
// of chapter files.
func LoadPath(p string) (*Catalog, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("catalog %s: %w", p, err)
	}
	if st.IsDir() {
		return LoadFS(os.DirFS(p), ".")
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("catalog %s: %w", p, err)
	}
	return parse([]namedData{{name: filepath.Clean(p), data: data}})
}

// Parse loads and validates a catalog from chapter files held in memory, keyed by name.
func Parse(files map[string][]byte) (*Catalog, error) {
	var nd []namedData
	for name, data := range files {
		nd = append(nd, namedData{name: name, data: data})
	}
	sort.Slice(nd, func(i, j int) bool { return nd[i].name < nd[j].name })
	return parse(nd)
}

type namedData struct {
	name string
	data []byte
}

func isYAML(name string) bool {
	return strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
}

func parse(files []namedData) (*Catalog, error) {
	if len(files) == 0 {
		return nil, CatalogErrors{{File: "(none)", Problem: "no chapter files"}}
	}
	c := &Catalog{}
	for _, f := range files {
		ch, err := decodeChapter(f.name, f.data)
		if err != nil {
			return nil, err
		}
		c.Chapters = append(c.Chapters, ch)
	}
	sort.SliceStable(c.Chapters, func(i, j int) bool { return c.Chapters[i].Number < c.Chapters[j].Number })
	if errs := validate(c); len(errs) > 0 {
		for _, ch := range c.Chapters {
			ch.locate()
		}
		return nil, validate(c)
	}
	for _, ch := range c.Chapters {
		ch.data = nil
	}
	return c, nil
}

// decodeChapter decodes one chapter file strictly (unknown keys are errors) and records the
// line of every question.
func decodeChapter(name string, data []byte) (*Chapter, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	ch := &Chapter{File: name}
	if err := dec.Decode(ch); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, CatalogErrors{{File: name, Problem: "empty file"}}
		}
		return nil, CatalogErrors{{File: name, Problem: yamlProblem(err)}}
	}
	ch.data = data
	return ch, nil
}

// locate fills in the line of every question of a chapter, for messages; it parses the
// file again, so it runs only when there is a problem to report.
func (ch *Chapter) locate() {
	var root yaml.Node
	if ch.data == nil || yaml.Unmarshal(ch.data, &root) != nil {
		return
	}
	lines := idLines(&root)
	for _, s := range ch.Sections {
		if s == nil {
			continue
		}
		for _, q := range s.Questions {
			if q != nil {
				q.Line = lines[q.ID]
			}
		}
	}
}

// yamlProblem shortens a YAML library error to its message.
func yamlProblem(err error) string {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: ")
	msg = strings.ReplaceAll(msg, "\n ", ";")
	msg = strings.TrimPrefix(msg, "unmarshal errors:;")
	return strings.TrimSpace(msg)
}

// idLines maps the value of every "id" key that names a question to its mapping's line.
func idLines(n *yaml.Node) map[string]int {
	out := map[string]int{}
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if k.Value == "id" && v.Kind == yaml.ScalarNode && questionIDPattern.MatchString(v.Value) {
					if _, seen := out[v.Value]; !seen {
						out[v.Value] = n.Line
					}
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	return out
}
