package core

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// authorizeAt runs one authorization code flow of m through the test
// authorization server, which approves at once.
func authorizeAt(t *testing.T, m *TokenManager) Snapshot {
	t.Helper()
	req, err := m.BeginAuthorization(context.Background(), "")
	require.NoError(t, err)
	snap, err := m.CompleteAuthorization(context.Background(), follow(t, req.URL))
	require.NoError(t, err)
	return snap
}

// TestDiscoverAsksForTheChallengeScope: Discover learns the server's 401
// challenge before discovery, so that the authorization asks for its scope
// (mcp:read) rather than every scope of the metadata (mcp:read mcp:write).
func TestDiscoverAsksForTheChallengeScope(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	m := newManager(t, &Config{ServerURL: srv.StreamableURL()})
	require.NoError(t, m.Discover(context.Background()))
	assert.Equal(t, 1, srv.Counts().Unauthorized, "one tokenless probe")
	assert.Equal(t, []string{mcptest.ScopeRead, ScopeOfflineAccess}, m.Scopes())
	require.NoError(t, m.Discover(context.Background()))
	assert.Equal(t, 1, srv.Counts().Requests, "discovered once")

	begun := newManager(t, &Config{ServerURL: srv.StreamableURL()})
	_, err := begun.BeginAuthorization(context.Background(), "")
	require.NoError(t, err)
	assert.Equal(t, []string{mcptest.ScopeRead, ScopeOfflineAccess}, begun.Scopes(),
		"an authorization begun before any request: the same")

	noScope := mcptest.StartT(t, mcptest.Options{OmitChallengeScope: true})
	m = newManager(t, &Config{ServerURL: noScope.StreamableURL()})
	require.NoError(t, m.Discover(context.Background()))
	assert.Equal(t, []string{mcptest.ScopeRead, mcptest.ScopeWrite, ScopeOfflineAccess}, m.Scopes(),
		"a challenge without scope: the metadata's scopes_supported")
}

// TestStepUpScopeIsRememberedInTheStore: the scope of a 403
// insufficient_scope is kept in the token store entry, and a manager of a
// later run asks for it at its first authorization; AddScopes is kept too.
func TestStepUpScopeIsRememberedInTheStore(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	dir := filepath.Join(t.TempDir(), "store")
	cfg := func() *Config { return &Config{ServerURL: srv.StreamableURL(), TokenStoreDir: dir} }
	first := newManager(t, cfg())
	require.NoError(t, first.Discover(context.Background()))
	authorizeAt(t, first)
	s, err := sdkConnect(context.Background(), t, first, srv.StreamableURL(), false)
	require.NoError(t, err)
	_, err = s.CallTool(context.Background(), &mcp.CallToolParams{Name: "write_note", Arguments: map[string]any{"text": "x"}})
	s.Close()
	var su *StepUpRequiredError
	require.ErrorAs(t, err, &su)
	first.Close()

	entries, err := (&FileStore{Dir: dir}).List()
	require.NoError(t, err)
	entries = slices.DeleteFunc(entries, func(c *StoredCredentials) bool { return c.Key.ServerURL == "" }) // the registration's
	require.Len(t, entries, 1)
	assert.Equal(t, "mcp:read mcp:write", entries[0].AddedScope)

	second := newManager(t, cfg())
	require.NoError(t, second.Discover(context.Background()))
	assert.Contains(t, second.Scopes(), mcptest.ScopeWrite, "the remembered challenge")
	require.NoError(t, second.AddScopes(context.Background(), []string{"extra"}))
	assert.Contains(t, second.Scopes(), "extra")
	second.Close()

	third := newManager(t, cfg())
	require.NoError(t, third.Discover(context.Background()))
	assert.Equal(t, []string{mcptest.ScopeRead, ScopeOfflineAccess, mcptest.ScopeWrite, "extra"}, third.Scopes())
	var arg *ArgumentError
	assert.ErrorAs(t, third.AddScopes(context.Background(), []string{`a"b`}), &arg)
}

// TestChallengeForAScopeNotGrantedFailsAtOnce: when the latest
// authorization asked for a scope and the authorization server left it out,
// a server's challenge for it is a ScopeNotGrantedError at once, in this
// run and a later one (no user is asked again to no avail).
func TestChallengeForAScopeNotGrantedFailsAtOnce(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{AS: oauthtest.Options{WithheldScopes: []string{mcptest.ScopeWrite}}})
	dir := filepath.Join(t.TempDir(), "store")
	m := newManager(t, &Config{ServerURL: srv.StreamableURL(), TokenStoreDir: dir, Scopes: []string{mcptest.ScopeRead, mcptest.ScopeWrite}})
	snap := authorizeAt(t, m)
	assert.Equal(t, "mcp:read", snap.Scope)
	assert.Equal(t, []string{mcptest.ScopeWrite}, m.NotGrantedScopes())
	var ng *ScopeNotGrantedError
	require.ErrorAs(t, m.StepUp(writeChallenge), &ng)
	assert.Equal(t, []string{mcptest.ScopeWrite}, ng.Missing)
	assert.Equal(t, KindInsufficientScope, Classify(ng).Kind)
	m.Close()

	later := newManager(t, &Config{ServerURL: srv.StreamableURL(), TokenStoreDir: dir})
	authorizations := srv.AS().Counts().Authorize
	s, err := sdkConnect(context.Background(), t, later, srv.StreamableURL(), false)
	require.NoError(t, err)
	_, err = s.CallTool(context.Background(), &mcp.CallToolParams{Name: "write_note", Arguments: map[string]any{"text": "x"}})
	require.True(t, errors.As(err, &ng), "got %v", err)
	assert.Contains(t, strings.Join(ng.Missing, " "), mcptest.ScopeWrite)
	assert.Equal(t, authorizations, srv.AS().Counts().Authorize)
}
