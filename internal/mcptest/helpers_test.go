package mcptest

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// ccConfig is the client_credentials configuration of the default
// confidential client for scope and, when not empty, resource.
func ccConfig(s *Server, scope, resource string) *clientcredentials.Config {
	cfg := &clientcredentials.Config{
		ClientID:     oauthtest.DefaultClientID,
		ClientSecret: oauthtest.DefaultClientSecret,
		TokenURL:     s.AS().TokenURL(),
		Scopes:       strings.Fields(scope),
	}
	if resource != "" {
		cfg.EndpointParams = url.Values{"resource": {resource}}
	}
	return cfg
}

// accessToken obtains an access token from the authorization server.
func accessToken(t *testing.T, s *Server, scope, resource string) string {
	t.Helper()
	tok, err := ccConfig(s, scope, resource).Token(t.Context())
	require.NoError(t, err)
	return tok.AccessToken
}

// bearerTransport adds a fixed bearer token to every request.
type bearerTransport string

func (b bearerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+string(b))
	return http.DefaultTransport.RoundTrip(r)
}

// transports names the two MCP transports and builds a client transport
// for each.
var transports = []struct {
	name string
	url  func(*Server) string
	make func(endpoint string, c *http.Client) mcp.Transport
}{
	{"streamable", (*Server).StreamableURL, func(e string, c *http.Client) mcp.Transport {
		return &mcp.StreamableClientTransport{Endpoint: e, HTTPClient: c, MaxRetries: -1}
	}},
	{"sse", (*Server).SSEURL, func(e string, c *http.Client) mcp.Transport {
		return &mcp.SSEClientTransport{Endpoint: e, HTTPClient: c}
	}},
}

// connect opens an MCP session with the go-sdk client, closed at the end
// of the test. The HTTP+SSE transport keeps the context of Connect for its
// event stream, so it must outlive the call.
func connect(t *testing.T, tr mcp.Transport) (*mcp.ClientSession, error) {
	t.Helper()
	client := mcp.NewClient(&mcp.Implementation{Name: "mcptest-client", Version: "1"}, nil)
	cs, err := client.Connect(t.Context(), tr, nil)
	if err == nil {
		t.Cleanup(func() { _ = cs.Close() })
	}
	return cs, err
}

// callTool calls a tool and returns its result.
func callTool(t *testing.T, cs *mcp.ClientSession, name string, args any) (*mcp.CallToolResult, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	return cs.CallTool(ctx, &mcp.CallToolParams{Name: name, Arguments: args})
}

// text returns the text of the only content of a tool result.
func text(t *testing.T, res *mcp.CallToolResult) string {
	t.Helper()
	require.Len(t, res.Content, 1)
	tc, ok := res.Content[0].(*mcp.TextContent)
	require.True(t, ok, "%T", res.Content[0])
	return tc.Text
}

// rawRequest sends a request with an optional bearer token and returns the
// response, whose body is closed at the end of the test.
func rawRequest(t *testing.T, method, url, token, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// toolCall is the JSON-RPC body of a tools/call request.
func toolCall(name string) string {
	b, _ := json.Marshal(map[string]any{
		"jsonrpc": "2.0", "id": 1, "method": "tools/call",
		"params": map[string]any{"name": name, "arguments": map[string]any{"text": "x"}},
	})
	return string(b)
}

// getJSON fetches a JSON document and returns the status and the document.
func getJSON(t *testing.T, url string) (int, map[string]any) {
	t.Helper()
	resp := rawRequest(t, http.MethodGet, url, "", "")
	var doc map[string]any
	if resp.StatusCode == http.StatusOK {
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&doc))
	}
	return resp.StatusCode, doc
}

// asWithIssuerPath returns authorization server options with an issuer
// path.
func asWithIssuerPath(path string) oauthtest.Options {
	return oauthtest.Options{IssuerPath: path}
}
