package main

/*
#include <stdint.h>
#include <stdlib.h>
typedef const char cchar_t;
typedef struct mcp_client mcp_client;
typedef struct mcp_elicitation mcp_elicitation;
typedef void (*mcp_elicitation_fn)(void *userdata, mcp_elicitation *request, const char *request_json);

// cgo cannot call a C function pointer: this does.
static void call_elicitation_fn(mcp_elicitation_fn fn, void *userdata, uintptr_t id, const char *json) {
	fn(userdata, (mcp_elicitation *)id, json);
}
*/
import "C"

import (
	"bytes"
	"context"
	"encoding/json"
	"sync"
	"unsafe"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
	"github.com/mcp-oauth-client/mcp-oauth-client/core/mcpclient"
)

// An elicitation request handed to a C callback is an id in this table
// until it is answered with mcp_client_elicitation_reply or the MCP request that
// led to it ends. The mcp_elicitation* the caller sees is the id itself
// (never dereferenced): ids are never reused, so a late or second reply
// finds nothing and gets MCP_OAUTH_E_BAD_HANDLE.
var elicitations = struct {
	sync.Mutex
	next    uintptr
	pending map[uintptr]chan mcpclient.ElicitResponse
}{pending: map[uintptr]chan mcpclient.ElicitResponse{}}

func addElicitation() (uintptr, chan mcpclient.ElicitResponse) {
	elicitations.Lock()
	defer elicitations.Unlock()
	elicitations.next++
	ch := make(chan mcpclient.ElicitResponse, 1)
	elicitations.pending[elicitations.next] = ch
	return elicitations.next, ch
}

// takeElicitation removes a pending request and returns its channel.
func takeElicitation(id uintptr) (chan mcpclient.ElicitResponse, bool) {
	elicitations.Lock()
	defer elicitations.Unlock()
	ch, ok := elicitations.pending[id]
	delete(elicitations.pending, id)
	return ch, ok
}

// cElicitationHandler calls fn for each request and waits for its reply.
func cElicitationHandler(fn C.mcp_elicitation_fn, userdata unsafe.Pointer) mcpclient.ElicitationHandler {
	return func(ctx context.Context, req mcpclient.ElicitRequest) (mcpclient.ElicitResponse, error) {
		js, err := json.Marshal(req)
		if err != nil {
			return mcpclient.ElicitResponse{}, err
		}
		id, ch := addElicitation()
		defer takeElicitation(id)
		cjs := C.CString(string(js))
		C.call_elicitation_fn(fn, userdata, C.uintptr_t(id), cjs)
		C.free(unsafe.Pointer(cjs))
		select {
		case r := <-ch:
			return r, nil
		case <-ctx.Done():
			return mcpclient.ElicitResponse{}, ctx.Err()
		}
	}
}

//export mcp_client_set_elicitation_callback
func mcp_client_set_elicitation_callback(c *C.mcp_client, fn C.mcp_elicitation_fn, userdata unsafe.Pointer, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	clearOut(outErr)
	ch, err := clientOf(c)
	if err != nil {
		return fail(outErr, err)
	}
	if fn == nil {
		ch.sess.SetElicitationHandler(nil)
		return statusOK
	}
	ch.sess.SetElicitationHandler(cElicitationHandler(fn, userdata))
	return statusOK
}

//export mcp_client_elicitation_reply
func mcp_client_elicitation_reply(req *C.mcp_elicitation, responseJSON *C.cchar_t, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	clearOut(outErr)
	resp := mcpclient.ElicitResponse{Action: mcpclient.ElicitDecline}
	if responseJSON != nil {
		js, err := goString(responseJSON, "response_json")
		if err != nil {
			return fail(outErr, err)
		}
		dec := json.NewDecoder(bytes.NewReader([]byte(js)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&resp); err != nil {
			return fail(outErr, errArg("response_json is not an elicitation answer: %v", err))
		}
		if err := resp.Check(); err != nil {
			return fail(outErr, errArg("response_json: %v", err))
		}
	}
	ch, ok := takeElicitation(uintptr(unsafe.Pointer(req)))
	if !ok {
		return fail(outErr, core.ErrBadHandle)
	}
	ch <- resp // buffered: the waiting handler may already have given up
	return statusOK
}
