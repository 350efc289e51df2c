package core

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

func TestTokenStoreSurvivesARestart(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	cfg := testClient(srv)
	cfg.TokenStoreDir = filepath.Join(t.TempDir(), "tokens")
	first, err := newManager(t, cfg).Token(context.Background())
	require.NoError(t, err)

	again := *cfg
	got, err := newManager(t, &again).Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, first.AccessToken, got.AccessToken, "the restarted manager serves the stored token")
	assert.Equal(t, 1, srv.Counts().Token)
}

func TestTokenStoreRestoresTheRefreshToken(t *testing.T) {
	srv := asServer(t, oauthtest.Options{TokenLifetime: time.Second, RefreshTokensForClientCredentials: true})
	cfg := testClient(srv)
	cfg.TokenStoreDir = filepath.Join(t.TempDir(), "tokens")
	_, err := newManager(t, cfg).Token(context.Background())
	require.NoError(t, err)
	again := *cfg
	restarted := newManager(t, &again)
	useClock(restarted).Advance(2 * time.Second) // the stored access token has expired
	_, err = restarted.Token(context.Background())
	require.NoError(t, err)
	reqs := srv.TokenRequests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "refresh_token", reqs[1].Grant, "the stored refresh token is used")
}

func TestTokenStoreKeepsTheRegistrationAndTheUserAuthorization(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	dir := filepath.Join(t.TempDir(), "tokens")
	cfg := &Config{ServerURL: srv.StreamableURL(), TokenStoreDir: dir}
	m := newManager(t, cfg)
	_, err := sdkConnect(context.Background(), t, m, srv.StreamableURL(), false)
	require.ErrorIs(t, err, ErrAuthorizationRequired)
	req, err := m.BeginAuthorization(context.Background(), "")
	require.NoError(t, err)
	_, err = m.CompleteAuthorization(context.Background(), follow(t, req.URL))
	require.NoError(t, err)
	m.Close()

	restarted := newManager(t, &Config{ServerURL: srv.StreamableURL(), TokenStoreDir: dir})
	s, err := sdkConnect(context.Background(), t, restarted, srv.StreamableURL(), false)
	require.NoError(t, err, "no new registration or authorization is needed")
	defer s.Close()
	assert.Equal(t, "back", sdkEcho(t, s, "back"))
	assert.Equal(t, 1, srv.AS().Counts().Register)
	assert.Equal(t, 1, srv.AS().Counts().Authorize)

	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	require.Len(t, files, 2, "the registration, kept per authorization server, and the server's tokens")
	for _, f := range files {
		info, err := os.Stat(f)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	}
}

func TestTokenStoreServesTheStoredTokenAfterDiscovery(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	dir := filepath.Join(t.TempDir(), "tokens")
	m := newManager(t, &Config{ServerURL: srv.StreamableURL(), TokenStoreDir: dir})
	req, err := m.BeginAuthorization(context.Background(), "")
	require.NoError(t, err)
	first, err := m.CompleteAuthorization(context.Background(), follow(t, req.URL))
	require.NoError(t, err)
	m.Close()
	before := srv.AS().Counts().Token

	restarted := newManager(t, &Config{ServerURL: srv.StreamableURL(), TokenStoreDir: dir})
	got, err := restarted.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, first.AccessToken, got.AccessToken, "the stored token, still valid, is served")
	assert.Equal(t, before, srv.AS().Counts().Token, "no refresh for a token that needs none")
}

func TestTokenStoreDirMustBePrivate(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.Chmod(dir, 0o755))
	cfg := clientCredentials("https://as.example/token")
	cfg.TokenStoreDir = dir
	_, err := NewTokenManager(cfg)
	var ce *ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "token_store_dir", ce.Field)
}

// TestTokenStoreServesWithoutDiscovery: a restarted manager in discovery
// mode serves the stored, still valid token without any request; one whose
// stored token has expired discovers and refreshes.
func TestTokenStoreServesWithoutDiscovery(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	dir := filepath.Join(t.TempDir(), "tokens")
	cfg := func() *Config {
		return &Config{ServerURL: srv.StreamableURL(), GrantType: GrantClientCredentials, TokenStoreDir: dir}
	}
	first, err := newManager(t, cfg()).Token(context.Background())
	require.NoError(t, err)
	asBefore, mcpBefore := srv.AS().Counts(), srv.Counts()

	restarted := newManager(t, cfg())
	got, err := restarted.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, first.AccessToken, got.AccessToken)
	asAfter, mcpAfter := srv.AS().Counts(), srv.Counts()
	assert.Equal(t, asBefore.Metadata, asAfter.Metadata, "no authorization server metadata request")
	assert.Equal(t, asBefore.Token, asAfter.Token, "no token request")
	assert.Equal(t, mcpBefore.Metadata, mcpAfter.Metadata, "no protected resource metadata request")

	s, err := sdkConnect(context.Background(), t, restarted, srv.StreamableURL(), false)
	require.NoError(t, err, "the restored token is accepted by the server")
	defer s.Close()
	assert.Equal(t, "hi", sdkEcho(t, s, "hi"))

	srv.AS().RevokeAccessTokens() // the server now rejects the restored token
	assert.Equal(t, "again", sdkEcho(t, s, "again"), "a 401 leads to discovery and a new token")
	fresh, err := restarted.Token(context.Background())
	require.NoError(t, err)
	assert.NotEqual(t, first.AccessToken, fresh.AccessToken, "the rejected token is not restored again")
	assert.Equal(t, 1, srv.AS().Counts().Register, "the stored registration is reused")
}
