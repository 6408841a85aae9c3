//go:build unix

package web

import (
	"os/exec"
	"syscall"
)

// ownGroup puts the runner in a process group of its own, so that killRunner reaches
// everything it started.
func ownGroup(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} }

// killRunner kills the runner's process group.
func killRunner(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Process.Kill()
	}
}
