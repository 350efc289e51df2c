package core

import (
	"fmt"
	"io"
	"os/exec"
	"sync/atomic"
	"time"
)

// DefaultInteractiveTimeout bounds the wait for the user of
// [TokenManager.AuthorizeInteractively] when the caller gives no timeout
// (0 seconds, see [TimeoutFromSeconds]).
const DefaultInteractiveTimeout = 5 * time.Minute

// URLOpener is how an interactive authorization shows its URL to the user
// (the open function of [TokenManager.AuthorizeInteractively]): with
// program "", the URL is printed to w with a request to open it; otherwise
// program is started with the URL as its only argument (no shell) and
// reaped in the background. A program that cannot be started is an
// [ArgumentError].
//
// env, when not nil, gives the program's environment, asked when the program
// starts: a host process (C, Python, Node) whose environment changed after
// this library was loaded passes its current one, which Go's own copy
// ([os.Environ], taken at load) does not follow. nil: the process's as
// [SetEnviron] says, else [os.Environ].
func URLOpener(program string, env func() []string, w io.Writer) func(authURL string) error {
	if program == "" {
		return func(u string) error {
			_, err := fmt.Fprintf(w, "Open this URL in a browser to authorize:\n  %s\n", u)
			return err
		}
	}
	return func(u string) error {
		cmd := exec.Command(program, u)
		if env == nil {
			if f := environFunc.Load(); f != nil {
				env = *f
			}
		}
		if env != nil {
			cmd.Env = env()
		}
		if err := cmd.Start(); err != nil {
			return &ArgumentError{Reason: fmt.Sprintf("open_command %s cannot be started: %v", program, err)}
		}
		go func() { _ = cmd.Wait() }()
		return nil
	}
}

// FuncOpener is the open function of [TokenManager.AuthorizeInteractively]
// for a host's callback (a C function, a Python or Node function): show is
// called with the URL and reports whether it was shown; false ends the
// authorization with an [ArgumentError].
func FuncOpener(show func(authURL string) bool) func(authURL string) error {
	return func(u string) error {
		if !show(u) {
			return &ArgumentError{Reason: "the open callback did not show the authorization URL"}
		}
		return nil
	}
}

// environFunc gives the host process's environment (see [SetEnviron]).
var environFunc atomic.Pointer[func() []string]

// SetEnviron sets how the programs the library starts (an open_command,
// also when the `login` member runs the interactive flow) get the host
// process's environment when no other is given (nil: [os.Environ]). The C
// library passes the C environ, which follows setenv(), Python's os.environ
// and Node's process.env; Go's runtime copied the environment at load.
func SetEnviron(environ func() []string) {
	if environ == nil {
		environFunc.Store(nil)
		return
	}
	environFunc.Store(&environ)
}
