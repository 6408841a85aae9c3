package demo

import (
	"os"
	"testing"

	"ecscan/checks/web/runnertest"
)

// TestMain builds the web check's template engine (cmd/ecscan-nuclei) for the scan tests.
func TestMain(m *testing.M) { os.Exit(runnertest.Main(m)) }
