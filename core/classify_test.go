package core

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestClassifyEveryErrorType is the classification table: every error type
// and sentinel of this package, wrapped as callers see it, maps to one
// kind with its details.
func TestClassifyEveryErrorType(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("context: %w", err) }
	rpc := &jsonrpc.Error{Code: -32602, Message: "unknown tool"}
	seen := map[ErrorKind]bool{}
	for _, tc := range []struct {
		name string
		err  error
		want ErrorInfo // Message is not compared
	}{
		{"argument", &ArgumentError{Reason: "out is NULL"}, ErrorInfo{Kind: KindInvalidArgument}},
		{"verifier", ErrInvalidVerifier, ErrorInfo{Kind: KindInvalidArgument}},
		{"timeout", ErrInvalidTimeout, ErrorInfo{Kind: KindInvalidArgument}},
		{"bad handle", ErrBadHandle, ErrorInfo{Kind: KindBadHandle}},
		{"closed", ErrClosed, ErrorInfo{Kind: KindBadHandle}},
		{"config", &ConfigError{Field: "scopes", Reason: "x"}, ErrorInfo{Kind: KindConfig, Field: "scopes"}},
		{"network", &NetworkError{Endpoint: "token", Err: errors.New("refused")}, ErrorInfo{Kind: KindNetwork}},
		{"network timeout", &NetworkError{Endpoint: "token", Timeout: true, Err: context.DeadlineExceeded}, ErrorInfo{Kind: KindTimeout}},
		{"network cancelled", &NetworkError{Endpoint: "token", Err: context.Canceled}, ErrorInfo{Kind: KindCancelled}},
		{"oauth", &OAuthError{ErrorCode: "invalid_client", ErrorDescription: "d", ErrorURI: "u", StatusCode: 401},
			ErrorInfo{Kind: KindOAuth, OAuthError: "invalid_client", OAuthErrorDescription: "d", OAuthErrorURI: "u", HTTPStatus: 401}},
		{"oauth access_denied", &OAuthError{ErrorCode: "access_denied", StatusCode: 400},
			ErrorInfo{Kind: KindOAuth, OAuthError: "access_denied", HTTPStatus: 400, UserWait: true}},
		{"protocol", &ProtocolError{Reason: "x"}, ErrorInfo{Kind: KindProtocol}},
		{"state", ErrStateMismatch, ErrorInfo{Kind: KindStateMismatch}},
		{"code injection", ErrCodeInjection, ErrorInfo{Kind: KindStateMismatch}},
		{"denied", &AuthorizationDeniedError{ErrorCode: "access_denied", ErrorDescription: "no", ErrorURI: "u"},
			ErrorInfo{Kind: KindAuthorizationDenied, OAuthError: "access_denied", OAuthErrorDescription: "no", OAuthErrorURI: "u", UserWait: true}},
		{"authorization required", ErrAuthorizationRequired, ErrorInfo{Kind: KindAuthorizationRequired}},
		{"step-up required", &StepUpRequiredError{Scopes: []string{"notes:write"}}, ErrorInfo{Kind: KindAuthorizationRequired}},
		{"issuer", &IssuerMismatchError{Expected: "a", Got: "b"}, ErrorInfo{Kind: KindIssuerMismatch}},
		{"unsupported", ErrUnsupported, ErrorInfo{Kind: KindUnsupported}},
		{"internal", errors.New("boom"), ErrorInfo{Kind: KindInternal}},
		{"server", &ServerError{StatusCode: 503, Endpoint: "token", RetryAfter: 1500 * time.Millisecond},
			ErrorInfo{Kind: KindServer, HTTPStatus: 503, RetryAfterSeconds: 2}},
		{"mcp", &MCPError{Err: errors.New("session closed")}, ErrorInfo{Kind: KindMCP}},
		{"mcp too large", &ResponseTooLargeError{Limit: 1 << 20}, ErrorInfo{Kind: KindMCP}},
		{"mcp too large in session", sessionError(context.Background(), fmt.Errorf("sdk: %w", &ResponseTooLargeError{Limit: 1 << 20})), ErrorInfo{Kind: KindMCP}},
		{"mcp rpc", sessionError(context.Background(), fmt.Errorf("calling tool: %w", rpc)), ErrorInfo{Kind: KindMCP, RPCCode: -32602}},
		{"mcp refused", sessionError(context.Background(), &net.OpError{Op: "dial", Err: errors.New("refused")}), ErrorInfo{Kind: KindNetwork}},
		{"mcp after deadline", sessionError(expired(t), errors.New("sdk")), ErrorInfo{Kind: KindTimeout}},
		{"mcp keeps auth", sessionError(context.Background(), fmt.Errorf("sdk: %w", ErrAuthorizationRequired)), ErrorInfo{Kind: KindAuthorizationRequired}},
		{"metadata", &MetadataError{Document: "d", Reason: "r"}, ErrorInfo{Kind: KindDiscovery}},
		{"metadata issuer", &MetadataIssuerMismatchError{Expected: "a", Got: "b"}, ErrorInfo{Kind: KindDiscovery}},
		{"discovery url", &DiscoveryURLError{URL: "http://x", Reason: "r"}, ErrorInfo{Kind: KindDiscovery}},
		{"metadata not found", ErrMetadataNotFound, ErrorInfo{Kind: KindDiscovery}},
		{"no S256", ErrPKCES256Unsupported, ErrorInfo{Kind: KindDiscovery}},
		{"resource", &ResourceMismatchError{ServerURL: "a", Resource: "b"}, ErrorInfo{Kind: KindResourceMismatch}},
		{"registration", &RegistrationError{ErrorCode: "invalid_client_metadata", ErrorDescription: "d", StatusCode: 400},
			ErrorInfo{Kind: KindRegistration, OAuthError: "invalid_client_metadata", OAuthErrorDescription: "d", HTTPStatus: 400}},
		{"client issuer", &ClientIssuerMismatchError{ClientIssuer: "a", ServerIssuer: "b"}, ErrorInfo{Kind: KindRegistration}},
		{"no identity", ErrNoClientIdentity, ErrorInfo{Kind: KindRegistration}},
		{"step-up", ErrStepUpLimit, ErrorInfo{Kind: KindInsufficientScope}},
		{"scope not granted", &ScopeNotGrantedError{Missing: []string{"notes:write"}}, ErrorInfo{Kind: KindInsufficientScope}},
		{"redirect timeout", ErrRedirectTimeout, ErrorInfo{Kind: KindTimeout, UserWait: true}},
		{"device expired", ErrDeviceCodeExpired, ErrorInfo{Kind: KindTimeout, OAuthError: "expired_token", UserWait: true}},
		{"cancelled", ErrCancelled, ErrorInfo{Kind: KindCancelled}},
		{"context cancelled", context.Canceled, ErrorInfo{Kind: KindCancelled}},
		{"context deadline", context.DeadlineExceeded, ErrorInfo{Kind: KindTimeout}},
		{"token rejected", &TokenRejectedError{ErrorCode: "invalid_token", ErrorDescription: "d"},
			ErrorInfo{Kind: KindTokenRejected, OAuthError: "invalid_token", OAuthErrorDescription: "d", HTTPStatus: 401}},
		{"multi server", &MultiServerError{Server: "notes", Err: ErrAuthorizationRequired},
			ErrorInfo{Kind: KindAuthorizationRequired, Server: "notes"}},
	} {
		seen[tc.want.Kind] = true
		t.Run(tc.name, func(t *testing.T) {
			for _, err := range []error{tc.err, wrap(tc.err)} {
				got := Classify(err)
				assert.NotEmpty(t, got.Message)
				got.Message = ""
				assert.Equal(t, tc.want, got, "%v", err)
			}
		})
	}
	for _, k := range ErrorKinds() {
		assert.True(t, seen[k], "no error of kind %d in the table", k)
	}
}

