package main

/*
#include <stdint.h>
#include <stdlib.h>
typedef const char cchar_t;
typedef struct mcp_client_multi mcp_client_multi;
typedef struct mcp_client mcp_client;
typedef struct mcp_oauth mcp_oauth;
*/
import "C"

import (
	"context"
	"encoding/json"
	"unsafe"

	pointer "github.com/mattn/go-pointer"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
	"github.com/mcp-oauth-client/mcp-oauth-client/core/mcpclient"
)

func multiOf(m *C.mcp_client_multi) (*multiHandle, error) {
	if h, ok := lookup[*multiHandle](unsafe.Pointer(m)); ok {
		return h, nil
	}
	return nil, core.ErrBadHandle
}

// multiServer resolves a multi handle and a server name argument.
func multiServer(m *C.mcp_client_multi, server *C.cchar_t) (*multiHandle, string, error) {
	mh, err := multiOf(m)
	if err != nil {
		return nil, "", err
	}
	srv, err := goString(server, "server")
	if err != nil {
		return nil, "", err
	}
	return mh, srv, nil
}

// parseServers copies and decodes servers_json (mcpclient.ParseServers).
func parseServers(p *C.cchar_t) (map[string]mcpclient.ServerSpec, error) {
	js, err := goString(p, "servers_json")
	if err != nil {
		return nil, err
	}
	return mcpclient.ParseServers([]byte(js))
}

//export mcp_client_multi_new
func mcp_client_multi_new(serversJSON *C.cchar_t, out **C.mcp_client_multi, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	clearOut(outErr)
	if out == nil {
		return fail(outErr, errArg("out is NULL"))
	}
	*out = nil
	specs, err := parseServers(serversJSON)
	if err != nil {
		return fail(outErr, err)
	}
	ms, err := mcpclient.NewMultiServer(specs)
	if err != nil {
		return fail(outErr, err)
	}
	*out = (*C.mcp_client_multi)(pointer.Save(&multiHandle{ms: ms}))
	return statusOK
}

// respondMulti runs one request on a multi client and stores its JSON
// result in *outJSON.
func respondMulti(m *C.mcp_client_multi, outJSON **C.char, outErr **C.char,
	do func(context.Context, *mcpclient.MultiServer) (json.RawMessage, error)) C.int {
	mh, err := multiOf(m)
	if err != nil {
		return fail(outErr, err)
	}
	if outJSON == nil {
		return fail(outErr, errArg("out_json is NULL"))
	}
	ctx := mh.calls.context()
	res, err := do(ctx, mh.ms)
	if err != nil {
		return fail(outErr, outcome(ctx, err))
	}
	*outJSON = C.CString(string(res))
	return statusOK
}

//export mcp_client_multi_list_tools
func mcp_client_multi_list_tools(m *C.mcp_client_multi, outJSON **C.char, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	clearOut(outErr)
	clearOut(outJSON)
	return respondMulti(m, outJSON, outErr, func(ctx context.Context, ms *mcpclient.MultiServer) (json.RawMessage, error) {
		return ms.ListTools(ctx)
	})
}

//export mcp_client_multi_list_server_tools
func mcp_client_multi_list_server_tools(m *C.mcp_client_multi, server *C.cchar_t, outJSON **C.char, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	clearOut(outErr)
	clearOut(outJSON)
	srv, err := goString(server, "server")
	if err != nil {
		return fail(outErr, err)
	}
	return respondMulti(m, outJSON, outErr, func(ctx context.Context, ms *mcpclient.MultiServer) (json.RawMessage, error) {
		return ms.ListTools(ctx, srv)
	})
}

//export mcp_client_multi_set_auth
func mcp_client_multi_set_auth(m *C.mcp_client_multi, server *C.cchar_t, auth *C.mcp_oauth, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	clearOut(outErr)
	mh, srv, err := multiServer(m, server)
	if err != nil {
		return fail(outErr, err)
	}
	hd, err := handleOf(auth)
	if err != nil {
		return fail(outErr, err)
	}
	if err := mh.ms.UseManager(srv, hd.mgr); err != nil {
		return fail(outErr, err)
	}
	return statusOK
}

//export mcp_client_multi_session
func mcp_client_multi_session(m *C.mcp_client_multi, server *C.cchar_t, out **C.mcp_client, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	clearOut(outErr)
	if out != nil {
		*out = nil
	}
	mh, err := multiOf(m)
	if err != nil {
		return fail(outErr, err)
	}
	if out == nil {
		return fail(outErr, errArg("out is NULL"))
	}
	srv, err := goString(server, "server")
	if err != nil {
		return fail(outErr, err)
	}
	ctx := mh.calls.context() // mcp_client_multi_cancel(m) ends the connect
	sess, timeout, err := mh.ms.Session(ctx, srv)
	if err != nil {
		return fail(outErr, outcome(ctx, err))
	}
	*out = (*C.mcp_client)(pointer.Save(&clientHandle{sess: sess, timeout: timeout, borrowed: true}))
	return statusOK
}

//export mcp_client_multi_call_tool
func mcp_client_multi_call_tool(m *C.mcp_client_multi, server *C.cchar_t, name *C.cchar_t, argumentsJSON *C.cchar_t, outJSON **C.char, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	clearOut(outErr)
	clearOut(outJSON)
	if _, err := multiOf(m); err != nil {
		return fail(outErr, err)
	}
	srv, err := goString(server, "server")
	if err != nil {
		return fail(outErr, err)
	}
	tool, err := goString(name, "name")
	if err != nil {
		return fail(outErr, err)
	}
	args, err := optionalJSON(argumentsJSON, "arguments_json")
	if err != nil {
		return fail(outErr, err)
	}
	return respondMulti(m, outJSON, outErr, func(ctx context.Context, ms *mcpclient.MultiServer) (json.RawMessage, error) {
		return ms.CallTool(ctx, srv, tool, args)
	})
}

//export mcp_client_multi_authorize_interactive
func mcp_client_multi_authorize_interactive(m *C.mcp_client_multi, server *C.cchar_t, openCommand *C.cchar_t, timeoutSeconds C.double, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	clearOut(outErr)
	mh, srv, err := multiServer(m, server)
	if err != nil {
		return fail(outErr, err)
	}
	open, err := opener(openCommand)
	if err != nil {
		return fail(outErr, err)
	}
	timeout, err := timeoutArg(float64(timeoutSeconds), core.DefaultInteractiveTimeout)
	if err != nil {
		return fail(outErr, err)
	}
	ctx := mh.calls.context()
	if err := mh.ms.AuthorizeInteractively(ctx, srv, open, timeout); err != nil {
		return fail(outErr, outcome(ctx, err))
	}
	return statusOK
}

//export mcp_client_multi_free
func mcp_client_multi_free(m *C.mcp_client_multi) (rc C.int) {
	defer guard(&rc, nil)
	if m == nil {
		return statusOK
	}
	if !free[*multiHandle](unsafe.Pointer(m)) {
		return fail(nil, core.ErrBadHandle)
	}
	return statusOK
}
