package core

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// ErrorKind is the one classification of this library's errors. Its members
// correspond one to one to the MCP_OAUTH_E_* status codes of
// include/mcp_oauth.h (KindInvalidArgument is MCP_OAUTH_E_INVALID_ARGUMENT,
// and so on); the C ABI maps a kind to its code, the command-line tool to an
// exit status, and neither decides anything else. Append only, as the codes.
type ErrorKind int

// The kinds, in the order of the header's codes (-1, -2, ...).
const (
	KindInvalidArgument       ErrorKind = iota + 1 // a caller mistake: a NULL or malformed argument
	KindBadHandle                                  // a closed, freed or unknown object
	KindConfig                                     // an invalid configuration or option ([ConfigError])
	KindNetwork                                    // a server could not be reached or read
	KindTimeout                                    // a request, or a wait for the user, ran out of time
	KindOAuth                                      // an OAuth error response from a token endpoint
	KindProtocol                                   // a response that breaks the protocol
	KindStateMismatch                              // an authorization response with an unknown state
	KindAuthorizationDenied                        // the user or the server refused the authorization
	KindAuthorizationRequired                      // a user must authorize first
	KindIssuerMismatch                             // iss of an authorization response is not the issuer
	KindUnsupported                                // the operation does not apply to the configuration
	KindInternal                                   // a bug or an unexpected failure
	KindServer                                     // an HTTP error status without an OAuth error body
	KindMCP                                        // the MCP server or session failed a request
	KindDiscovery                                  // authorization server discovery failed
	KindResourceMismatch                           // protected resource metadata names another resource
	KindRegistration                               // the client could not be registered or identified
	KindInsufficientScope                          // step-up authorization gave up
	KindCancelled                                  // the caller cancelled the call
	KindTokenRejected                              // the MCP server refused a newly obtained token

	// kindEnd is one past the last kind; see [ErrorKinds].
	kindEnd
)

// ErrorKinds returns every kind, in order.
func ErrorKinds() []ErrorKind {
	kinds := make([]ErrorKind, 0, kindEnd-1)
	for k := KindInvalidArgument; k < kindEnd; k++ {
		kinds = append(kinds, k)
	}
	return kinds
}

// ErrorInfo is what [Classify] tells of an error: its kind and the details a
// front end reports (the C ABI's out_error JSON, the bindings' exceptions).
// A detail that does not apply is its zero value.
type ErrorInfo struct {
	Kind ErrorKind
	// Message is the library's own message for the error: the outermost
	// message in the chain written by this library ("mcp-oauth: ..."), so
	// that a cause wrapped by the MCP SDK or net/http reads as itself.
	Message string
	// Field is the configuration member at fault ([ConfigError]).
	Field string
	// OAuthError, OAuthErrorDescription and OAuthErrorURI are the error,
	// error_description and error_uri of an OAuth error response (RFC 6749
	// §5.2, §4.1.2.1; RFC 7591 §3.2.2; RFC 6750 §3.1 for a rejected token).
	OAuthError            string
	OAuthErrorDescription string
	OAuthErrorURI         string
	// HTTPStatus is the HTTP status that carried the error.
	HTTPStatus int
	// RPCCode is the JSON-RPC error code of an MCP error response.
	RPCCode int64
	// RetryAfterSeconds is a server's Retry-After (RFC 9110 §10.2.3), in
	// whole seconds rounded up.
	RetryAfterSeconds int64
	// Server names the server of a multi-server client (core/mcpclient.MultiServer) that failed.
	Server string
	// UserWait reports a failure that ended a wait for the user: the
	// authorization was denied, or it was not completed in time (the
	// redirect did not come, the device code expired).
	UserWait bool
}

// ArgumentError is a caller mistake: a NULL pointer, a string that is not
// UTF-8, a call out of order. It classifies as [KindInvalidArgument].
type ArgumentError struct{ Reason string }

func (e *ArgumentError) Error() string { return "mcp-oauth: " + e.Reason }

