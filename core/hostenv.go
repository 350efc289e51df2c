package core

import (
	"os"
	"sync/atomic"
)

// The host process's environment. Go's runtime copies the environment when
// a shared library loads, so in a C, Python or Node host os.Getenv and
// os.Environ miss what the host set since (setenv(), Python's os.environ,
// Node's process.env). The C library registers the C library's own getenv
// and environ here; a Go program needs neither.

var (
	getenvFunc  atomic.Pointer[func(string) string]
	environFunc atomic.Pointer[func() []string]
)

// SetGetenv makes the library read environment variables — the proxy
// variables, at each request — with getenv (nil: [os.Getenv]).
func SetGetenv(getenv func(string) string) {
	if getenv == nil {
		getenvFunc.Store(nil)
		return
	}
	getenvFunc.Store(&getenv)
}

// SetEnviron makes the programs the library starts (an open_command, also
// when the `login` member runs the interactive flow) get environ's
// environment, asked when each starts (nil: [os.Environ]).
func SetEnviron(environ func() []string) {
	if environ == nil {
		environFunc.Store(nil)
		return
	}
	environFunc.Store(&environ)
}

func getenv(name string) string {
	if f := getenvFunc.Load(); f != nil {
		return (*f)(name)
	}
	return os.Getenv(name)
}

func environ() []string {
	if f := environFunc.Load(); f != nil {
		return (*f)()
	}
	return os.Environ()
}
