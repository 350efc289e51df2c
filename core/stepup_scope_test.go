package core

import (
	"context"
	"errors"
	"net/url"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// writeChallenge is a 403 insufficient_scope challenge for mcp:write.
var writeChallenge = Challenge{Scheme: "Bearer", Params: map[string]string{"error": "insufficient_scope", "scope": "mcp:write"}}

func TestStepUpNotGrantedStopsWithInsufficientScope(t *testing.T) {
	fake := newFakeEndpoint(t, func(n int64, form url.Values) (int, any) {
		return 200, bearer("t", 3600, "scope", "mcp:read") // the server never grants mcp:write
	})
	m := newManager(t, clientCredentials(fake.URL))
	_, err := m.Token(context.Background())
	require.NoError(t, err)
	require.NoError(t, m.StepUp(writeChallenge))
	_, err = m.Token(context.Background())
	var ns *ScopeNotGrantedError
	require.ErrorAs(t, err, &ns)
	assert.Equal(t, []string{"mcp:write"}, ns.Missing)
	assert.ErrorIs(t, err, ErrStepUpLimit, "the C ABI reports INSUFFICIENT_SCOPE")
	assert.Contains(t, err.Error(), `"mcp:write"`)
	assert.Equal(t, "mcp:read mcp:write", fake.form(1).Get("scope"), "the step-up asked for the union")
}

func TestStepUpGrantedIsNoError(t *testing.T) {
	fake := newFakeEndpoint(t, func(n int64, form url.Values) (int, any) {
		return 200, bearer("t", 3600, "scope", form.Get("scope"))
	})
	m := newManager(t, clientCredentials(fake.URL))
	require.NoError(t, m.StepUp(writeChallenge))
	_, err := m.Token(context.Background())
	require.NoError(t, err)
}

func TestStepUpRequiredNamesTheChallengedScope(t *testing.T) {
	srv := oauthtest.StartT(t, oauthtest.Options{})
	m := newManager(t, &Config{ClientID: oauthtest.DefaultPublicClientID, TokenURL: srv.TokenURL(), AuthorizeURL: srv.AuthorizeURL(),
		RedirectURI: redirect, Scopes: []string{"mcp:read"}})
	authorize(t, srv, m)
	require.NoError(t, m.StepUp(writeChallenge))
	_, err := m.Token(context.Background())
	var su *StepUpRequiredError
	require.ErrorAs(t, err, &su)
	assert.ErrorIs(t, err, ErrAuthorizationRequired)
	assert.Equal(t, []string{"mcp:write"}, su.Scopes)
	assert.NotEqual(t, ErrAuthorizationRequired.Error(), err.Error(), "a step-up reads unlike a first login")
}

func TestMCPStepUpErrorAfter403CarriesTheScope(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	m := newManager(t, &Config{ServerURL: srv.StreamableURL()})
	_, err := sdkConnect(context.Background(), t, m, srv.StreamableURL(), false)
	require.ErrorIs(t, err, ErrAuthorizationRequired)
	req, err := m.BeginAuthorization(context.Background(), "")
	require.NoError(t, err)
	_, err = m.CompleteAuthorization(context.Background(), follow(t, req.URL))
	require.NoError(t, err)
	s, err := sdkConnect(context.Background(), t, m, srv.StreamableURL(), false)
	require.NoError(t, err)
	defer s.Close()
	_, err = s.CallTool(context.Background(), &mcp.CallToolParams{Name: "write_note", Arguments: map[string]any{"text": "x"}})
	var su *StepUpRequiredError
	require.True(t, errors.As(err, &su), "got %v", err)
	assert.Contains(t, su.Scopes, "mcp:write")
	assert.Equal(t, []string{"mcp:write"}, su.Missing, "the scope the refused token lacked")
	assert.Contains(t, Classify(err).Message, `mcp-oauth: the MCP server requires scope "mcp:write", which the token was not granted`)
	_, err = m.Token(context.Background())
	assert.Contains(t, Classify(err).Message, `requires scope "mcp:write"`, "every call until the user authorizes says so")
	assert.Equal(t, []string{"mcp:write"}, su.Missing)
}

func TestOfflineAccessSendsPromptConsent(t *testing.T) {
	srv := oauthtest.StartT(t, oauthtest.Options{})
	for _, tc := range []struct {
		scopes []string
		prompt string
	}{
		{[]string{"mcp:read", ScopeOfflineAccess}, "consent"},
		{[]string{"mcp:read"}, ""},
	} {
		m := newManager(t, &Config{ClientID: oauthtest.DefaultPublicClientID, TokenURL: srv.TokenURL(), AuthorizeURL: srv.AuthorizeURL(),
			RedirectURI: redirect, Scopes: tc.scopes})
		req, err := m.BeginAuthorization(context.Background(), "")
		require.NoError(t, err)
		u, err := url.Parse(req.URL)
		require.NoError(t, err)
		assert.Equal(t, tc.prompt, u.Query().Get("prompt"), "scopes %v (OpenID Connect Core §11)", tc.scopes)
	}
}

func TestMCPStepUpWithheldScopeStopsAtOnce(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{AS: oauthtest.Options{WithheldScopes: []string{mcptest.ScopeWrite}}})
	t.Run("machine client", func(t *testing.T) {
		m := newManager(t, machineConfig(srv))
		s, err := sdkConnect(context.Background(), t, m, srv.StreamableURL(), false)
		require.NoError(t, err)
		defer s.Close()
		before := srv.AS().Counts().Token
		_, err = s.CallTool(context.Background(), &mcp.CallToolParams{Name: "write_note", Arguments: map[string]any{"text": "x"}})
		var ns *ScopeNotGrantedError
		require.True(t, errors.As(err, &ns), "got %v", err)
		assert.Equal(t, []string{mcptest.ScopeWrite}, ns.Missing)
		assert.Equal(t, before+1, srv.AS().Counts().Token, "one step-up token request, then a stop")
	})
	t.Run("login client", func(t *testing.T) {
		m := newManager(t, &Config{ServerURL: srv.StreamableURL()})
		_, err := sdkConnect(context.Background(), t, m, srv.StreamableURL(), false)
		require.ErrorIs(t, err, ErrAuthorizationRequired)
		req, err := m.BeginAuthorization(context.Background(), "")
		require.NoError(t, err)
		_, err = m.CompleteAuthorization(context.Background(), follow(t, req.URL))
		require.NoError(t, err)
		s, err := sdkConnect(context.Background(), t, m, srv.StreamableURL(), false)
		require.NoError(t, err)
		defer s.Close()
		_, err = s.CallTool(context.Background(), &mcp.CallToolParams{Name: "write_note", Arguments: map[string]any{"text": "x"}})
		require.ErrorIs(t, err, ErrAuthorizationRequired)
		assert.Contains(t, err.Error(), mcptest.ScopeWrite, "the step-up names the scope to grant")
		req, err = m.BeginAuthorization(context.Background(), "")
		require.NoError(t, err)
		_, err = m.CompleteAuthorization(context.Background(), follow(t, req.URL))
		require.ErrorIs(t, err, ErrStepUpLimit, "not granted: stop instead of authorizing again")
		assert.Contains(t, err.Error(), mcptest.ScopeWrite)
	})
}
