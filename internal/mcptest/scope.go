package mcptest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// writeTools are the tools whose calls need ScopeWrite besides ScopeRead.
var writeTools = []string{"write_note"}

// requiredScopes returns the scopes a request needs: ScopeRead, plus
// ScopeWrite for a POST whose JSON-RPC message, or one of whose batched
// messages, is a tools/call of a tool in writeTools. The body is read
// before the transport handler sees it and handed on intact. A body larger
// than the transport accepts yields status 413; a body that is not JSON-RPC
// needs ScopeRead only and is left to the transport to refuse.
//
// Keys are matched case-sensitively, as the go-sdk decodes messages. The
// tool handlers check the scope again, so that no parsing difference can let
// a call through.
func requiredScopes(w http.ResponseWriter, r *http.Request) ([]string, int) {
	read := []string{ScopeRead}
	if r.Method != http.MethodPost || r.Body == nil {
		return read, 0
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, mcp.DefaultMaxRequestBodyBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, http.StatusRequestEntityTooLarge
		}
		return nil, http.StatusBadRequest
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	for _, name := range calledTools(body) {
		if slices.Contains(writeTools, name) {
			return []string{ScopeRead, ScopeWrite}, 0
		}
	}
	return read, 0
}

// calledTools returns the names of the tools called by a JSON-RPC message
// or batch (MCP "tools/call").
func calledTools(body []byte) []string {
	var batch []json.RawMessage
	if err := json.Unmarshal(body, &batch); err != nil {
		batch = []json.RawMessage{body}
	}
	var names []string
	for _, raw := range batch {
		var msg map[string]json.RawMessage
		var method, name string
		if json.Unmarshal(raw, &msg) != nil || json.Unmarshal(msg["method"], &method) != nil || method != "tools/call" {
			continue
		}
		var params map[string]json.RawMessage
		if json.Unmarshal(msg["params"], &params) == nil && json.Unmarshal(params["name"], &name) == nil {
			names = append(names, name)
		}
	}
	return names
}
