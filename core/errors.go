package core

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ConfigError reports an invalid configuration. Field names the JSON member
// at fault ("" when the document as a whole is malformed).
type ConfigError struct {
	Field  string
	Reason string
}

func (e *ConfigError) Error() string {
	if e.Field == "" {
		return "mcp-oauth: invalid config: " + e.Reason
	}
	return fmt.Sprintf("mcp-oauth: invalid config: %s: %s", e.Field, e.Reason)
}

// OAuthError is an error response from an authorization server's token
// endpoint (RFC 6749 §5.2). StatusCode is the HTTP status that carried it;
// some servers (GitHub) send errors with 200.
type OAuthError struct {
	ErrorCode        string
	ErrorDescription string
	ErrorURI         string
	StatusCode       int
}

func (e *OAuthError) Error() string {
	msg := fmt.Sprintf("mcp-oauth: token endpoint returned error %q (HTTP %d)", e.ErrorCode, e.StatusCode)
	if e.ErrorDescription != "" {
		msg += ": " + e.ErrorDescription
	}
	return Printable(msg)
}

// ServerError is an HTTP error status without an OAuth error body.
type ServerError struct {
	StatusCode int
	Endpoint   string
	// RetryAfter is the server's Retry-After (RFC 9110 §10.2.3), 0 if none.
	RetryAfter time.Duration
}

func (e *ServerError) Error() string {
	return fmt.Sprintf("mcp-oauth: %s answered HTTP %d without an OAuth error", e.Endpoint, e.StatusCode)
}

// ProtocolError is a response that breaks the protocol: not JSON, a missing
// access_token, a token_type other than Bearer, an unexpected redirect.
type ProtocolError struct {
	Reason string
}

func (e *ProtocolError) Error() string { return Printable("mcp-oauth: protocol error: " + e.Reason) }

// NetworkError is a failure to reach a server or to read its answer.
// Timeout reports whether the request ran out of time.
type NetworkError struct {
	Endpoint string
	Timeout  bool
	Err      error
}

func (e *NetworkError) Error() string {
	if e.Timeout {
		return fmt.Sprintf("mcp-oauth: %s request timed out", e.Endpoint)
	}
	return Printable(fmt.Sprintf("mcp-oauth: %s request failed: %v", e.Endpoint, e.Err))
}

func (e *NetworkError) Unwrap() error { return e.Err }

// AuthorizationDeniedError is an authorization response carrying `error`
// (RFC 6749 §4.1.2.1), such as access_denied.
type AuthorizationDeniedError struct {
	ErrorCode        string
	ErrorDescription string
	ErrorURI         string
}

func (e *AuthorizationDeniedError) Error() string {
	msg := fmt.Sprintf("mcp-oauth: authorization failed with %q", e.ErrorCode)
	if e.ErrorDescription != "" {
		msg += ": " + e.ErrorDescription
	}
	return Printable(msg)
}

// IssuerMismatchError is an authorization response whose `iss` is not the
// expected issuer (RFC 9207 §2.4).
type IssuerMismatchError struct {
	Expected string
	Got      string
}

func (e *IssuerMismatchError) Error() string {
	if e.Got == "" {
		return fmt.Sprintf("mcp-oauth: authorization response has no iss; expected %q", e.Expected)
	}
	return fmt.Sprintf("mcp-oauth: authorization response iss %q does not match issuer %q", e.Got, e.Expected)
}

var (
	// ErrStateMismatch: the authorization response's state matches no pending
	// authorization (RFC 6749 §10.12).
	ErrStateMismatch = errors.New("mcp-oauth: authorization response state matches no pending authorization")
	// ErrAuthorizationRequired: a user must authorize first (authorization_code
	// grant with no refreshable token).
	ErrAuthorizationRequired = errors.New("mcp-oauth: no token is held: run the authorization code flow first")
	// ErrUnsupported: the operation does not apply to this configuration.
	ErrUnsupported = errors.New("mcp-oauth: operation not supported by this configuration")
	// ErrClosed: the manager was closed.
	ErrClosed = errors.New("mcp-oauth: token manager is closed")
	// ErrInvalidVerifier: a PKCE code verifier outside RFC 7636 §4.1's syntax.
	ErrInvalidVerifier = errors.New("mcp-oauth: code verifier must be 43-128 characters of [A-Za-z0-9-._~]")
)

// maxQuoted bounds the text of a resource server quoted by an error.
const maxQuoted = 256

// TokenRejectedError is a resource server answering 401 (RFC 6750 §3.1) to
// an access token obtained just after it had refused the previous one: it
// does not accept this client's tokens — issued for another resource
// (RFC 8707), by another authorization server, or with scopes it does not
// take — or it cannot validate them. ErrorCode and ErrorDescription come
// from its WWW-Authenticate challenge, when it sent them.
type TokenRejectedError struct {
	ErrorCode        string
	ErrorDescription string
}

func (e *TokenRejectedError) Error() string {
	msg := "mcp-oauth: the MCP server rejected a newly obtained access token (HTTP 401)"
	if e.ErrorCode != "" {
		msg += fmt.Sprintf(": %q", e.ErrorCode)
	}
	if e.ErrorDescription != "" {
		msg += ": " + e.ErrorDescription
	}
	return Printable(msg)
}

// MultiServerError is the failure of one server of a mcpclient.MultiServer: Server
// names it, Err is the cause (reached by errors.As and errors.Is).
type MultiServerError struct {
	Server string
	Err    error
}

func (e *MultiServerError) Error() string {
	return fmt.Sprintf("mcp-oauth: server %q: %s", e.Server, strings.TrimPrefix(e.Err.Error(), "mcp-oauth: "))
}

func (e *MultiServerError) Unwrap() error { return e.Err }

// ResponseTooLargeError reports an MCP server whose response body, or one
// event of whose SSE stream, exceeded Config.MCPMaxResponseBytes. The
// session is closed: the rest of the answer is never read.
type ResponseTooLargeError struct {
	Limit int64
}

func (e *ResponseTooLargeError) Error() string {
	return fmt.Sprintf("mcp-oauth: the MCP server's response exceeded mcp_max_response_bytes (%d bytes); the session was closed", e.Limit)
}
