package mcpclient

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// assertShowsNone fails when js holds any of the secrets.
func assertShowsNone(t *testing.T, js []byte, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		require.NotEmpty(t, s)
		assert.NotContains(t, string(js), s)
	}
}

// A session's status after a login: the session the server assigned, what
// the initialization negotiated, and the manager's status, with no token.
func TestSessionStatusAfterALogin(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	m := newManager(t, &core.Config{ServerURL: srv.StreamableURL()})
	req, err := m.BeginAuthorization(context.Background(), "")
	require.NoError(t, err)
	snap, err := m.CompleteAuthorization(context.Background(), follow(t, req.URL))
	require.NoError(t, err)
	s, err := ConnectMCP(context.Background(), m, srv.StreamableURL(), ConnectOptions{})
	require.NoError(t, err)
	defer s.Close()
	ss := s.Status()
	assert.Equal(t, srv.StreamableURL(), ss.ServerURL)
	assert.Equal(t, TransportStreamableHTTP, ss.Transport)
	assert.NotEmpty(t, ss.SessionID)
	assert.NotEmpty(t, ss.ProtocolVersion)
	assert.NotEmpty(t, ss.ServerName)
	assert.True(t, ss.Auth.HasToken)
	assert.True(t, ss.Auth.HasRefreshToken)
	assert.Equal(t, core.ClientRegistered, ss.Auth.ClientSource)
	js, err := json.Marshal(ss)
	require.NoError(t, err)
	assertShowsNone(t, js, snap.AccessToken)
}

func TestStatusOfClientCredentialsShowsNoSecret(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	m := newManager(t, &core.Config{ServerURL: srv.SSEURL(), ClientID: oauthtest.DefaultClientID,
		ClientSecret: oauthtest.DefaultClientSecret, Issuer: srv.AS().URL})
	s, err := ConnectMCP(context.Background(), m, srv.SSEURL(), ConnectOptions{Transport: TransportSSE})
	require.NoError(t, err)
	defer s.Close()
	snap, err := m.Token(context.Background())
	require.NoError(t, err)
	ss := s.Status()
	assert.Equal(t, TransportSSE, ss.Transport)
	assert.Empty(t, ss.SessionID, "HTTP+SSE has no Mcp-Session-Id")
	assert.Equal(t, core.ClientConfigured, ss.Auth.ClientSource)
	assert.Equal(t, oauthtest.DefaultClientID, ss.Auth.ClientID)
	assert.Equal(t, core.GrantClientCredentials, ss.Auth.GrantType)
	assert.Equal(t, core.AuthClientSecretBasic, ss.Auth.AuthMethod)
	js, err := json.Marshal(ss)
	require.NoError(t, err)
	assertShowsNone(t, js, snap.AccessToken, oauthtest.DefaultClientSecret)
}
