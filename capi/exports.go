// Command capi is the C ABI of mcp-oauth, built with
// `go build -buildmode=c-shared`. It only marshals: every decision lives in
// package core. include/mcp_oauth.h is the contract for each export.
package main

/*
#include <stdint.h>
#include <stdlib.h>
typedef const char cchar_t;
typedef const volatile uint32_t cvu32_t;
typedef struct mcp_oauth mcp_oauth;

*/
import "C"

import (
	"fmt"
	"os"
	"unicode/utf8"
	"unsafe"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

func main() {}

// guard turns a panic into MCP_OAUTH_E_INTERNAL; every export defers it,
// because a panic escaping an export aborts the host process.
func guard(rc *C.int, outErr **C.char) {
	if r := recover(); r != nil {
		*rc = fail(outErr, fmt.Errorf("mcp-oauth: internal error (recovered from a panic of type %T)", r))
	}
}

// goString copies a C string argument, which must be non-NULL UTF-8.
func goString(p *C.cchar_t, name string) (string, error) {
	if p == nil {
		return "", errArg("%s is NULL", name)
	}
	s := C.GoString((*C.char)(unsafe.Pointer(p)))
	if !utf8.ValidString(s) {
		return "", errArg("%s is not valid UTF-8", name)
	}
	return s, nil
}

// clearOut sets a caller's out-pointer to NULL when it is not NULL itself.
func clearOut(out **C.char) {
	if out != nil {
		*out = nil
	}
}

func handleOf(h *C.mcp_oauth) (*handle, error) {
	if hd, ok := lookup[*handle](unsafe.Pointer(h)); ok {
		return hd, nil
	}
	return nil, core.ErrBadHandle
}

// enter starts an export on an mcp_oauth handle with one required
// out-parameter: it clears outErr and out, finds the handle, and refuses a
// NULL out (named name). The caller returns fail(outErr, err) on an error.
func enter(h *C.mcp_oauth, outErr, out **C.char, name string) (*handle, error) {
	clearOut(outErr)
	clearOut(out)
	hd, err := handleOf(h)
	if err != nil {
		return nil, err
	}
	if out == nil {
		return nil, errArg("%s is NULL", name)
	}
	return hd, nil
}

//export mcp_oauth_new
func mcp_oauth_new(configJSON *C.cchar_t, out **C.mcp_oauth, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	clearOut(outErr)
	if out == nil {
		return fail(outErr, errArg("out is NULL"))
	}
	*out = nil
	js, err := goString(configJSON, "config_json")
	if err != nil {
		return fail(outErr, err)
	}
	p, err := handleFromJSON([]byte(js))
	if err != nil {
		return fail(outErr, err)
	}
	*out = (*C.mcp_oauth)(p)
	return statusOK
}

//export mcp_oauth_free
func mcp_oauth_free(h *C.mcp_oauth) (rc C.int) {
	defer guard(&rc, nil)
	if h == nil {
		return statusOK
	}
	if !free[*handle](unsafe.Pointer(h)) {
		return fail(nil, core.ErrBadHandle)
	}
	return statusOK
}

//export mcp_oauth_get_token
func mcp_oauth_get_token(h *C.mcp_oauth, outToken **C.char, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	hd, err := enter(h, outErr, outToken, "out_token")
	if err != nil {
		return fail(outErr, err)
	}
	ctx := hd.calls.context()
	snap, err := hd.mgr.Token(ctx)
	if err != nil {
		return fail(outErr, outcome(ctx, err))
	}
	*outToken = C.CString(snap.AccessToken)
	return statusOK
}

//export mcp_oauth_get_token_json
func mcp_oauth_get_token_json(h *C.mcp_oauth, outJSON **C.char, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	hd, err := enter(h, outErr, outJSON, "out_json")
	if err != nil {
		return fail(outErr, err)
	}
	ctx := hd.calls.context()
	snap, err := hd.mgr.Token(ctx)
	if err != nil {
		return fail(outErr, outcome(ctx, err))
	}
	*outJSON = C.CString(tokenJSON(snap))
	return statusOK
}

//export mcp_oauth_generation_ptr
func mcp_oauth_generation_ptr(h *C.mcp_oauth, out **C.cvu32_t) (rc C.int) {
	defer guard(&rc, nil)
	if out != nil {
		*out = nil
	}
	hd, ok := lookup[*handle](unsafe.Pointer(h))
	if !ok {
		return fail(nil, core.ErrBadHandle)
	}
	if out == nil {
		return fail(nil, errArg("out is NULL"))
	}
	*out = (*C.cvu32_t)(hd.gen)
	return statusOK
}

//export mcp_oauth_invalidate
func mcp_oauth_invalidate(h *C.mcp_oauth, token *C.cchar_t) (rc C.int) {
	defer guard(&rc, nil)
	hd, ok := lookup[*handle](unsafe.Pointer(h))
	if !ok {
		return fail(nil, core.ErrBadHandle)
	}
	tok, err := goString(token, "token")
	if err != nil {
		return fail(nil, err)
	}
	hd.mgr.Invalidate(tok)
	return statusOK
}

//export mcp_oauth_authorize_begin
func mcp_oauth_authorize_begin(h *C.mcp_oauth, redirectURI *C.cchar_t, outURL **C.char, outState **C.char, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	clearOut(outState)
	hd, err := enter(h, outErr, outURL, "out_url")
	if err != nil {
		return fail(outErr, err)
	}
	var redirect string
	if redirectURI != nil {
		if redirect, err = goString(redirectURI, "redirect_uri"); err != nil {
			return fail(outErr, err)
		}
	}
	ctx := hd.calls.context()
	req, err := hd.mgr.BeginAuthorization(ctx, redirect)
	if err != nil {
		return fail(outErr, outcome(ctx, err))
	}
	*outURL = C.CString(req.URL)
	if outState != nil {
		*outState = C.CString(req.State)
	}
	return statusOK
}

//export mcp_oauth_authorize_complete
func mcp_oauth_authorize_complete(h *C.mcp_oauth, redirectURL *C.cchar_t, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	clearOut(outErr)
	hd, err := handleOf(h)
	if err != nil {
		return fail(outErr, err)
	}
	u, err := goString(redirectURL, "redirect_url")
	if err != nil {
		return fail(outErr, err)
	}
	ctx := hd.calls.context()
	if _, err := hd.mgr.CompleteAuthorization(ctx, u); err != nil {
		return fail(outErr, outcome(ctx, err))
	}
	return statusOK
}

//export mcp_pkce_verifier
func mcp_pkce_verifier(out **C.char) (rc C.int) {
	defer guard(&rc, nil)
	if out == nil {
		return fail(nil, errArg("out is NULL"))
	}
	*out = C.CString(core.GenerateCodeVerifier())
	return statusOK
}

//export mcp_pkce_challenge
func mcp_pkce_challenge(verifier *C.cchar_t, out **C.char) (rc C.int) {
	defer guard(&rc, nil)
	clearOut(out)
	if out == nil {
		return fail(nil, errArg("out is NULL"))
	}
	v, err := goString(verifier, "verifier")
	if err != nil {
		return fail(nil, err)
	}
	ch, err := core.GenerateCodeChallenge(v)
	if err != nil {
		return fail(nil, err)
	}
	*out = C.CString(ch)
	return statusOK
}

//export mcp_oauth_authorize_interactive
func mcp_oauth_authorize_interactive(h *C.mcp_oauth, openCommand *C.cchar_t, timeoutSeconds C.double, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	clearOut(outErr)
	return authorizeInteractive(h, func() (func(string) error, error) { return opener(openCommand) }, timeoutSeconds, outErr)
}

// authorizeInteractive runs core's interactive login on h, showing the URL
// with the open function that makeOpen returns (checked after the handle).
func authorizeInteractive(h *C.mcp_oauth, makeOpen func() (func(string) error, error), timeoutSeconds C.double, outErr **C.char) C.int {
	hd, err := handleOf(h)
	if err != nil {
		return fail(outErr, err)
	}
	open, err := makeOpen()
	if err != nil {
		return fail(outErr, err)
	}
	timeout, err := timeoutArg(float64(timeoutSeconds), core.DefaultInteractiveTimeout)
	if err != nil {
		return fail(outErr, err)
	}
	ctx := hd.calls.context()
	if err := hd.mgr.AuthorizeInteractively(ctx, open, timeout); err != nil {
		return fail(outErr, outcome(ctx, err))
	}
	return statusOK
}

// The programs core starts (an open_command) get the host's environment as
// it is when each starts.
func init() { core.SetEnviron(hostEnviron) }

// opener is core's way of showing the authorization URL for an
// open_command argument (NULL: printed to stderr).
func opener(openCommand *C.cchar_t) (func(string) error, error) {
	var program string
	if openCommand != nil {
		var err error
		if program, err = goString(openCommand, "open_command"); err != nil {
			return nil, err
		}
	}
	return core.URLOpener(program, os.Stderr), nil
}
