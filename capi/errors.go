package main

/*
#include <stdlib.h>
*/
import "C"

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// Status codes: the MCP_OAUTH_* values of include/mcp_oauth.h.
const (
	statusOK                    = 0
	statusInvalidArgument       = -1
	statusBadHandle             = -2
	statusConfig                = -3
	statusNetwork               = -4
	statusTimeout               = -5
	statusOAuth                 = -6
	statusProtocol              = -7
	statusStateMismatch         = -8
	statusAuthorizationDenied   = -9
	statusAuthorizationRequired = -10
	statusIssuerMismatch        = -11
	statusUnsupported           = -12
	statusInternal              = -13
	statusServer                = -14
	statusMCP                   = -15
	statusDiscovery             = -16
	statusResourceMismatch      = -17
	statusRegistration          = -18
	statusInsufficientScope     = -19
	statusCancelled             = -20
	statusTokenRejected         = -21
)

// errorDetails is the JSON object written to out_error.
type errorDetails struct {
	Code             int    `json:"code"`
	Message          string `json:"message"`
	Field            string `json:"field,omitempty"`
	Error            string `json:"error,omitempty"`
	ErrorDescription string `json:"error_description,omitempty"`
	ErrorURI         string `json:"error_uri,omitempty"`
	Status           int    `json:"status,omitempty"`
	RPCCode          int64  `json:"rpc_code,omitempty"`
	RetryAfter       int64  `json:"retry_after,omitempty"`
	Server           string `json:"server,omitempty"`
}

