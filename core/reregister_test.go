package core

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// TestInvalidClientRegistersAgain: once the authorization server has
// forgotten a dynamically registered client, the next token request
// registers again and succeeds, and the store keeps the new registration.
func TestInvalidClientRegistersAgain(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	dir := filepath.Join(t.TempDir(), "tokens")
	cfg := &Config{ServerURL: srv.StreamableURL(), GrantType: GrantClientCredentials, TokenStoreDir: dir}
	m := newManager(t, cfg)
	first, err := m.Token(context.Background())
	require.NoError(t, err)
	firstClient := m.params.Load().endpoint.clientID

	srv.AS().RevokeRegistrations()
	m.Invalidate(first.AccessToken)
	second, err := m.Token(context.Background())
	require.NoError(t, err, "registered again")
	assert.NotEqual(t, first.AccessToken, second.AccessToken)
	assert.Equal(t, 2, srv.AS().Counts().Register)
	assert.Equal(t, 3, srv.AS().Counts().Token, "ok, invalid_client, ok")
	assert.NotEqual(t, firstClient, m.params.Load().endpoint.clientID)

	restarted := newManager(t, &Config{ServerURL: srv.StreamableURL(), GrantType: GrantClientCredentials, TokenStoreDir: dir})
	got, err := restarted.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, second.AccessToken, got.AccessToken, "the store holds the new registration's token")
	assert.Equal(t, 2, srv.AS().Counts().Register)
}

// TestInvalidClientAfterAuthorization: the refresh token of a forgotten
// client is dropped with it; the caller is asked to authorize again, and
// the next authorization uses a new registration.
func TestInvalidClientAfterAuthorization(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	m := newManager(t, &Config{ServerURL: srv.StreamableURL()})
	req, err := m.BeginAuthorization(context.Background(), "")
	require.NoError(t, err)
	snap, err := m.CompleteAuthorization(context.Background(), follow(t, req.URL))
	require.NoError(t, err)

	srv.AS().RevokeRegistrations()
	m.Invalidate(snap.AccessToken)
	_, err = m.Token(context.Background())
	require.ErrorIs(t, err, ErrAuthorizationRequired)
	assert.Equal(t, 2, srv.AS().Counts().Register)

	req, err = m.BeginAuthorization(context.Background(), "")
	require.NoError(t, err)
	_, err = m.CompleteAuthorization(context.Background(), follow(t, req.URL))
	require.NoError(t, err, "authorized with the new registration")
}

// TestInvalidClientOfAConfiguredClient: a configured client is not
// re-registered; the caller gets invalid_client.
func TestInvalidClientOfAConfiguredClient(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	m := newManager(t, &Config{ServerURL: srv.StreamableURL(), GrantType: GrantClientCredentials,
		ClientID: oauthtest.DefaultClientID, ClientSecret: "wrong-secret", Issuer: srv.AS().URL})
	_, err := m.Token(context.Background())
	isOAuthError("invalid_client", 401)(t, err)
	assert.Equal(t, 0, srv.AS().Counts().Register)
	assert.Equal(t, 1, srv.AS().Counts().Token)
}
