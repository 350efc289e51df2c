package main

/*
typedef const char cchar_t;
typedef struct mcp_client mcp_client;
*/
import "C"

import (
	"context"
	"encoding/json"

	"github.com/mcp-oauth-client/mcp-oauth-client/core/mcpclient"
)

//export mcp_client_list_skills
func mcp_client_list_skills(c *C.mcp_client, outJSON **C.char, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	return respond(c, outJSON, outErr, func(ctx context.Context, s *mcpclient.MCPSession) (json.RawMessage, error) {
		return s.ListSkills(ctx, "")
	})
}

//export mcp_client_load_skill
func mcp_client_load_skill(c *C.mcp_client, uri *C.cchar_t, outJSON **C.char, outErr **C.char) (rc C.int) {
	defer guard(&rc, outErr)
	u, err := goString(uri, "uri")
	if err != nil {
		clearOut(outJSON)
		return fail(outErr, err)
	}
	return respond(c, outJSON, outErr, func(ctx context.Context, s *mcpclient.MCPSession) (json.RawMessage, error) {
		loaded, err := s.LoadSkill(ctx, u)
		if err != nil {
			return nil, err
		}
		return json.Marshal(loaded)
	})
}
