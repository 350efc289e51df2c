package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
)

// TestStepUpNamesTheScope: a call that needs more scope than the login
// granted says which scope (issue 16), not only "needs more scope".
func TestStepUpNamesTheScope(t *testing.T) {
	s := startServer(t, mcptest.Options{})
	e := newEnv(t)
	e.mustRun("login", "--scope", mcptest.ScopeRead, "--redirect-uri", e.redirect, s.StreamableURL())
	r := e.run("call", s.StreamableURL(), "write_note", `{"text":"x"}`)
	assert.Equal(t, exitLoginNeeded, r.code)
	assert.Contains(t, r.stderr, s.StreamableURL()+` requires scope "mcp:write", which the authorization does not grant`)
	assert.Contains(t, r.stderr, "run `mcp-oauth login "+s.StreamableURL()+"`")
	assert.NotContains(t, r.stderr, "no token is held")
}
