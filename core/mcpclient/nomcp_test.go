package mcpclient

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// A URL that is not an MCP server is refused at connect, over each
// transport, as "no MCP server at URL (HTTP 404)" (issue 16; the login side
// is core's TestNoMCPServerAtTheURL).
func TestNoMCPServerAtConnect(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	typo := srv.URL + "/mpc"
	for _, transport := range []string{TransportStreamableHTTP, TransportSSE, TransportAuto} {
		t.Run("connect "+transport, func(t *testing.T) {
			m := newManager(t, &core.Config{ServerURL: typo, ClientID: oauthtest.DefaultClientID,
				ClientSecret: oauthtest.DefaultClientSecret, Issuer: srv.AS().URL})
			_, err := ConnectMCP(context.Background(), m, typo, ConnectOptions{Transport: transport})
			assertNoMCPServer(t, err, typo)
		})
	}
}

func assertNoMCPServer(t *testing.T, err error, url string) {
	t.Helper()
	var nm *core.NoMCPServerError
	require.True(t, errors.As(err, &nm), "got %v", err)
	info := core.Classify(err)
	assert.Equal(t, core.KindDiscovery, info.Kind)
	assert.Equal(t, 404, info.HTTPStatus)
	assert.Equal(t, "mcp-oauth: no MCP server at "+url+" (HTTP 404)", info.Message)
}