var (
	// ErrBadHandle: a front end's handle is NULL, freed or unknown.
	ErrBadHandle = errors.New("mcp-oauth: bad handle (NULL, freed or unknown)")
	// ErrCancelled: the caller cancelled the call (mcp_oauth_cancel,
	// mcp_client_cancel, mcp_client_multi_cancel).
	ErrCancelled = errors.New("mcp-oauth: cancelled")
)

// MCPError is a failure of an MCP session that carries no more specific
// type: the server answered a JSON-RPC error (RPCCode is its code), closed
// the session or answered an HTTP error.
type MCPError struct {
	RPCCode int64 // 0 when the failure is not a JSON-RPC error response
	Err     error
}

func (e *MCPError) Error() string { return "mcp-oauth: MCP request failed: " + e.Err.Error() }
func (e *MCPError) Unwrap() error { return e.Err }

// sessionError classifies an error of the MCP SDK once, where it happens:
// an error of a more specific kind (authorization, token) stays as it is;
// the end of the caller's ctx is a cancellation or a time-out; a failure to
// reach the server, or a connection it ended, is a [NetworkError]; anything
// else an [MCPError].
func sessionError(ctx context.Context, err error) error {
	if err == nil || Classify(err).Kind != KindInternal {
		return err
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return networkError("MCP server", ctxErr)
	}
	// The server could not be reached, or its connection ended (EOF) under
	// a request or the SSE stream, so the SDK closed the session's
	// connection: it went away (issue 16: not an MCPError). An HTTP request
	// that failed below HTTP (a *url.Error left unclassified: no answer at
	// all, e.g. "server closed idle connection" when it shut down) is the
	// same.
	var opErr *net.OpError
	var urlErr *url.Error
	if errors.As(err, &opErr) || errors.As(err, &urlErr) || errors.Is(err, io.EOF) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, mcp.ErrConnectionClosed) {
		return &NetworkError{Endpoint: "MCP server", Err: err}
	}
	me := &MCPError{Err: err}
	var rpcErr *jsonrpc.Error
	if errors.As(err, &rpcErr) {
		me.RPCCode = rpcErr.Code
	}
	return me
}

// Classify returns the kind and details of err (nil for nil): the one place
// where this library's errors are told apart.
func Classify(err error) ErrorInfo {
	if err == nil {
		return ErrorInfo{}
	}
	info := ErrorInfo{Message: ownMessage(err)}
	var multiErr *MultiServerError
	if errors.As(err, &multiErr) {
		info.Server = multiErr.Server
		info.Message = fmt.Sprintf("mcp-oauth: server %q: %s", multiErr.Server,
			strings.TrimPrefix(ownMessage(multiErr.Err), "mcp-oauth: "))
	}
	info.Kind = classifyKind(err, &info)
	return info
}

