package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
)

// TestLoginToAURLThatIsNotAnMCPServer: a typo'd path, or the authorization
// server's own URL, is refused at login, saying so — not "logged in" to and
// failed later with a bare "Not Found" (issue 16).
func TestLoginToAURLThatIsNotAnMCPServer(t *testing.T) {
	s := startServer(t, mcptest.Options{})
	for _, url := range []string{s.URL + "/mpc", s.AS().URL + "/"} {
		e := newEnv(t)
		r := e.run("login", "--redirect-uri", e.redirect, url)
		assert.Equal(t, exitFailure, r.code)
		assert.Contains(t, r.stderr, "no MCP server at "+url+" (HTTP 404)")
		assert.NotContains(t, r.stderr, "Logged in")
		assert.Equal(t, "No stored credentials.\n", e.mustRun("status").stdout)
	}
}