// TestClassifyCoversEveryKind: the kinds run 1..21, the negated
// MCP_OAUTH_E_* codes (capi's TestStatusOfEveryKind checks the mapping).
func TestClassifyCoversEveryKind(t *testing.T) {
	kinds := ErrorKinds()
	require.Len(t, kinds, 21)
	for i, k := range kinds {
		assert.Equal(t, ErrorKind(i+1), k)
	}
	assert.Equal(t, ErrorInfo{}, Classify(nil))
}

func TestClassifyMessages(t *testing.T) {
	// A cause wrapped by someone else reads as the library's own message.
	err := fmt.Errorf("calling \"tools/call\": %w", &ConfigError{Field: "f", Reason: "bad"})
	assert.Equal(t, "mcp-oauth: invalid config: f: bad", Classify(err).Message)
	// A server of a multi client is named once, its cause as written.
	err = &MultiServerError{Server: "notes", Err: fmt.Errorf("sdk: %w", ErrAuthorizationRequired)}
	assert.Equal(t, `mcp-oauth: server "notes": `+ErrAuthorizationRequired.Error()[len("mcp-oauth: "):], Classify(err).Message)
	assert.Equal(t, "plain", Classify(errors.New("plain")).Message)
}

// expired is a context whose deadline has passed.
func expired(t *testing.T) context.Context {
	ctx, cancel := context.WithDeadline(context.Background(), time.Unix(0, 0))
	t.Cleanup(cancel)
	return ctx
}
