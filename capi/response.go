package main

/*
typedef const char cchar_t;
typedef struct mcp_oauth mcp_oauth;
*/
import "C"

import (
	"encoding/json"
	"strings"
	"unsafe"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// The exports an HTTP client's own auth hook (httpx, fetch, ...) needs to
// authorize requests exactly as the library's MCP transports do: the
// decisions are core's (core.TokenManager.Respond, NeedsChallenge).

// optHeader copies an optional header value argument: NULL or "" is none.
func optHeader(p *C.cchar_t, name string) ([]string, error) {
	if p == nil {
		return nil, nil
	}
	v, err := goString(p, name)
	if err != nil || v == "" {
		return nil, err
	}
	return []string{v}, nil
}

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
	hd, err := enter(h, outErr, outToken, "out_token")
	if err != nil {
		return fail(outErr, err)
	}
	sent, err := goString(token, "token")
	if err != nil {
		return fail(outErr, err)
	}
	challenges, err := optHeader(wwwAuthenticate, "www_authenticate")
	if err != nil {
		return fail(outErr, err)
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

//export mcp_oauth_request_headers
func mcp_oauth_request_headers(h *C.mcp_oauth, method, url, token *C.cchar_t, outJSON **C.char,
	outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	hd, err := enter(h, outErr, outJSON, "out_json")
	if err != nil {
		return fail(outErr, err)
	}
	var m, u, t string
	for _, a := range []struct {
		dst  *string
		p    *C.cchar_t
		name string
	}{{&m, method, "method"}, {&u, url, "url"}, {&t, token, "token"}} {
		if *a.dst, err = goString(a.p, a.name); err != nil {
			return fail(outErr, err)
		}
	}
	headers, err := hd.mgr.RequestHeaders(m, u, t)
	if err != nil {
		return fail(outErr, err)
	}
	doc := make(map[string]string, len(headers))
	for name, values := range headers {
		doc[name] = strings.Join(values, ", ") // RFC 9110 §5.3
	}
	js, _ := json.Marshal(doc)
	*outJSON = C.CString(string(js))
	return statusOK
}

//export mcp_oauth_dpop_nonce
func mcp_oauth_dpop_nonce(h *C.mcp_oauth, url, token *C.cchar_t, status C.int, wwwAuthenticate *C.cchar_t,
	dpopNonce *C.cchar_t) (rc C.int) {
	defer guard(&rc, nil)
	hd, err := handleOf(h)
	if err != nil {
		return fail(nil, err)
	}
	u, err := goString(url, "url")
	if err != nil {
		return fail(nil, err)
	}
	t, err := goString(token, "token")
	if err != nil {
		return fail(nil, err)
	}
	challenges, err := optHeader(wwwAuthenticate, "www_authenticate")
	if err != nil {
		return fail(nil, err)
	}
	nonce, err := optHeader(dpopNonce, "dpop_nonce")
	if err != nil {
		return fail(nil, err)
	}
	if hd.mgr.NoteDPoPNonce(u, t, int(status), challenges, strings.Join(nonce, "")) {
		return 1
	}
	return 0
}
