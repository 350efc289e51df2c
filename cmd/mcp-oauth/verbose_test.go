package main

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// TestVerboseTellsAFullFlowWithoutASecret: --verbose (and -v) tells every
// step of a login (discovery, registration, the authorization code flow), a
// refresh and a client_credentials grant on stderr, and quotes no secret,
// token, authorization code or PKCE verifier.
func TestVerboseTellsAFullFlowWithoutASecret(t *testing.T) {
	// 30 s tokens, aged 20 s before a `token` that is to refresh: in the
	// library's refresh window (their last 15 s).
	s := startServer(t, mcptest.Options{AS: oauthtest.Options{TokenLifetime: 30 * time.Second,
		RefreshTokensForClientCredentials: true}})
	e := newEnv(t)
	login := e.mustRun("login", "--verbose", "--redirect-uri", e.redirect, s.StreamableURL())
	ageStoredTokens(t, e.store, 20*time.Second)
	refreshed := e.mustRun("token", "-v", s.StreamableURL())

	machine := newEnv(t)
	machine.vars[envClientID] = "test-client"
	machine.vars[envClientSecret] = "test-secret"
	machine.vars[envIssuer] = s.AS().URL
	first := machine.mustRun("token", "-v", s.StreamableURL())
	ageStoredTokens(t, machine.store, 20*time.Second)
	second := machine.mustRun("token", "-v", s.StreamableURL())

	log := login.stderr + refreshed.stderr + first.stderr + second.stderr
	for _, want := range []string{
		"mcp-oauth: INFO " + core.EventDiscoveryStart + ": ", "DEBUG " + core.EventDiscoveryResource + ": ",
		"INFO " + core.EventRegistered + ": client registered", "INFO " + core.EventAuthorizeBegin + ": ",
		"DEBUG " + core.EventTokenRequest + ": token request grant_type=authorization_code",
		"DEBUG " + core.EventTokenRequest + ": token request grant_type=client_credentials",
		"INFO " + core.EventRefresh + ": ", "DEBUG " + core.EventHTTPRequest + ": HTTP exchange method=POST",
	} {
		assert.Contains(t, log, want)
	}
	assert.Equal(t, 2, strings.Count(refreshed.stderr+second.stderr, "INFO "+core.EventRefresh+": "))

	secrets := map[string]string{"client secret": "test-secret", "refreshed token": strings.TrimSpace(refreshed.stdout),
		"first token": strings.TrimSpace(first.stdout), "second token": strings.TrimSpace(second.stdout)}
	for i, r := range s.AS().TokenRequests() {
		for _, p := range []string{"code", "code_verifier", "refresh_token"} {
			if v := r.Form.Get(p); v != "" {
				secrets[p+" of request "+string(rune('0'+i))] = v
			}
		}
	}
	require.Contains(t, secrets, "code of request 0")
	require.Contains(t, secrets, "code_verifier of request 0")
	for name, v := range secrets {
		require.GreaterOrEqual(t, len(v), 8, name)
		assert.NotContains(t, log, v, "stderr quotes the %s", name)
	}

	quiet := e.mustRun("token", s.StreamableURL())
	assert.NotContains(t, quiet.stderr, "mcp-oauth: ", "no event without --verbose")
	e.vars[core.LogEnv] = "info"
	ageStoredTokens(t, e.store, 20*time.Second)
	byEnv := e.mustRun("token", s.StreamableURL())
	assert.Contains(t, byEnv.stderr, "mcp-oauth: INFO "+core.EventRefresh+": ")
	assert.NotContains(t, byEnv.stderr, "DEBUG", "$MCP_OAUTH_LOG's level is the least shown")
}
