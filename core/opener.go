package core

import (
	"fmt"
	"io"
	"os/exec"
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
// [ArgumentError]. The program gets the host process's environment as it is
// when it starts ([SetEnviron]).
func URLOpener(program string, w io.Writer) func(authURL string) error {
	if program == "" {
		return func(u string) error {
			_, err := fmt.Fprintf(w, "Open this URL in a browser to authorize:\n  %s\n", u)
			return err
		}
	}
	return func(u string) error {
		cmd := exec.Command(program, u)
		cmd.Env = environ()
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
