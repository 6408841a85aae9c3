package checks

import (
	"fmt"
	"strings"
)

// Severity ranks a failed finding. Passes and facts are Info.
type Severity int

// The severities, lowest first.
const (
	SevInfo Severity = iota
	SevLow
	SevMedium
	SevHigh
	SevCritical
)

var severityNames = []string{"info", "low", "medium", "high", "critical"}

func (s Severity) String() string {
	if s < 0 || int(s) >= len(severityNames) {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// Label names the severity in lang.
func (s Severity) Label(lang string) string {
	if lang == "en" {
		return s.String()
	}
	return [...]string{"情報", "低", "中", "高", "緊急"}[min(max(int(s), 0), 4)]
}

// ParseSeverity reads a severity name (info, low, medium, high, critical).
func ParseSeverity(name string) (Severity, error) {
	for i, n := range severityNames {
		if strings.EqualFold(name, n) {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("severity %q: use one of %s", name, strings.Join(severityNames, ", "))
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity's name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	*s = v
	return err
}
