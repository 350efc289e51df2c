package main

/*
#include <stdlib.h>
typedef struct mcp_oauth mcp_oauth;
typedef struct mcp_client mcp_client;
*/
import "C"

import (
	"encoding/json"
)

// statusJSON stores v's JSON in *outJSON.
func statusJSON(v any, outJSON **C.char, outErr **C.char) C.int {
	js, err := json.Marshal(v)
	if err != nil {
		return fail(outErr, err)
	}
	*outJSON = C.CString(string(js))
	return statusOK
}

//export mcp_oauth_status
func mcp_oauth_status(h *C.mcp_oauth, outJSON **C.char, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	clearOut(outErr)
	clearOut(outJSON)
	hd, err := handleOf(h)
	if err != nil {
		return fail(outErr, err)
	}
	if outJSON == nil {
		return fail(outErr, errArg("out_json is NULL"))
	}
	return statusJSON(hd.mgr.Status(), outJSON, outErr)
}

//export mcp_client_status
func mcp_client_status(c *C.mcp_client, outJSON **C.char, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	clearOut(outErr)
	clearOut(outJSON)
	ch, err := clientOf(c)
	if err != nil {
		return fail(outErr, err)
	}
	if outJSON == nil {
		return fail(outErr, errArg("out_json is NULL"))
	}
	return statusJSON(ch.sess.Status(), outJSON, outErr)
}
