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
	exitNeedsScope  = 7 // the server requires a scope the authorization lacks: run mcp-oauth login
	exitNotGranted  = 8 // the authorization server did not grant a scope the server requires
	exitInterrupted = 130
)

// usageError is a bad command line: it exits with exitUsage after the
// command's usage.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// loginRequiredError: no usable credentials for the server; the user must
// log in (again). expired tells a lost authorization (refresh token
// refused) from none.
type loginRequiredError struct {
	server  string
	expired bool
}

func (e *loginRequiredError) Error() string {
	what := "not logged in to " + e.server
	if e.expired {
		what = "the authorization for " + e.server + " has expired or was revoked"
	}
	return what + ": run `mcp-oauth login " + e.server + "`"
}

// scopeError: the server requires scopes the authorization lacks (a 403
// insufficient_scope, MCP "Scope Challenge Handling"). notGranted says the
// authorization server already left them out when they were asked for.
type scopeError struct {
	server     string
	scopes     []string
	notGranted bool
	err        error // core's error, for its classification
}

func (e *scopeError) Error() string {
	scopes := strings.Join(e.scopes, " ")
	login := "`mcp-oauth login " + e.server + "`"
	if e.notGranted {
		if scopes == "" {
			return "the authorization server still does not grant the scope " + e.server + " requires, after 3 attempts: " +
				"ask its administrator for access, then run " + login
		}
		return fmt.Sprintf("the authorization server did not grant scope %q, which %s requires: "+
			"ask its administrator for access, then run %s", scopes, e.server, login)
	}
	return fmt.Sprintf("%s requires scope %q, which the authorization lacks: run %s (it asks for it)", e.server, scopes, login)
}

func (e *scopeError) Unwrap() error { return e.err }

// needsLogin turns core's errors that need the user for server into errors
// that tell them what to run: a missing scope names it
// ([core.StepUpRequiredError], [core.ScopeNotGrantedError]), a lost
// authorization asks for a login.
func needsLogin(server string, err error) error {
	var stepUp *core.StepUpRequiredError
	var notGranted *core.ScopeNotGrantedError
	switch {
	case errors.As(err, &stepUp):
		scopes := stepUp.Missing // those the authorization lacks, else all the server asked for
		if len(scopes) == 0 {
			scopes = stepUp.Scopes
		}
		return &scopeError{server: server, scopes: scopes, err: err}
	case errors.As(err, &notGranted):
		return &scopeError{server: server, scopes: notGranted.Missing, notGranted: true, err: err}
	case errors.Is(err, core.ErrStepUpLimit):
		return &scopeError{server: server, notGranted: true, err: err}
	case errors.Is(err, core.ErrAuthorizationRequired):
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
		scope *scopeError
		tool  *toolError
	)
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &usage):
		return exitUsage
	case errors.As(err, &login):
		return exitLoginNeeded
	case errors.As(err, &scope) && scope.notGranted:
		return exitNotGranted
	case errors.As(err, &scope):
		return exitNeedsScope
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
	case core.KindInsufficientScope:
		return exitNotGranted
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
