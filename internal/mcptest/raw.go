package mcptest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// RawAnswer writes the whole HTTP response (status, headers, body) to a
// JSON-RPC request with the given id, method and params.
type RawAnswer func(w http.ResponseWriter, id json.RawMessage, method string, params json.RawMessage)

// StartRawT starts a hand-written streamable HTTP MCP server (MCP
// 2025-06-18 "Streamable HTTP") for the attacks the SDK's server would not
// make: escape sequences in its text, endless bodies. It answers initialize
// and notifications itself, takes any or no token, and hands every other
// request to answer. It is closed when the test ends.
func StartRawT(t testing.TB, answer RawAnswer) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		var msg struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
			Params json.RawMessage `json:"params"`
		}
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if json.Unmarshal(body, &msg) != nil || msg.ID == nil {
			w.WriteHeader(http.StatusAccepted) // a notification or a response
			return
		}
		if msg.Method == "initialize" {
			w.Header().Set("Content-Type", "application/json")
			_, _ = fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%s,"result":{"protocolVersion":"2025-06-18",`+
				`"capabilities":{"tools":{}},"serverInfo":{"name":"raw","version":"1"}}}`, msg.ID)
			return
		}
		answer(w, msg.ID, msg.Method, msg.Params)
	}))
	t.Cleanup(srv.Close)
	return srv
}
