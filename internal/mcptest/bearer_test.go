package mcptest

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestChallenges(t *testing.T) {
	s := StartT(t, Options{})
	mcpURL, sseURL := s.StreamableURL(), s.SSEURL()
	mcpPRM := `resource_metadata="` + s.URL + `/.well-known/oauth-protected-resource/mcp"`
	ssePRM := `resource_metadata="` + s.URL + `/.well-known/oauth-protected-resource/sse"`

	readMCP := accessToken(t, s, "mcp:read", mcpURL)
	readSSE := accessToken(t, s, "mcp:read", sseURL)
	origin := accessToken(t, s, "mcp:read", s.URL)
	upperOrigin := accessToken(t, s, "mcp:read", strings.Replace(s.URL, "http://127.0.0.1", "HTTP://127.0.0.1", 1)+"/")
	noResource := accessToken(t, s, "mcp:read", "")
	otherResource := accessToken(t, s, "mcp:read", "https://other.example/mcp")
	unscoped := accessToken(t, s, "", mcpURL)
	s.AS().SetTokenLifetime(time.Millisecond)
	expired := accessToken(t, s, "mcp:read", mcpURL)
	s.AS().SetTokenLifetime(0)
	time.Sleep(5 * time.Millisecond)

	const initialize = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}`
	tests := []struct {
		name          string
		method, url   string
		token, body   string
		wantStatus    int // 0: passed on to the transport
		wantChallenge string
	}{
		{"no token", "POST", mcpURL, "", initialize, 401, `Bearer ` + mcpPRM + `, scope="mcp:read"`},
		{"no token, SSE stream", "GET", sseURL, "", "", 401, `Bearer ` + ssePRM + `, scope="mcp:read"`},
		{"unknown token", "POST", mcpURL, "at_unknown", initialize, 401, `Bearer error="invalid_token", ` + mcpPRM + `, scope="mcp:read"`},
		{"expired token", "POST", mcpURL, expired, initialize, 401, `Bearer error="invalid_token", ` + mcpPRM + `, scope="mcp:read"`},
		{"token for another server", "POST", mcpURL, otherResource, initialize, 401, `Bearer error="invalid_token", ` + mcpPRM + `, scope="mcp:read"`},
		{"token for the SSE endpoint", "POST", mcpURL, readSSE, initialize, 401, `Bearer error="invalid_token", ` + mcpPRM + `, scope="mcp:read"`},
		{"token without scope", "POST", mcpURL, unscoped, initialize, 403, `Bearer error="insufficient_scope", scope="mcp:read", ` + mcpPRM},
		{"write_note with read scope", "POST", mcpURL, readMCP, toolCall("write_note"), 403, `Bearer error="insufficient_scope", scope="mcp:read mcp:write", ` + mcpPRM},
		{"batched write_note", "POST", mcpURL, readMCP, "[" + toolCall("echo") + "," + toolCall("write_note") + "]", 403, `Bearer error="insufficient_scope", scope="mcp:read mcp:write", ` + mcpPRM},
		{"write_note over SSE", "POST", sseURL + "?sessionid=x", readSSE, toolCall("write_note"), 403, `Bearer error="insufficient_scope", scope="mcp:read mcp:write", ` + ssePRM},
		{"token in query", "POST", mcpURL + "?access_token=" + readMCP, "", initialize, 400, `Bearer error="invalid_request", ` + mcpPRM},
		{"echo with read scope", "POST", mcpURL, readMCP, toolCall("echo"), 0, ""},
		{"origin audience", "POST", mcpURL, origin, initialize, 0, ""},
		{"upper-case origin audience", "POST", sseURL + "?sessionid=x", upperOrigin, initialize, 0, ""},
		{"no audience", "POST", mcpURL, noResource, initialize, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := rawRequest(t, tt.method, tt.url, tt.token, tt.body)
			if tt.wantStatus == 0 {
				assert.NotContains(t, []int{400, 401, 403}, resp.StatusCode)
				assert.Empty(t, resp.Header.Get("WWW-Authenticate"))
				return
			}
			assert.Equal(t, tt.wantStatus, resp.StatusCode)
			assert.Equal(t, tt.wantChallenge, resp.Header.Get("WWW-Authenticate"))
			assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
		})
	}
}

func TestChallengeOptions(t *testing.T) {
	tests := []struct {
		name             string
		opts             Options
		want401, want403 string // with {prm} for the metadata URL
	}{
		{"default", Options{}, `Bearer resource_metadata="{prm}", scope="mcp:read"`, `Bearer error="insufficient_scope", scope="mcp:read mcp:write", resource_metadata="{prm}"`},
		{"no PRM", Options{NoPRM: true}, `Bearer scope="mcp:read"`, `Bearer error="insufficient_scope", scope="mcp:read mcp:write"`},
		{"omit resource_metadata", Options{OmitResourceMetadata: true}, `Bearer scope="mcp:read"`, `Bearer error="insufficient_scope", scope="mcp:read mcp:write"`},
		{"omit scope", Options{OmitChallengeScope: true}, `Bearer resource_metadata="{prm}"`, `Bearer error="insufficient_scope", scope="mcp:read mcp:write", resource_metadata="{prm}"`},
		{"bare", Options{NoPRM: true, OmitChallengeScope: true}, `Bearer`, `Bearer error="insufficient_scope", scope="mcp:read mcp:write"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := StartT(t, tt.opts)
			prm := s.URL + "/.well-known/oauth-protected-resource/mcp"
			resp := rawRequest(t, http.MethodPost, s.StreamableURL(), "", toolCall("echo"))
			assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
			assert.Equal(t, strings.ReplaceAll(tt.want401, "{prm}", prm), resp.Header.Get("WWW-Authenticate"))

			read := accessToken(t, s, "mcp:read", s.StreamableURL())
			resp = rawRequest(t, http.MethodPost, s.StreamableURL(), read, toolCall("write_note"))
			assert.Equal(t, http.StatusForbidden, resp.StatusCode)
			assert.Equal(t, strings.ReplaceAll(tt.want403, "{prm}", prm), resp.Header.Get("WWW-Authenticate"))
		})
	}
}

