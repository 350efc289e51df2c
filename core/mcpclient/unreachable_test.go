package mcpclient

import (
	"context"
	"encoding/json"
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// closedURL is an MCP URL on a loopback port nothing listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return "http://" + addr + "/mcp"
}

// An MCP server that cannot be reached is a network failure, not an MCP
// error (issue 16), whether it was never there or went away during the
// session, over either transport.
func TestUnreachableMCPServerIsANetworkError(t *testing.T) {
	for _, transport := range []string{TransportStreamableHTTP, TransportSSE, TransportAuto} {
		t.Run("connect "+transport, func(t *testing.T) {
			url := closedURL(t)
			m := newManager(t, &core.Config{ServerURL: url})
			_, err := ConnectMCP(context.Background(), m, url, ConnectOptions{Transport: transport})
			assert.Equal(t, core.KindNetwork, core.Classify(err).Kind, "%v", err)
		})
	}
	for _, transport := range []string{TransportStreamableHTTP, TransportSSE} {
		t.Run("gone "+transport, func(t *testing.T) {
			srv := mcptest.StartT(t, mcptest.Options{})
			url := srv.StreamableURL()
			if transport == TransportSSE {
				url = srv.SSEURL()
			}
			m := newManager(t, &core.Config{ServerURL: url, ClientID: oauthtest.DefaultClientID,
				ClientSecret: oauthtest.DefaultClientSecret, Issuer: srv.AS().URL})
			s, err := ConnectMCP(context.Background(), m, url, ConnectOptions{Transport: transport})
			require.NoError(t, err)
			defer s.Close()
			srv.Close()
			_, err = s.CallTool(context.Background(), "echo", json.RawMessage(`{"text":"x"}`))
			assert.Equal(t, core.KindNetwork, core.Classify(err).Kind, "%v", err)
		})
	}
}

// A request after the client closed its own session failed here, not on
// the network: it stays an MCP error.
func TestRequestAfterCloseIsNotANetworkError(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	m := newManager(t, &core.Config{ServerURL: srv.StreamableURL(), ClientID: oauthtest.DefaultClientID,
		ClientSecret: oauthtest.DefaultClientSecret, Issuer: srv.AS().URL})
	s, err := ConnectMCP(context.Background(), m, srv.StreamableURL(), ConnectOptions{})
	require.NoError(t, err)
	require.NoError(t, s.Close())
	_, err = s.CallTool(context.Background(), "echo", json.RawMessage(`{"text":"x"}`))
	assert.Equal(t, core.KindMCP, core.Classify(err).Kind, "%v", err)
}
