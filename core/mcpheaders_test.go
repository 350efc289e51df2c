package core

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// recorder is a base RoundTripper that keeps the requests it sends.
type recorder struct {
	mu   sync.Mutex
	reqs []*http.Request
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.reqs = append(r.reqs, req)
	r.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

// mcp_headers go on every request to the MCP server, next to the token,
// and on no request to another origin.
func TestMCPHeadersSentToTheServerOnly(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	m := newManager(t, &Config{ServerURL: srv.StreamableURL(), ClientID: oauthtest.DefaultClientID,
		ClientSecret: oauthtest.DefaultClientSecret, Issuer: srv.AS().URL,
		MCPHeaders: []string{"X-Api-Key: k-123", "x-tenant:  blue "}})
	rec := &recorder{}
	rt, err := NewTransport(m, srv.StreamableURL(), rec)
	require.NoError(t, err)
	client := mcp.NewClient(&mcp.Implementation{Name: "headers-test", Version: "0"}, nil)
	s, err := client.Connect(context.Background(), &mcp.StreamableClientTransport{
		Endpoint: srv.StreamableURL(), HTTPClient: &http.Client{Transport: rt}, DisableStandaloneSSE: true}, nil)
	require.NoError(t, err)
	_, err = s.ListTools(context.Background(), nil)
	require.NoError(t, err)
	require.NoError(t, s.Close())
	// The same transport, asked for another origin: nothing added.
	resp, err := (&http.Client{Transport: rt}).Get(srv.AS().URL + "/.well-known/oauth-authorization-server")
	require.NoError(t, err)
	resp.Body.Close()

	rec.mu.Lock()
	defer rec.mu.Unlock()
	require.GreaterOrEqual(t, len(rec.reqs), 3)
	for _, r := range rec.reqs[:len(rec.reqs)-1] {
		assert.Equal(t, []string{"k-123"}, r.Header.Values("X-Api-Key"), r.Method+" "+r.URL.String())
		assert.Equal(t, []string{"blue"}, r.Header.Values("X-Tenant"))
	}
	other := rec.reqs[len(rec.reqs)-1]
	assert.Empty(t, other.Header.Get("X-Api-Key"))
	assert.Empty(t, other.Header.Get("X-Tenant"))
}

// Headers that carry the authorization, or that the transport or HTTP
// manage, are refused by the configuration, as are malformed lines.
func TestMCPHeadersRefused(t *testing.T) {
	for _, line := range []string{
		"Authorization: Bearer x", "authorization: Basic eA==", "DPoP: x", "Proxy-Authorization: x", "Cookie: a=b",
		"Host: evil.example", "Content-Length: 1", "Mcp-Session-Id: s", "MCP-Protocol-Version: 2025-11-25",
		"Mcp-Param-Region: x", "Accept: */*", "no colon", ": empty name", "Bad Name: x", "X-Split: a\r\nX-Injected: b",
	} {
		quoted, _ := json.Marshal(line)
		_, err := ParseConfig([]byte(`{"client_id":"c","client_secret":"s","token_url":"https://as.example/token","mcp_headers":[` + string(quoted) + `]}`))
		var cfgErr *ConfigError
		require.ErrorAs(t, err, &cfgErr, line)
		assert.Equal(t, "mcp_headers", cfgErr.Field, line)
		if _, v, ok := strings.Cut(line, ":"); ok && len(strings.TrimSpace(v)) > 2 {
			assert.NotContains(t, err.Error(), strings.TrimSpace(v), "a value (maybe a credential) is never quoted")
		}
	}
	// A line without a colon may be all value: not quoted either.
	_, err := ParseConfig([]byte(`{"client_id":"c","client_secret":"s","token_url":"https://as.example/token","mcp_headers":["X-Api-Key k-secret-123"]}`))
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "k-secret-123")
	_, err = ParseConfig([]byte(`{"client_id":"c","client_secret":"s","token_url":"https://as.example/token","mcp_headers":["X-Api-Key: k","X-Trace:"]}`))
	assert.NoError(t, err)
}
