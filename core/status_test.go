package core

import (
	"context"
	"encoding/json"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
)

// assertShowsNone fails when js holds any of the secrets.
func assertShowsNone(t *testing.T, js []byte, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		require.NotEmpty(t, s)
		assert.NotContains(t, string(js), s)
	}
}

func TestStatusBeforeAnyTokenShowsTheConfiguration(t *testing.T) {
	m := newManager(t, &Config{ServerURL: "https://mcp.example.com/mcp?api_key=k3y-value-123", Scopes: []string{"a", "b"},
		TokenStoreDir: filepath.Join(t.TempDir(), "store")})
	st := m.Status()
	assert.Equal(t, "https://mcp.example.com/mcp", st.ServerURL, "the query may carry an API key")
	assert.Equal(t, GrantAuthorizationCode, st.GrantType)
	assert.False(t, st.Discovered)
	assert.False(t, st.HasToken)
	assert.Equal(t, []string{"a", "b"}, st.RequestedScopes)
	assert.Empty(t, st.ClientSource, "not chosen before discovery")
	require.NotNil(t, st.Store)
	assert.Equal(t, "file", st.Store.Kind)
	js, err := json.Marshal(st)
	require.NoError(t, err)
	assert.Contains(t, string(js), `"scopes":[]`, "lists are [] when empty")
	assert.NotContains(t, string(js), "expires_at")
	assert.NotContains(t, string(js), "k3y-value-123")
}

func TestStatusAfterAuthorizationWithDynamicRegistration(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	m := newManager(t, &Config{ServerURL: srv.StreamableURL()})
	_, err := sdkConnect(context.Background(), t, m, srv.StreamableURL(), false) // a 401, then a user is needed
	require.Error(t, err)
	st := m.Status()
	assert.True(t, st.Discovered)
	assert.False(t, st.HasToken)
	assert.Equal(t, []string{"mcp:read"}, st.ChallengedScopes, "the 401's scope")
	assert.Equal(t, ClientRegistered, st.ClientSource)

	req, err := m.BeginAuthorization(context.Background(), "")
	require.NoError(t, err)
	assert.Equal(t, 1, m.Status().PendingAuthorizations)
	snap, err := m.CompleteAuthorization(context.Background(), follow(t, req.URL))
	require.NoError(t, err)

	s, err := sdkConnect(context.Background(), t, m, srv.StreamableURL(), false)
	require.NoError(t, err)
	defer s.Close()
	st = m.Status()
	assert.True(t, st.HasToken)
	assert.True(t, st.HasRefreshToken)
	assert.Equal(t, "Bearer", st.TokenType)
	assert.Equal(t, []string{"mcp:read", "offline_access"}, st.Scopes)
	assert.Equal(t, srv.AS().Issuer(), st.Issuer)
	assert.Equal(t, srv.AS().Issuer(), st.AuthorizationServer)
	assert.Equal(t, srv.AS().URL+"/token", st.TokenEndpoint)
	assert.Equal(t, srv.StreamableURL(), st.Resource)
	assert.Equal(t, ClientRegistered, st.ClientSource)
	assert.NotEmpty(t, st.ClientID)
	assert.Zero(t, st.PendingAuthorizations)
	require.NotNil(t, st.ExpiresInSeconds)
	assert.InDelta(t, time.Hour.Seconds(), float64(*st.ExpiresInSeconds), 60)
	exp, err := time.Parse(time.RFC3339, st.ExpiresAt)
	require.NoError(t, err)
	assert.WithinDuration(t, snap.Expiry, exp, time.Second)

	js, err := json.Marshal(st)
	require.NoError(t, err)
	m.mu.Lock()
	rt := m.refreshToken
	m.mu.Unlock()
	assertShowsNone(t, js, snap.AccessToken, rt)
}

func TestStatusTellsAnExpiredToken(t *testing.T) {
	as := newFakeEndpoint(t, func(int64, url.Values) (int, any) { return 200, bearer("at-status-0001", 3600) })
	m := newManager(t, clientCredentials(as.URL))
	clock := useClock(m)
	_, err := m.Token(context.Background())
	require.NoError(t, err)
	require.True(t, m.Status().HasToken)
	clock.Advance(2 * time.Hour)
	st := m.Status()
	assert.False(t, st.HasToken)
	require.NotNil(t, st.ExpiresInSeconds)
	assert.Negative(t, *st.ExpiresInSeconds)
}

func TestStatusAfterCloseAndOfAStoreURL(t *testing.T) {
	m := newManager(t, &Config{ClientID: "c", ClientSecret: "s3cr3t-value", TokenURL: "https://as.example/token"})
	m.Close()
	st := m.Status()
	assert.True(t, st.Closed)
	assert.True(t, st.Discovered, "configured endpoints need no discovery")
	assert.Equal(t, "https://as.example/token", st.TokenEndpoint)

	got := storeStatus(&Config{TokenStore: "redis://user:pa55word@cache:6379/0?tls=1"})
	assert.Equal(t, &StoreStatus{Kind: "redis", Location: "redis://cache:6379/0"}, got, "never the password")
}

func TestStoredStatus(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	c := &StoredCredentials{
		Key:                StoreKey{ServerURL: "https://mcp.example/mcp", Issuer: "https://as.example"},
		RegisteredClientID: "dyn-1", ClientSecret: "registered-secret", AuthMethod: AuthNone,
		AccessToken: "stored-access-token", RefreshToken: "stored-refresh-token",
		Expiry: now.Add(90 * time.Second), Scope: "mcp:read offline_access",
	}
	st := StoredStatus(c, now)
	assert.True(t, st.HasToken)
	assert.True(t, st.HasRefreshToken)
	assert.Equal(t, "dyn-1", st.ClientID)
	assert.Equal(t, ClientRegistered, st.ClientSource)
	assert.Equal(t, "2026-01-02T03:05:35Z", st.ExpiresAt)
	assert.Equal(t, int64(90), *st.ExpiresInSeconds)
	assert.Equal(t, []string{"mcp:read", "offline_access"}, st.Scopes)
	js, err := json.Marshal(st)
	require.NoError(t, err)
	assertShowsNone(t, js, c.AccessToken, c.RefreshToken, c.ClientSecret)

	assert.False(t, StoredStatus(c, now.Add(time.Hour)).HasToken, "expired")
}