// detailsOf maps an error from core to its status code and details.
func detailsOf(err error) errorDetails {
	d := errorDetails{Message: ownMessage(err)}
	// One server of an mcp_client_multi failed: name it, and describe the
	// cause as the library wrote it.
	var serverErr *core.MultiServerError
	if errors.As(err, &serverErr) {
		d.Server = serverErr.Server
		d.Message = fmt.Sprintf("mcp-oauth: server %q: %s", serverErr.Server,
			strings.TrimPrefix(ownMessage(serverErr.Err), "mcp-oauth: "))
	}
	var (
		cfgErr    *core.ConfigError
		oauthErr  *core.OAuthError
		srvErr    *core.ServerError
		protoErr  *core.ProtocolError
		netErr    *core.NetworkError
		deniedErr *core.AuthorizationDeniedError
		issErr    *core.IssuerMismatchError
		argErr    *argError
		resErr    *core.ResourceMismatchError
		regErr    *core.RegistrationError
		rpcErr    *jsonrpc.Error
		mcpErr    *mcpError
	)
	switch {
	case errors.As(err, &argErr):
		d.Code = statusInvalidArgument
	case errors.As(err, &cfgErr):
		d.Code, d.Field = statusConfig, cfgErr.Field
	case errors.As(err, &oauthErr):
		d.Code, d.Error, d.ErrorDescription, d.ErrorURI, d.Status =
			statusOAuth, oauthErr.ErrorCode, oauthErr.ErrorDescription, oauthErr.ErrorURI, oauthErr.StatusCode
	case errors.As(err, &srvErr):
		d.Code, d.Status = statusServer, srvErr.StatusCode
		d.RetryAfter = int64((srvErr.RetryAfter + time.Second - 1) / time.Second)
	case errors.As(err, &protoErr):
		d.Code = statusProtocol
	case errors.As(err, &netErr):
		d.Code = statusNetwork
		if netErr.Timeout {
			d.Code = statusTimeout
		}
	case errors.As(err, &deniedErr):
		d.Code, d.Error, d.ErrorDescription, d.ErrorURI =
			statusAuthorizationDenied, deniedErr.ErrorCode, deniedErr.ErrorDescription, deniedErr.ErrorURI
	case errors.As(err, &issErr):
		d.Code = statusIssuerMismatch
	case errors.As(err, &resErr):
		d.Code = statusResourceMismatch
	case errors.As(err, &regErr):
		d.Code, d.Error, d.ErrorDescription, d.Status =
			statusRegistration, regErr.ErrorCode, regErr.ErrorDescription, regErr.StatusCode
	case errors.As(err, new(*core.ClientIssuerMismatchError)), errors.Is(err, core.ErrNoClientIdentity):
		d.Code = statusRegistration
	case errors.As(err, new(*core.MetadataError)), errors.As(err, new(*core.MetadataIssuerMismatchError)),
		errors.As(err, new(*core.DiscoveryURLError)), errors.Is(err, core.ErrMetadataNotFound),
		errors.Is(err, core.ErrPKCES256Unsupported):
		d.Code = statusDiscovery
	case errors.Is(err, core.ErrRedirectTimeout):
		d.Code = statusTimeout
	case errors.Is(err, core.ErrDeviceCodeExpired):
		d.Code, d.Error = statusTimeout, "expired_token"
	case errors.Is(err, core.ErrStepUpLimit):
		d.Code = statusInsufficientScope
	case errors.Is(err, core.ErrStateMismatch):
		d.Code = statusStateMismatch
	case errors.Is(err, core.ErrAuthorizationRequired):
		d.Code = statusAuthorizationRequired
	case errors.Is(err, core.ErrUnsupported):
		d.Code = statusUnsupported
	case errors.Is(err, errCancelled):
		d.Code = statusCancelled
	case errors.Is(err, core.ErrClosed), errors.Is(err, errBadHandle):
		d.Code = statusBadHandle
	case errors.Is(err, core.ErrInvalidVerifier):
		d.Code = statusInvalidArgument
	case errors.As(err, new(*core.TokenRejectedError)):
		var tr *core.TokenRejectedError
		errors.As(err, &tr)
		d.Code, d.Error, d.ErrorDescription, d.Status = statusTokenRejected, tr.ErrorCode, tr.ErrorDescription, 401
	case errors.As(err, &rpcErr):
		d.Code, d.RPCCode = statusMCP, rpcErr.Code
	case errors.As(err, &mcpErr):
		d.Code = statusMCP
	default:
		d.Code = statusInternal
	}
	return d
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

// mcpError is an MCP session failure that carries no more specific type
// (e.g. the server closed the session or answered an HTTP error).
type mcpError struct{ err error }

func (e *mcpError) Error() string { return "mcp-oauth: MCP request failed: " + e.err.Error() }
func (e *mcpError) Unwrap() error { return e.err }

// asMCPError marks an error from an MCP session as such unless it already
// maps to a specific status.
func asMCPError(err error) error {
	if detailsOf(err).Code == statusInternal {
		return &mcpError{err}
	}
	return err
}

// argError is a caller mistake at the ABI: a NULL pointer or bad UTF-8.
type argError struct{ msg string }

func (e *argError) Error() string { return "mcp-oauth: " + e.msg }

func errArg(format string, a ...any) error { return &argError{fmt.Sprintf(format, a...)} }

// errBadHandle is reported for NULL, unknown and freed handles.
var errBadHandle = errors.New("mcp-oauth: bad handle (NULL, freed or unknown)")

// fail writes err's details to outErr (when not NULL) and returns its code.
func fail(outErr **C.char, err error) C.int {
	d := detailsOf(err)
	d.Message = clip(d.Message)
	if outErr != nil {
		js, _ := json.Marshal(d)
		*outErr = C.CString(string(js))
	}
	return C.int(d.Code)
}

// maxMessage bounds an error message: a message quoting an oversized input
// (a 16 MiB URL, say) is cut, on a character boundary.
const maxMessage = 2048

func clip(msg string) string {
	if len(msg) <= maxMessage {
		return msg
	}
	cut := maxMessage
	for cut > 0 && !utf8.RuneStart(msg[cut]) {
		cut--
	}
	return msg[:cut] + "... (cut)"
}