// classifyKind sets the details of err's kind in info and returns the kind.
// The first match in the chain's order of types below wins.
func classifyKind(err error, info *ErrorInfo) ErrorKind {
	var (
		argErr    *ArgumentError
		cfgErr    *ConfigError
		oauthErr  *OAuthError
		srvErr    *ServerError
		protoErr  *ProtocolError
		netErr    *NetworkError
		deniedErr *AuthorizationDeniedError
		regErr    *RegistrationError
		rejected  *TokenRejectedError
		mcpErr    *MCPError
		noMCP     *NoMCPServerError
	)
	switch {
	case errors.As(err, &argErr), errors.Is(err, ErrInvalidVerifier), errors.Is(err, ErrInvalidTimeout):
		return KindInvalidArgument
	case errors.As(err, &cfgErr):
		info.Field = cfgErr.Field
		return KindConfig
	case errors.As(err, &oauthErr):
		info.OAuthError, info.OAuthErrorDescription, info.OAuthErrorURI, info.HTTPStatus =
			oauthErr.ErrorCode, oauthErr.ErrorDescription, oauthErr.ErrorURI, oauthErr.StatusCode
		info.UserWait = oauthErr.ErrorCode == "access_denied" || oauthErr.ErrorCode == "expired_token"
		return KindOAuth
	case errors.As(err, &srvErr):
		info.HTTPStatus = srvErr.StatusCode
		info.RetryAfterSeconds = int64((srvErr.RetryAfter + time.Second - 1) / time.Second)
		return KindServer
	case errors.As(err, &protoErr):
		return KindProtocol
	case errors.As(err, &netErr):
		if errors.Is(netErr.Err, context.Canceled) {
			return KindCancelled // the caller's context ended the request
		}
		if netErr.Timeout {
			return KindTimeout
		}
		return KindNetwork
	case errors.As(err, &deniedErr):
		info.OAuthError, info.OAuthErrorDescription, info.OAuthErrorURI =
			deniedErr.ErrorCode, deniedErr.ErrorDescription, deniedErr.ErrorURI
		info.UserWait = true
		return KindAuthorizationDenied
	case errors.As(err, new(*IssuerMismatchError)):
		return KindIssuerMismatch
	case errors.As(err, new(*ResourceMismatchError)):
		return KindResourceMismatch
	case errors.As(err, &regErr):
		info.OAuthError, info.OAuthErrorDescription, info.HTTPStatus =
			regErr.ErrorCode, regErr.ErrorDescription, regErr.StatusCode
		return KindRegistration
	case errors.As(err, new(*ClientIssuerMismatchError)), errors.Is(err, ErrNoClientIdentity):
		return KindRegistration
	case errors.As(err, &noMCP):
		info.HTTPStatus = noMCP.StatusCode
		return KindDiscovery
	case errors.As(err, new(*MetadataError)), errors.As(err, new(*MetadataIssuerMismatchError)),
		errors.As(err, new(*DiscoveryURLError)), errors.Is(err, ErrMetadataNotFound),
		errors.Is(err, ErrPKCES256Unsupported):
		return KindDiscovery
	case errors.Is(err, ErrRedirectTimeout):
		info.UserWait = true
		return KindTimeout
	case errors.Is(err, ErrDeviceCodeExpired):
		info.OAuthError, info.UserWait = "expired_token", true
		return KindTimeout
	case errors.Is(err, ErrStepUpLimit):
		return KindInsufficientScope
	case errors.Is(err, ErrStateMismatch):
		return KindStateMismatch
	case errors.Is(err, ErrAuthorizationRequired):
		return KindAuthorizationRequired
	case errors.Is(err, ErrUnsupported):
		return KindUnsupported
	case errors.Is(err, ErrCancelled):
		return KindCancelled
	case errors.Is(err, ErrClosed), errors.Is(err, ErrBadHandle):
		return KindBadHandle
	case errors.As(err, &rejected):
		info.OAuthError, info.OAuthErrorDescription, info.HTTPStatus = rejected.ErrorCode, rejected.ErrorDescription, 401
		return KindTokenRejected
	case errors.As(err, &mcpErr):
		info.RPCCode = mcpErr.RPCCode
		return KindMCP
	case errors.As(err, new(*ResponseTooLargeError)):
		return KindMCP
	case errors.Is(err, context.Canceled):
		return KindCancelled
	case errors.Is(err, context.DeadlineExceeded):
		return KindTimeout
	}
	return KindInternal
}

// ownMessage returns the message of the outermost error in err's chain that
// this library wrote (prefixed "mcp-oauth:"), so that a cause wrapped by the
// MCP SDK or net/http reads as itself; err's own message otherwise.
func ownMessage(err error) string {
	queue := []error{err}
	for len(queue) > 0 {
		e := queue[0]
		queue = queue[1:]
		if msg := e.Error(); strings.HasPrefix(msg, "mcp-oauth: ") {
			return msg
		}
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			if next := u.Unwrap(); next != nil {
				queue = append(queue, next)
			}
		case interface{ Unwrap() []error }:
			queue = append(queue, u.Unwrap()...)
		}
	}
	return err.Error()
}
