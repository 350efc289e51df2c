package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// TestScopeChallengeIsRemembered: login asks for the scope of the server's
// challenge (not every scope its metadata lists); a call that needs more
// exits 7 naming the scope, and the next login asks for it — the loop of
// issue 16 (2) ends.
func TestScopeChallengeIsRemembered(t *testing.T) {
	s := startServer(t, mcptest.Options{})
	e := newEnv(t)
	server := s.StreamableURL()

	r := e.login(server)
	assert.Contains(t, r.stderr, "Granted scopes: mcp:read offline_access\n",
		"the challenge's scope, not the metadata's mcp:read mcp:write")
	assert.NotContains(t, r.stderr, "Not granted")
	assert.Equal(t, "read\n", e.mustRun("call", server, "echo", `{"text":"read"}`).stdout)

	r = e.run("call", server, "write_note", `{"text":"x"}`)
	assert.Equal(t, exitNeedsScope, r.code, r.stderr)
	assert.Contains(t, r.stderr, server+` requires scope "mcp:write", which the authorization lacks: run `+"`mcp-oauth login "+server+"`")
	assert.Empty(t, s.Notes())

	r = e.login(server)
	assert.Contains(t, r.stderr, "Granted scopes: mcp:read offline_access mcp:write\n", "the remembered challenge is asked for")
	assert.Equal(t, "saved note 1\n", e.mustRun("call", server, "write_note", `{"text":"x"}`).stdout)
	r = e.login(server)
	assert.Contains(t, r.stderr, "mcp:write", "still asked for at every later login")
}

// TestScopeNotGranted: a user who is never granted a scope is told so, at
// login and by the call that needs it (exit 8), which asks for no further
// authorization — issue 16 (3).
func TestScopeNotGranted(t *testing.T) {
	s := startServer(t, mcptest.Options{AS: oauthtest.Options{WithheldScopes: []string{mcptest.ScopeWrite}}})
	e := newEnv(t)
	server := s.StreamableURL()
	e.login(server)
	assert.Equal(t, exitNeedsScope, e.run("call", server, "write_note", `{"text":"x"}`).code)

	r := e.login(server)
	assert.Contains(t, r.stderr, "Granted scopes: mcp:read offline_access\n")
	assert.Contains(t, r.stderr, "Not granted: mcp:write")
	var info loginInfo
	require.NoError(t, json.Unmarshal([]byte(e.mustRun("login", "--json", "--redirect-uri", e.redirect, server).stdout), &info))
	assert.Equal(t, []string{mcptest.ScopeWrite}, info.NotGranted)

	authorizations := s.AS().Counts().Authorize
	for range 2 {
		r = e.run("call", server, "write_note", `{"text":"x"}`)
		assert.Equal(t, exitNotGranted, r.code, r.stderr)
		assert.Contains(t, r.stderr, `the authorization server did not grant scope "mcp:write", which `+server+" requires")
	}
	assert.Equal(t, authorizations, s.AS().Counts().Authorize, "no authorization is asked for again")
	assert.Empty(t, s.Notes())
}

// TestLoginAddScope: login --add-scope asks for more than the server's
// challenge, now and at later logins (as gh auth refresh --scopes).
func TestLoginAddScope(t *testing.T) {
	s := startServer(t, mcptest.Options{})
	e := newEnv(t)
	server := s.StreamableURL()
	r := e.mustRun("login", "--add-scope", mcptest.ScopeWrite, "--redirect-uri", e.redirect, server)
	assert.Contains(t, r.stderr, "Granted scopes: mcp:read offline_access mcp:write\n")
	assert.Equal(t, "saved note 1\n", e.mustRun("call", server, "write_note", `{"text":"x"}`).stdout)
	assert.Zero(t, s.Counts().Forbidden)
	assert.Contains(t, e.login(server).stderr, "mcp:write", "remembered")

	r = e.run("login", "--add-scope", `a"b`, "--redirect-uri", e.redirect, server)
	assert.Equal(t, exitUsage, r.code, r.stderr)
}
