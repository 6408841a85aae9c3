package mapping

import (
	"fmt"
	"io/fs"
	"sync"

	"go.yaml.in/yaml/v3"

	"ecscan/checks"
	"ecscan/configs"
)

// FindingSpec describes one finding ID that a check can make (configs/findings/*.yaml).
type FindingSpec struct {
	ID    string      `yaml:"id" json:"id"`
	Check string      `yaml:"check" json:"check"`
	Title checks.Text `yaml:"title" json:"title"`
}

var (
	findingsOnce sync.Once
	findingSpecs map[string]FindingSpec
	findingsErr  error
)

// FindingSpecs returns the registry of finding IDs embedded in the binary.
func FindingSpecs() (map[string]FindingSpec, error) {
	findingsOnce.Do(func() {
		findingSpecs, findingsErr = loadFindingSpecs()
	})
	return findingSpecs, findingsErr
}

// KnownFinding reports whether id is a registered finding ID.
func KnownFinding(id string) bool {
	specs, err := FindingSpecs()
	if err != nil {
		return false
	}
	_, ok := specs[id]
	return ok
}

func loadFindingSpecs() (map[string]FindingSpec, error) {
	files, err := fs.Glob(configs.FS, configs.FindingsDir+"/*.yaml")
	if err != nil {
		return nil, err
	}
	specs := map[string]FindingSpec{}
	for _, name := range files {
		data, err := configs.FS.ReadFile(name)
		if err != nil {
			return nil, err
		}
		var doc struct {
			Findings []FindingSpec `yaml:"findings"`
		}
		if err := yaml.Unmarshal(data, &doc); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for _, f := range doc.Findings {
			if _, dup := specs[f.ID]; dup {
				return nil, fmt.Errorf("%s: finding %q listed twice", name, f.ID)
			}
			specs[f.ID] = f
		}
	}
	return specs, nil
}
