package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// Exit codes. They are part of the command's interface (scripts test them)
// and are listed by mcp-oauth --help; append, never renumber.
const (
	exitOK          = 0 // success
	exitFailure     = 1 // any other failure
	exitUsage       = 2 // bad command line or configuration
	exitLoginNeeded = 3 // no usable credentials: run mcp-oauth login
	exitAuthDenied  = 4 // the user or the authorization server denied, or the authorization expired
	exitUnreachable = 5 // a server could not be reached or answered with a server error
	exitMCPError    = 6 // the MCP server refused a request, or the tool reported an error (isError)
	exitInterrupted = 130
)

// usageError is a bad command line: it exits with exitUsage after the
// command's usage.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// loginRequiredError: no usable credentials for the server; the user must
// log in (again). expired tells a lost authorization (refresh token
// refused, step-up needed) from none.
type loginRequiredError struct {
	server  string
	expired bool
	scopes  []string // the scopes a step-up needs, named in the message
}

func (e *loginRequiredError) Error() string {
	what := "not logged in to " + e.server
	switch {
	case len(e.scopes) > 0:
		what = fmt.Sprintf("%s requires scope %q, which the authorization does not grant", e.server, strings.Join(e.scopes, " "))
	case e.expired:
		what = "the authorization for " + e.server + " has expired, was revoked or needs more scope"
	}
	return what + ": run `mcp-oauth login " + e.server + "`"
}

// needsLogin turns core's ErrAuthorizationRequired for server into a
// loginRequiredError that tells the user what to run, naming the scope a
// step-up needs ([core.StepUpRequiredError]).
func needsLogin(server string, err error) error {
	if errors.Is(err, core.ErrAuthorizationRequired) {
		var su *core.StepUpRequiredError
		if errors.As(err, &su) {
			scopes := su.Missing // those the login lacks, else all the server asked for
			if len(scopes) == 0 {
				scopes = su.Scopes
			}
			return &loginRequiredError{server: server, expired: true, scopes: scopes}
		}
		return &loginRequiredError{server: server, expired: true}
	}
	return err
}

// toolError is a tool result with isError set (MCP "Tools", error handling).
type toolError struct{ tool, text string }

func (e *toolError) Error() string {
	if e.text == "" {
		return "tool " + e.tool + " reported an error"
	}
	return "tool " + e.tool + " reported an error: " + e.text
}

// exitCode maps an error to the command's exit status: the command's own
// errors by their type, every other error by core's classification
// (core.Classify), which decides what it is.
func exitCode(err error) int {
	var (
		usage *usageError
		login *loginRequiredError
		tool  *toolError
	)
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &usage):
		return exitUsage
	case errors.As(err, &login):
		return exitLoginNeeded
	case errors.Is(err, errDeviceWaitTimeout):
		return exitAuthDenied
	case errors.As(err, &tool):
		return exitMCPError
	}
	info := core.Classify(err)
	switch info.Kind {
	case core.KindConfig, core.KindInvalidArgument:
		return exitUsage
	case core.KindCancelled:
		return exitInterrupted
	case core.KindAuthorizationRequired:
		return exitLoginNeeded
	case core.KindAuthorizationDenied:
		return exitAuthDenied
	case core.KindTimeout, core.KindOAuth:
		if info.UserWait {
			return exitAuthDenied
		}
		if info.Kind == core.KindOAuth && info.OAuthError == "invalid_grant" {
			return exitLoginNeeded
		}
		if info.Kind == core.KindTimeout {
			return exitUnreachable
		}
	case core.KindNetwork:
		return exitUnreachable
	case core.KindServer:
		if info.HTTPStatus >= 500 {
			return exitUnreachable
		}
	case core.KindMCP:
		return exitMCPError
	}
	return exitFailure
}
