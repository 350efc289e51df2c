package mcpclient

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// echo calls the test server's echo tool and returns its text.
func echo(t *testing.T, s *MCPSession, text string) string {
	t.Helper()
	args, _ := json.Marshal(map[string]string{"text": text})
	raw, err := s.CallTool(context.Background(), "echo", args)
	require.NoError(t, err)
	var res struct {
		Content []struct{ Text string } `json:"content"`
	}
	require.NoError(t, json.Unmarshal(raw, &res))
	require.NotEmpty(t, res.Content)
	return res.Content[0].Text
}

func TestMCPClientCredentialsOverBothTransports(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	for _, tc := range []struct{ name, url, transport string }{
		{"streamable HTTP", srv.StreamableURL(), TransportStreamableHTTP},
		{"SSE", srv.SSEURL(), TransportSSE},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv.AS().ResetCounts()
			m := newManager(t, &core.Config{ServerURL: tc.url, ClientID: oauthtest.DefaultClientID, ClientSecret: oauthtest.DefaultClientSecret,
				Issuer: srv.AS().URL})
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			s, err := ConnectMCP(ctx, m, tc.url, ConnectOptions{Transport: tc.transport})
			cancel() // the handshake's context ends; the session must not
			require.NoError(t, err)
			defer s.Close()
			tools, err := s.ListTools(context.Background())
			require.NoError(t, err)
			assert.Contains(t, string(tools), `"echo"`)
			assert.Equal(t, "hello", echo(t, s, "hello"))
			assert.Equal(t, 1, srv.AS().Counts().Token, "one token for the whole session")
			req := srv.AS().TokenRequests()[0]
			assert.Equal(t, tc.url, req.Form.Get("resource"), "RFC 8707 resource is the MCP server")
			assert.Equal(t, "mcp:read", req.Form.Get("scope"), "scope from the 401 challenge")
		})
	}
}

func TestMCPAuthorizationCodeWithDynamicRegistration(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	m := newManager(t, &core.Config{ServerURL: srv.StreamableURL()})
	_, err := ConnectMCP(context.Background(), m, srv.StreamableURL(), ConnectOptions{})
	require.ErrorIs(t, err, core.ErrAuthorizationRequired)
	assert.Equal(t, 1, srv.AS().Counts().Register, "registered once by DCR")

	req, err := m.BeginAuthorization(context.Background(), "")
	require.NoError(t, err)
	assert.Contains(t, req.URL, "resource=")
	_, err = m.CompleteAuthorization(context.Background(), follow(t, req.URL))
	require.NoError(t, err)

	s, err := ConnectMCP(context.Background(), m, srv.StreamableURL(), ConnectOptions{})
	require.NoError(t, err)
	defer s.Close()
	assert.Equal(t, "hi", echo(t, s, "hi"))
}

func TestMCPStepUpWidensTheScope(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	m := newManager(t, &core.Config{ServerURL: srv.StreamableURL(), ClientID: oauthtest.DefaultClientID, ClientSecret: oauthtest.DefaultClientSecret,
		Issuer: srv.AS().URL})
	s, err := ConnectMCP(context.Background(), m, srv.StreamableURL(), ConnectOptions{})
	require.NoError(t, err)
	defer s.Close()
	_, err = s.CallTool(context.Background(), "write_note", json.RawMessage(`{"text":"x"}`))
	require.NoError(t, err, "403 insufficient_scope, then a token with mcp:read mcp:write")
	reqs := srv.AS().TokenRequests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "mcp:read mcp:write", reqs[1].Form.Get("scope"))
}

func TestMCPResourceMismatchStopsBeforeAuthorization(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{PRMResource: "https://other.example/mcp"})
	m := newManager(t, &core.Config{ServerURL: srv.StreamableURL(), ClientID: oauthtest.DefaultClientID, ClientSecret: oauthtest.DefaultClientSecret,
		Issuer: srv.AS().URL})
	_, err := ConnectMCP(context.Background(), m, srv.StreamableURL(), ConnectOptions{})
	var rm *core.ResourceMismatchError
	require.True(t, errors.As(err, &rm), "got %v", err)
	assert.Zero(t, srv.AS().Counts().Token)
	assert.Zero(t, srv.AS().Counts().Authorize)
}

func TestMCPLegacyServerWithoutProtectedResourceMetadata(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{NoPRM: true, CoHostAS: true})
	m := newManager(t, &core.Config{ServerURL: srv.StreamableURL(), ClientID: oauthtest.DefaultClientID, ClientSecret: oauthtest.DefaultClientSecret,
		Issuer: srv.AS().URL})
	s, err := ConnectMCP(context.Background(), m, srv.StreamableURL(), ConnectOptions{})
	require.NoError(t, err)
	defer s.Close()
	assert.Equal(t, "legacy", echo(t, s, "legacy"))
}
