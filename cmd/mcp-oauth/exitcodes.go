package main

import (
	"context"
	"errors"
	"net"

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
}

func (e *loginRequiredError) Error() string {
	what := "not logged in to " + e.server
	if e.expired {
		what = "the authorization for " + e.server + " has expired, was revoked or needs more scope"
	}
	return what + ": run `mcp-oauth login " + e.server + "`"
}

// needsLogin turns core's ErrAuthorizationRequired for server into a
// loginRequiredError that tells the user what to run.
func needsLogin(server string, err error) error {
	if errors.Is(err, core.ErrAuthorizationRequired) {
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

// exitCode maps an error to the command's exit status, from core's error
// types (core/errors.go, core/discovery_errors.go).
func exitCode(err error) int {
	var (
		usage    *usageError
		cfgErr   *core.ConfigError
		login    *loginRequiredError
		tool     *toolError
		denied   *core.AuthorizationDeniedError
		oauthErr *core.OAuthError
		netErr   *core.NetworkError
		srvErr   *core.ServerError
		opErr    *net.OpError
	)
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &usage), errors.As(err, &cfgErr):
		return exitUsage
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.As(err, &login), errors.Is(err, core.ErrAuthorizationRequired):
		return exitLoginNeeded
	case errors.As(err, &denied), errors.Is(err, core.ErrRedirectTimeout),
		errors.Is(err, core.ErrDeviceCodeExpired), errors.Is(err, errDeviceWaitTimeout):
		return exitAuthDenied
	case errors.As(err, &oauthErr):
		switch oauthErr.ErrorCode {
		case "access_denied", "expired_token":
			return exitAuthDenied
		case "invalid_grant":
			return exitLoginNeeded
		}
		return exitFailure
	case errors.As(err, &netErr), errors.As(err, &opErr), errors.Is(err, context.DeadlineExceeded):
		return exitUnreachable
	case errors.As(err, &srvErr) && srvErr.StatusCode >= 500:
		return exitUnreachable
	case errors.As(err, &tool), isMCPError(err):
		return exitMCPError
	}
	return exitFailure
}

// isMCPError reports a JSON-RPC error answered by the MCP server, which the
// SDK returns as text (an unknown tool, invalid params).
func isMCPError(err error) bool {
	var mcpErr *mcpRequestError
	return errors.As(err, &mcpErr)
}

// mcpRequestError wraps a failed MCP request once connected.
type mcpRequestError struct{ err error }

func (e *mcpRequestError) Error() string { return e.err.Error() }
func (e *mcpRequestError) Unwrap() error { return e.err }
