package diff

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"ecscan/report"
)

// Load reads a report for `ecscan diff OLD NEW`: path is a report.json file, or a directory
// holding one (a state entry such as /var/lib/ecscan/runs/20261128T030001Z-41, or a scan's
// --out directory). The RunRef names it: a directory's name is its ID.
func Load(path string) (*report.Report, RunRef, error) {
	file, ref := path, RunRef{Path: path}
	if fi, err := os.Stat(path); err != nil {
		return nil, ref, fmt.Errorf("diff: %w", err)
	} else if fi.IsDir() {
		file = filepath.Join(path, "report.json")
		ref.ID = filepath.Base(filepath.Clean(path))
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, ref, fmt.Errorf("diff: %w", err)
	}
	var rep report.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		return nil, ref, fmt.Errorf("diff: read %s: %w", file, err)
	}
	if rep.Schema != "ecscan.report" {
		return nil, ref, fmt.Errorf("diff: %s: schema %q, want ecscan.report", file, rep.Schema)
	}
	ref.Started, ref.Ended, ref.Interrupted = rep.Started, rep.Ended, rep.Interrupted
	return &rep, ref, nil
}

// CompareFiles loads two reports with Load and compares them, naming both sides.
func CompareFiles(oldPath, newPath string) (*Diff, error) {
	old, oref, err := Load(oldPath)
	if err != nil {
		return nil, err
	}
	new, nref, err := Load(newPath)
	if err != nil {
		return nil, err
	}
	d := Compare(old, new)
	d.Old, d.New = oref, nref
	return d, nil
}
