package main

/*
#include <stdlib.h>
typedef struct mcp_oauth mcp_oauth;
typedef struct mcp_client mcp_client;
*/
import "C"

import (
	"context"
	"encoding/json"

	"github.com/mcp-oauth-client/mcp-oauth-client/core/mcpclient"
)

//export mcp_oauth_status
func mcp_oauth_status(h *C.mcp_oauth, outJSON **C.char, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	hd, err := enter(h, outErr, outJSON, "out_json")
	if err != nil {
		return fail(outErr, err)
	}
	js, err := json.Marshal(hd.mgr.Status())
	if err != nil {
		return fail(outErr, err)
	}
	*outJSON = C.CString(string(js))
	return statusOK
}

//export mcp_client_status
func mcp_client_status(c *C.mcp_client, outJSON **C.char, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	return respond(c, outJSON, outErr, func(_ context.Context, s *mcpclient.MCPSession) (json.RawMessage, error) {
		return json.Marshal(s.Status())
	})
}
