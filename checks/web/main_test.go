package web

import (
	"os"
	"testing"

	"ecscan/checks/web/runnertest"
)

// TestMain builds the template engine (cmd/ecscan-nuclei) the check runs.
func TestMain(m *testing.M) { os.Exit(runnertest.Main(m)) }
