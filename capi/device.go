package main

/*
#include <stdlib.h>
typedef struct mcp_oauth mcp_oauth;
*/
import "C"

import (
	"time"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

//export mcp_oauth_device_begin
func mcp_oauth_device_begin(h *C.mcp_oauth, outJSON **C.char, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	hd, err := enter(h, outErr, outJSON, "out_json")
	if err != nil {
		return fail(outErr, err)
	}
	ctx := hd.calls.context()
	d, err := hd.device.Begin(ctx, hd.mgr)
	if err != nil {
		return fail(outErr, outcome(ctx, err))
	}
	*outJSON = C.CString(string(core.DeviceAuthorizationJSON(d, time.Now())))
	return statusOK
}

//export mcp_oauth_device_complete
func mcp_oauth_device_complete(h *C.mcp_oauth, timeoutSeconds C.int, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	clearOut(outErr)
	hd, err := handleOf(h)
	if err != nil {
		return fail(outErr, err)
	}
	ctx := hd.calls.context()
	err = outcome(ctx, hd.device.Complete(ctx, hd.mgr, time.Duration(timeoutSeconds)*time.Second))
	if err != nil {
		return fail(outErr, err)
	}
	return statusOK
}
