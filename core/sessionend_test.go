package core

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// Closing a session whose token expired must not request a token just to
// end it (issue 16): the DELETE that ends a Streamable HTTP session goes out
// with a still valid token, or not at all.
func TestClosingAfterTheTokenExpiredRequestsNoToken(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	m := newManager(t, &Config{ServerURL: srv.StreamableURL(), ClientID: oauthtest.DefaultClientID,
		ClientSecret: oauthtest.DefaultClientSecret, Issuer: srv.AS().URL})
	s, err := sdkConnect(context.Background(), t, m, srv.StreamableURL(), false)
	require.NoError(t, err)
	require.NotEmpty(t, s.ID())
	useClock(m).Advance(2 * time.Hour)
	require.False(t, m.Status().HasToken)
	srv.AS().ResetCounts()
	srv.ResetCounts()

	require.NoError(t, s.Close())
	assert.Zero(t, srv.AS().Counts().Token, "no token request to end a session")
	assert.Zero(t, srv.Counts().Unauthorized, "no DELETE without the token the server wants")
}

// With a valid token the DELETE goes out with it (MCP "Session
// Management": clients should end the sessions they no longer need).
func TestClosingWithAValidTokenSendsTheDelete(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	m := newManager(t, &Config{ServerURL: srv.StreamableURL(), ClientID: oauthtest.DefaultClientID,
		ClientSecret: oauthtest.DefaultClientSecret, Issuer: srv.AS().URL})
	s, err := sdkConnect(context.Background(), t, m, srv.StreamableURL(), false)
	require.NoError(t, err)
	srv.ResetCounts()
	require.NoError(t, s.Close())
	assert.Equal(t, 1, srv.AS().Counts().Token)
	assert.Positive(t, srv.Counts().Requests, "the DELETE")
	assert.Zero(t, srv.Counts().Unauthorized)
}
