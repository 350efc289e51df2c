package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
)

// attack retitles the terminal, clears it, writes the clipboard (OSC 52),
// sends a C1 CSI and reverses the text after it.
const attack = "\x1b]0;pwned\x07\x1b[2J\x1b]52;c;cHduZWQ=\x07\u009b2J\u202eevil"

// requireNoEscapes fails when out holds a character core.Printable escapes
// other than line breaks and tabs.
func requireNoEscapes(t *testing.T, what, out string) {
	t.Helper()
	clean := strings.NewReplacer("\n", "", "\t", "").Replace(out)
	require.Equal(t, core.Printable(clean), clean, "%s reaches the terminal raw: %q", what, out)
}

// TestServerTextCannotDriveTheTerminal: what servers write — an OAuth
// error_description, tool names and descriptions, a tool's output and its
// error text, JSON results — is printed with its control characters escaped
// (issue 12 item 5).
func TestServerTextCannotDriveTheTerminal(t *testing.T) {
	text, _ := json.Marshal(attack)
	mcp := mcptest.StartRawT(t, func(w http.ResponseWriter, id json.RawMessage, method string, params json.RawMessage) {
		w.Header().Set("Content-Type", "application/json")
		var result string
		switch method {
		case "tools/list":
			result = fmt.Sprintf(`{"tools":[{"name":%s,"description":%s,"inputSchema":{"type":"object"}}]}`, text, text)
		default: // tools/call: the tool named "fail" fails
			result = fmt.Sprintf(`{"content":[{"type":"text","text":%s}]}`, text)
			if strings.Contains(string(params), `"fail"`) {
				result = fmt.Sprintf(`{"content":[{"type":"text","text":%s}],"isError":true}`, text)
			}
		}
		_, _ = fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%s,"result":%s}`, id, result)
	})
	as := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/bad" {
			w.WriteHeader(http.StatusBadRequest)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_client", "error_description": attack})
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "at-terminal-0123", "token_type": "Bearer", "expires_in": 3600})
	}))
	defer as.Close()

	e := newEnv(t)
	e.vars[envClientSecret] = "terminal-secret"
	flags := []string{"--client-id", "c", "--token-url", as.URL + "/token"}

	r := e.run(append([]string{"token", "--client-id", "c", "--token-url", as.URL + "/bad"}, mcp.URL)...)
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "invalid_client")
	requireNoEscapes(t, "an OAuth error_description", r.stderr)

	r = e.mustRun(append(append([]string{"tools"}, flags...), mcp.URL)...)
	requireNoEscapes(t, "a tool list", r.stdout)
	assert.Contains(t, r.stdout, `\x1b]0;pwned`)

	r = e.mustRun(append(append([]string{"call"}, flags...), mcp.URL, "echo")...)
	requireNoEscapes(t, "a tool's output", r.stdout)
	assert.Contains(t, r.stdout, `\x1b[2J`)

	r = e.mustRun(append(append([]string{"call", "--json"}, flags...), mcp.URL, "echo")...)
	requireNoEscapes(t, "a JSON result", r.stdout)
	var res struct {
		Content []struct{ Text string } `json:"content"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &res), "--json output stays JSON")
	assert.Equal(t, attack, res.Content[0].Text, "and says what the server said")

	r = e.run(append(append([]string{"call"}, flags...), mcp.URL, "fail")...)
	assert.Equal(t, exitMCPError, r.code)
	assert.Contains(t, r.stderr, "tool fail reported an error")
	requireNoEscapes(t, "a tool's error text", r.stderr)
}
