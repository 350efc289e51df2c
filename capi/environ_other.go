//go:build !unix

package main

import "os"

// hostEnviron returns the host process's environment as it is now. On
// Windows Go reads the process's environment block on every call, which the
// C runtime's _putenv and SetEnvironmentVariable both change.
func hostEnviron() []string {
	return os.Environ()
}
