package main

/*
#cgo CFLAGS: -I${SRCDIR}/../include
#include <stdlib.h>
#include "mcp_oauth.h"
*/
import "C"

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// statusOK is MCP_OAUTH_OK; the other codes come from statusOf.
const statusOK = C.MCP_OAUTH_OK

// statusOf maps core's error kinds to the header's status codes, one to one.
func statusOf(k core.ErrorKind) C.int {
	switch k {
	case core.KindInvalidArgument:
		return C.MCP_OAUTH_E_INVALID_ARGUMENT
	case core.KindBadHandle:
		return C.MCP_OAUTH_E_BAD_HANDLE
	case core.KindConfig:
		return C.MCP_OAUTH_E_CONFIG
	case core.KindNetwork:
		return C.MCP_OAUTH_E_NETWORK
	case core.KindTimeout:
		return C.MCP_OAUTH_E_TIMEOUT
	case core.KindOAuth:
		return C.MCP_OAUTH_E_OAUTH
	case core.KindProtocol:
		return C.MCP_OAUTH_E_PROTOCOL
	case core.KindStateMismatch:
		return C.MCP_OAUTH_E_STATE_MISMATCH
	case core.KindAuthorizationDenied:
		return C.MCP_OAUTH_E_AUTHORIZATION_DENIED
	case core.KindAuthorizationRequired:
		return C.MCP_OAUTH_E_AUTHORIZATION_REQUIRED
	case core.KindIssuerMismatch:
		return C.MCP_OAUTH_E_ISSUER_MISMATCH
	case core.KindUnsupported:
		return C.MCP_OAUTH_E_UNSUPPORTED
	case core.KindServer:
		return C.MCP_OAUTH_E_SERVER
	case core.KindMCP:
		return C.MCP_OAUTH_E_MCP
	case core.KindDiscovery:
		return C.MCP_OAUTH_E_DISCOVERY
	case core.KindResourceMismatch:
		return C.MCP_OAUTH_E_RESOURCE_MISMATCH
	case core.KindRegistration:
		return C.MCP_OAUTH_E_REGISTRATION
	case core.KindInsufficientScope:
		return C.MCP_OAUTH_E_INSUFFICIENT_SCOPE
	case core.KindCancelled:
		return C.MCP_OAUTH_E_CANCELLED
	case core.KindTokenRejected:
		return C.MCP_OAUTH_E_TOKEN_REJECTED
	}
	return C.MCP_OAUTH_E_INTERNAL
}

// errorDetails is the JSON object written to out_error: core.ErrorInfo in
// the header's member names.
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

// detailsOf is err's classification by core, as out_error's object.
func detailsOf(err error) errorDetails {
	i := core.Classify(err)
	return errorDetails{
		Code: int(statusOf(i.Kind)), Message: clip(i.Message), Field: i.Field,
		Error: i.OAuthError, ErrorDescription: i.OAuthErrorDescription, ErrorURI: i.OAuthErrorURI,
		Status: i.HTTPStatus, RPCCode: i.RPCCode, RetryAfter: i.RetryAfterSeconds, Server: i.Server,
	}
}

func errArg(format string, a ...any) error {
	return &core.ArgumentError{Reason: fmt.Sprintf(format, a...)}
}

// fail writes err's details to outErr (when not NULL) and returns its code.
func fail(outErr **C.char, err error) C.int {
	d := detailsOf(err)
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
