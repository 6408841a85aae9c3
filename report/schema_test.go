package report

import (
	"bytes"
	"encoding"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"ecscan/checks"
)

const schemaPath = "../docs/report.schema.json"

// reportSchema compiles docs/report.schema.json, asserting formats (date-time, ipv4, …).
func reportSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("%s: %v", schemaPath, err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource("report.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("report.schema.json")
	if err != nil {
		t.Fatalf("compile %s: %v", schemaPath, err)
	}
	return s
}

func validateJSON(t *testing.T, s *jsonschema.Schema, data []byte) error {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	return s.Validate(inst)
}

func reportJSON(t *testing.T, r *Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := (JSONWriter{}).Write(&b, r, Options{}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestSchemaValidatesLabReport validates testdata/report.json, written by a scan of the lab
// (see testdata/README.md) with an operator's answers file that overrides the scan.
func TestSchemaValidatesLabReport(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := validateJSON(t, reportSchema(t), data); err != nil {
		t.Errorf("testdata/report.json: %v", err)
	}
	var r Report
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("testdata/report.json does not decode into Report: %v", err)
	}
	if err := validateJSON(t, reportSchema(t), reportJSON(t, &r)); err != nil {
		t.Errorf("testdata/report.json written again: %v", err)
	}
}

func TestSchemaValidatesBuiltReports(t *testing.T) {
	s := reportSchema(t)
	empty := Build(&checks.Run{Started: t0, Ended: t0}, nil)
	empty.Scanner = Scanner{Name: "ecscan", Version: "test"}
	empty.Summarize()
	for name, r := range map[string]*Report{"hostile": hostileReport(), "empty": empty} {
		if err := validateJSON(t, s, reportJSON(t, r)); err != nil {
			t.Errorf("%s report: %v", name, err)
		}
	}
}

// TestSchemaRejects shows the schema is not vacuous: each change breaks it.
func TestSchemaRejects(t *testing.T) {
	s := reportSchema(t)
	var base map[string]any
	if err := json.Unmarshal(reportJSON(t, hostileReport()), &base); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change func(m map[string]any)
	}{
		{"other schema version", func(m map[string]any) { m["schema_version"] = 2 }},
		{"unknown field", func(m map[string]any) { m["extra"] = true }},
		{"missing summary", func(m map[string]any) { delete(m, "summary") }},
		{"bad severity", func(m map[string]any) { m["findings"].([]any)[0].(map[string]any)["severity"] = "severe" }},
		{"bad time", func(m map[string]any) { m["started"] = "yesterday" }},
		{"bad address", func(m map[string]any) {
			m["hosts"].([]any)[0].(map[string]any)["addrs"] = []any{"300.1.2.3"}
		}},
		{"bad source", func(m map[string]any) {
			m["answers"].([]any)[0].(map[string]any)["blocks"].([]any)[0].(map[string]any)["source"] = "guess"
		}},
		{"text without English", func(m map[string]any) {
			delete(m["findings"].([]any)[0].(map[string]any)["title"].(map[string]any), "en")
		}},
	}
	for _, tc := range tests {
		var m map[string]any
		data, _ := json.Marshal(base)
		json.Unmarshal(data, &m)
		tc.change(m)
		data, _ = json.Marshal(m)
		if err := validateJSON(t, s, data); err == nil {
			t.Errorf("%s: the schema accepts it", tc.name)
		}
	}
}

// TestSchemaCoversEveryField compares, for every struct of the report, its JSON field names
// with the properties of the schema's definition of the same name (the root for Report), so
// that a field added to the Go types without the schema fails here.
func TestSchemaCoversEveryField(t *testing.T) {
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Properties map[string]any `json:"properties"`
		Defs       map[string]struct {
			Properties map[string]any `json:"properties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatal(err)
	}
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(typ reflect.Type) {
		if seen[typ] {
			return
		}
		seen[typ] = true
		props := schema.Properties
		if typ.Name() != "Report" {
			def, ok := schema.Defs[typ.Name()]
			if !ok {
				t.Errorf("the schema has no $defs/%s", typ.Name())
				return
			}
			props = def.Properties
		}
		var fields []string
		for f := range typ.Fields() {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" || !f.IsExported() {
				continue
			}
			fields = append(fields, name)
			if next := structOf(f.Type); next != nil {
				walk(next)
			}
		}
		var keys []string
		for k := range props {
			keys = append(keys, k)
		}
		slices.Sort(fields)
		slices.Sort(keys)
		if !slices.Equal(fields, keys) {
			t.Errorf("%s: Go fields %v, schema properties %v", typ.Name(), fields, keys)
		}
	}
	walk(reflect.TypeFor[Report]())
	if len(seen) < 12 {
		t.Errorf("walked %d types only", len(seen))
	}
}

// structOf returns the struct type a field holds (through pointers, slices and maps), or nil
// for non-structs and for types that marshal themselves as text (time, addresses).
func structOf(typ reflect.Type) reflect.Type {
	for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice || typ.Kind() == reflect.Map {
		typ = typ.Elem()
	}
	marshaler := reflect.TypeFor[encoding.TextMarshaler]()
	if typ.Kind() != reflect.Struct || typ == reflect.TypeFor[time.Time]() || typ.Implements(marshaler) || reflect.PointerTo(typ).Implements(marshaler) {
		return nil
	}
	return typ
}
