package redisstore

import (
	"os/exec"
	"syscall"
)

// dieWithTest has the kernel kill the server if the test process dies
// first (a test binary killed by its -timeout runs no Cleanup).
func dieWithTest(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} }