func TestRequireResource(t *testing.T) {
	s := StartT(t, Options{RequireResource: true})
	resp := rawRequest(t, http.MethodPost, s.StreamableURL(), accessToken(t, s, "mcp:read", ""), toolCall("echo"))
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("WWW-Authenticate"), `error="invalid_token"`)
	resp = rawRequest(t, http.MethodPost, s.StreamableURL(), accessToken(t, s, "mcp:read", s.StreamableURL()), toolCall("echo"))
	assert.NotEqual(t, http.StatusUnauthorized, resp.StatusCode)
}

func TestRevokedTokenIsRefused(t *testing.T) {
	s := StartT(t, Options{})
	tok := accessToken(t, s, "mcp:read", s.StreamableURL())
	s.AS().RevokeAccessTokens()
	resp := rawRequest(t, http.MethodPost, s.StreamableURL(), tok, toolCall("echo"))
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
}

func TestTooLargeBody(t *testing.T) {
	s := StartT(t, Options{})
	tok := accessToken(t, s, "mcp:read", "")
	resp := rawRequest(t, http.MethodPost, s.StreamableURL(), tok, `{"pad":"`+strings.Repeat("x", 5<<20)+`"}`)
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
}

func TestCalledTools(t *testing.T) {
	tests := []struct {
		body string
		want []string
	}{
		{toolCall("write_note"), []string{"write_note"}},
		{"[" + toolCall("echo") + "," + toolCall("add") + "]", []string{"echo", "add"}},
		{`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`, nil},
		{`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"Name":"write_note"}}`, nil}, // the go-sdk matches keys exactly
		{`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":[]}`, nil},
		{`not json`, nil},
		{``, nil},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, calledTools([]byte(tt.body)), tt.body)
	}
}

func TestCounts(t *testing.T) {
	s := StartT(t, Options{})
	rawRequest(t, http.MethodPost, s.StreamableURL(), "", toolCall("echo"))
	rawRequest(t, http.MethodPost, s.StreamableURL(), accessToken(t, s, "mcp:read", ""), toolCall("write_note"))
	getJSON(t, s.URL+"/.well-known/oauth-protected-resource")
	status, doc := getJSON(t, s.URL+"/_test/mcp_counts")
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, map[string]any{"requests": 2.0, "unauthorized": 1.0, "forbidden": 1.0, "metadata": 1.0, "dpop_requests": 0.0, "tool_calls": map[string]any{}}, doc)
	s.ResetCounts()
	assert.Equal(t, Counts{ToolCalls: map[string]int{}}, s.Counts())
}
