//go:build !unix

package web

import "os/exec"

func ownGroup(*exec.Cmd) {}

func killRunner(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = cmd.Process.Kill()
	}
}
