package main

/*
#include <stdint.h>
#include <stdlib.h>
typedef const char cchar_t;
typedef struct mcp_client_multi mcp_client_multi;
*/
import "C"

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"unsafe"

	pointer "github.com/mattn/go-pointer"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

func multiOf(m *C.mcp_client_multi) (*multiHandle, error) {
	if h, ok := lookup[*multiHandle](unsafe.Pointer(m)); ok {
		return h, nil
	}
	return nil, errBadHandle
}

// parseServers decodes the servers_json of mcp_client_multi_new strictly:
// an object of server name to core.ServerSpec, no unknown member, nothing
// after it.
func parseServers(p *C.cchar_t) (map[string]core.ServerSpec, error) {
	js, err := goString(p, "servers_json")
	if err != nil {
		return nil, err
	}
	t := bytes.TrimSpace([]byte(js))
	if len(t) == 0 || t[0] != '{' {
		return nil, &core.ConfigError{Field: "servers_json", Reason: "must be a JSON object of server name to server description"}
	}
	dec := json.NewDecoder(bytes.NewReader(t))
	dec.DisallowUnknownFields()
	var specs map[string]core.ServerSpec
	if err := dec.Decode(&specs); err != nil {
		return nil, &core.ConfigError{Field: "servers_json", Reason: err.Error()}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, &core.ConfigError{Field: "servers_json", Reason: "unexpected data after the JSON object"}
	}
	return specs, nil
}

// multiError marks the cause of a server's failure as an MCP error unless it
// already maps to a specific status, keeping the server's name.
func multiError(err error) error {
	var se *core.MultiServerError
	if errors.As(err, &se) {
		return &core.MultiServerError{Server: se.Server, Err: asMCPError(se.Err)}
	}
	return asMCPError(err)
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
	ms, err := core.NewMultiServer(specs)
	if err != nil {
		return fail(outErr, err)
	}
	*out = (*C.mcp_client_multi)(pointer.Save(&multiHandle{ms: ms}))
	return statusOK
}

// respondMulti runs one request on a multi client and stores its JSON
// result in *outJSON.
func respondMulti(m *C.mcp_client_multi, outJSON **C.char, outErr **C.char,
	do func(context.Context, *core.MultiServer) (json.RawMessage, error)) C.int {
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
		return fail(outErr, outcome(ctx, multiError(err)))
	}
	*outJSON = C.CString(string(res))
	return statusOK
}

//export mcp_client_multi_list_tools
func mcp_client_multi_list_tools(m *C.mcp_client_multi, outJSON **C.char, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	clearOut(outErr)
	clearOut(outJSON)
	return respondMulti(m, outJSON, outErr, func(ctx context.Context, ms *core.MultiServer) (json.RawMessage, error) {
		return ms.ListTools(ctx)
	})
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
	return respondMulti(m, outJSON, outErr, func(ctx context.Context, ms *core.MultiServer) (json.RawMessage, error) {
		return ms.CallTool(ctx, srv, tool, args)
	})
}

//export mcp_client_multi_authorize_interactive
func mcp_client_multi_authorize_interactive(m *C.mcp_client_multi, server *C.cchar_t, openCommand *C.cchar_t, timeoutSeconds C.double, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	clearOut(outErr)
	mh, err := multiOf(m)
	if err != nil {
		return fail(outErr, err)
	}
	srv, err := goString(server, "server")
	if err != nil {
		return fail(outErr, err)
	}
	open := printURL
	if openCommand != nil {
		cmd, err := goString(openCommand, "open_command")
		if err != nil {
			return fail(outErr, err)
		}
		open = func(u string) error { return launch(cmd, u) }
	}
	timeout, err := timeoutArg(float64(timeoutSeconds), defaultInteractiveTimeout)
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
		return statusBadHandle
	}
	return statusOK
}
