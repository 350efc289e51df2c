package main

/*
#include <stdint.h>
#include <stdlib.h>
typedef const char cchar_t;
typedef struct mcp_oauth mcp_oauth;
typedef struct mcp_client mcp_client;
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

// parseClientOptions copies and decodes options_json
// (mcpclient.ParseConnectOptions); NULL means the defaults.
func parseClientOptions(p *C.cchar_t) (mcpclient.ConnectOptions, error) {
	if p == nil {
		return mcpclient.ConnectOptions{}, nil
	}
	js, err := goString(p, "options_json")
	if err != nil {
		return mcpclient.ConnectOptions{}, err
	}
	return mcpclient.ParseConnectOptions([]byte(js))
}

func clientOf(c *C.mcp_client) (*clientHandle, error) {
	if h, ok := lookup[*clientHandle](unsafe.Pointer(c)); ok {
		return h, nil
	}
	return nil, core.ErrBadHandle
}

//export mcp_client_connect
func mcp_client_connect(auth *C.mcp_oauth, serverURL *C.cchar_t, optionsJSON *C.cchar_t, out **C.mcp_client, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	clearOut(outErr)
	if out != nil {
		*out = nil
	}
	hd, err := handleOf(auth)
	if err != nil {
		return fail(outErr, err)
	}
	if out == nil {
		return fail(outErr, errArg("out is NULL"))
	}
	u, err := goString(serverURL, "server_url")
	if err != nil {
		return fail(outErr, err)
	}
	opts, err := parseClientOptions(optionsJSON)
	if err != nil {
		return fail(outErr, err)
	}
	base := hd.calls.context() // mcp_oauth_cancel(auth) ends the connect
	ctx, cancel := context.WithTimeout(base, opts.Timeout())
	defer cancel()
	sess, err := mcpclient.ConnectMCP(ctx, hd.mgr, u, opts)
	if err != nil {
		return fail(outErr, outcome(base, err))
	}
	*out = (*C.mcp_client)(pointer.Save(&clientHandle{sess: sess, timeout: opts.Timeout()}))
	return statusOK
}

// respond runs one MCP request and stores its JSON result in *outJSON.
func respond(c *C.mcp_client, outJSON **C.char, outErr **C.char,
	do func(context.Context, *mcpclient.MCPSession) (json.RawMessage, error)) C.int {
	clearOut(outErr)
	clearOut(outJSON)
	ch, err := clientOf(c)
	if err != nil {
		return fail(outErr, err)
	}
	if outJSON == nil {
		return fail(outErr, errArg("out_json is NULL"))
	}
	base := ch.calls.context()
	ctx, cancel := context.WithTimeout(base, ch.timeout)
	defer cancel()
	res, err := do(ctx, ch.sess)
	if err != nil {
		return fail(outErr, outcome(base, err))
	}
	*outJSON = C.CString(string(res))
	return statusOK
}

//export mcp_client_list_tools
func mcp_client_list_tools(c *C.mcp_client, outJSON **C.char, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	return respond(c, outJSON, outErr, func(ctx context.Context, s *mcpclient.MCPSession) (json.RawMessage, error) {
		return s.ListTools(ctx)
	})
}

//export mcp_client_call_tool
func mcp_client_call_tool(c *C.mcp_client, name *C.cchar_t, argumentsJSON *C.cchar_t, outJSON **C.char, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	tool, err := goString(name, "name")
	if err != nil {
		clearOut(outJSON)
		return fail(outErr, err)
	}
	args, err := optionalJSON(argumentsJSON, "arguments_json")
	if err != nil {
		clearOut(outJSON)
		return fail(outErr, err)
	}
	return respond(c, outJSON, outErr, func(ctx context.Context, s *mcpclient.MCPSession) (json.RawMessage, error) {
		return s.CallTool(ctx, tool, args)
	})
}

//export mcp_client_request
func mcp_client_request(c *C.mcp_client, method *C.cchar_t, paramsJSON *C.cchar_t, outJSON **C.char, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	m, err := goString(method, "method")
	if err != nil {
		clearOut(outJSON)
		return fail(outErr, err)
	}
	params, err := optionalJSON(paramsJSON, "params_json")
	if err != nil {
		clearOut(outJSON)
		return fail(outErr, err)
	}
	return respond(c, outJSON, outErr, func(ctx context.Context, s *mcpclient.MCPSession) (json.RawMessage, error) {
		return s.Request(ctx, m, params)
	})
}

//export mcp_client_close
func mcp_client_close(c *C.mcp_client) (rc C.int) {
	defer guard(&rc, nil)
	if c == nil {
		return statusOK
	}
	if !free[*clientHandle](unsafe.Pointer(c)) {
		return fail(nil, core.ErrBadHandle)
	}
	return statusOK
}

// optionalJSON copies a nullable JSON argument, which must be valid JSON.
func optionalJSON(p *C.cchar_t, name string) (json.RawMessage, error) {
	if p == nil {
		return nil, nil
	}
	s, err := goString(p, name)
	if err != nil {
		return nil, err
	}
	if !json.Valid([]byte(s)) {
		return nil, errArg("%s is not valid JSON", name)
	}
	return json.RawMessage(s), nil
}
