package main

/*
typedef const char cchar_t;
typedef struct mcp_oauth mcp_oauth;
*/
import "C"

import (
	"unsafe"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// The exports an HTTP client's own auth hook (httpx, fetch, ...) needs to
// authorize requests exactly as the library's MCP transports do: the
// decisions are core's (core.TokenManager.Respond, NeedsChallenge).

//export mcp_oauth_needs_challenge
func mcp_oauth_needs_challenge(h *C.mcp_oauth) (rc C.int) {
	defer guard(&rc, nil)
	hd, ok := lookup[*handle](unsafe.Pointer(h))
	if !ok {
		return fail(nil, core.ErrBadHandle)
	}
	if hd.mgr.NeedsChallenge() {
		return 1
	}
	return 0
}

//export mcp_oauth_handle_response
func mcp_oauth_handle_response(h *C.mcp_oauth, status C.int, wwwAuthenticate *C.cchar_t, token *C.cchar_t,
	previousStatus C.int, outToken **C.char, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	clearOut(outErr)
	clearOut(outToken)
	hd, err := handleOf(h)
	if err != nil {
		return fail(outErr, err)
	}
	if outToken == nil {
		return fail(outErr, errArg("out_token is NULL"))
	}
	sent, err := goString(token, "token")
	if err != nil {
		return fail(outErr, err)
	}
	var challenges []string
	if wwwAuthenticate != nil {
		v, err := goString(wwwAuthenticate, "www_authenticate")
		if err != nil {
			return fail(outErr, err)
		}
		if v != "" {
			challenges = []string{v}
		}
	}
	ctx := hd.calls.context()
	next, err := hd.mgr.Respond(ctx, core.Response{
		Status: int(status), WWWAuthenticate: challenges, Token: sent, Previous: int(previousStatus),
	})
	if err != nil {
		return fail(outErr, outcome(ctx, err))
	}
	if next != "" {
		*outToken = C.CString(next)
	}
	return statusOK
}
