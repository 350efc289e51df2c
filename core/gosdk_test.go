package core_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
)

// The official MCP Go SDK (go-sdk, pinned in go.mod) with a [core.Transport]
// in its StreamableClientTransport's http.Client, against mcptest: what
// docs/go.md promises.

// sdkSession connects the Go SDK to server with secret as the client secret.
func sdkSession(t *testing.T, server *mcptest.Server, secret string) (*mcp.ClientSession, error) {
	t.Helper()
	url := server.StreamableURL()
	cfg, err := core.ParseConfig([]byte(`{"server_url": "` + url + `", "client_id": "test-client", "client_secret": "` + secret + `", "issuer": "` + server.AS().URL + `"}`))
	require.NoError(t, err)
	m, err := core.NewTokenManager(cfg)
	require.NoError(t, err)
	t.Cleanup(m.Close)
	rt, err := core.NewTransport(m, url, nil)
	require.NoError(t, err)
	client := mcp.NewClient(&mcp.Implementation{Name: "gosdk-test", Version: "0"}, nil)
	s, err := client.Connect(context.Background(), &mcp.StreamableClientTransport{
		Endpoint: url, HTTPClient: &http.Client{Transport: rt}, DisableStandaloneSSE: true,
	}, nil)
	if err == nil {
		t.Cleanup(func() { _ = s.Close() })
	}
	return s, err
}

func callText(t *testing.T, s *mcp.ClientSession, name string, args map[string]any) string {
	t.Helper()
	res, err := s.CallTool(context.Background(), &mcp.CallToolParams{Name: name, Arguments: args})
	require.NoError(t, err)
	require.False(t, res.IsError)
	return res.Content[0].(*mcp.TextContent).Text
}

func TestGoSDKConnectListCallExpiryStepUp(t *testing.T) {
	server := mcptest.StartT(t, mcptest.Options{})
	s, err := sdkSession(t, server, "test-secret")
	require.NoError(t, err)
	tools, err := s.ListTools(context.Background(), nil)
	require.NoError(t, err)
	assert.Len(t, tools.Tools, 5) // echo, add, whoami, wait, write_note
	assert.Equal(t, "hi", callText(t, s, "echo", map[string]any{"text": "hi"}))

	// The server sees the token expired: exactly one token request.
	before := server.AS().Counts().Token
	server.AS().RevokeAccessTokens()
	assert.Equal(t, "again", callText(t, s, "echo", map[string]any{"text": "again"}))
	assert.Equal(t, before+1, server.AS().Counts().Token)

	// 403 insufficient_scope: stepped up inside the transport.
	assert.Contains(t, callText(t, s, "write_note", map[string]any{"text": "n"}), "saved note")
}

func TestGoSDKHundredConcurrentCallsAfterExpiry(t *testing.T) {
	server := mcptest.StartT(t, mcptest.Options{})
	s, err := sdkSession(t, server, "test-secret")
	require.NoError(t, err)
	callText(t, s, "echo", map[string]any{"text": "warm"})
	before := server.AS().Counts().Token
	server.AS().RevokeAccessTokens()
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.CallTool(context.Background(), &mcp.CallToolParams{Name: "add", Arguments: map[string]any{"a": i, "b": 1}})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, before+1, server.AS().Counts().Token)
}

func TestGoSDKWrongSecretIsATypedError(t *testing.T) {
	server := mcptest.StartT(t, mcptest.Options{})
	_, err := sdkSession(t, server, "wrong-secret")
	var oe *core.OAuthError
	require.True(t, errors.As(err, &oe), "got %v", err)
	assert.Equal(t, "invalid_client", oe.ErrorCode)
	assert.NotContains(t, err.Error(), "wrong-secret")
}
