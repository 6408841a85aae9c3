package mapping

import (
	"fmt"
	"sync"

	"go.yaml.in/yaml/v3"

	"ecscan/checks"
	"ecscan/configs"
)

// FindingSpec describes one finding ID that a check can make (configs/findings.yaml).
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
		data, err := configs.FS.ReadFile(configs.FindingsFile)
		if err != nil {
			findingsErr = err
			return
		}
		var doc struct {
			Findings []FindingSpec `yaml:"findings"`
		}
		if err := yaml.Unmarshal(data, &doc); err != nil {
			findingsErr = fmt.Errorf("%s: %w", configs.FindingsFile, err)
			return
		}
		findingSpecs = map[string]FindingSpec{}
		for _, f := range doc.Findings {
			if _, dup := findingSpecs[f.ID]; dup {
				findingsErr = fmt.Errorf("%s: finding %q listed twice", configs.FindingsFile, f.ID)
				return
			}
			findingSpecs[f.ID] = f
		}
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
