//go:build !linux

package redisstore

import "os/exec"

// dieWithTest: only Linux has a parent-death signal.
func dieWithTest(*exec.Cmd) {}
