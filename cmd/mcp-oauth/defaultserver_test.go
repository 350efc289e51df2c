package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
)

// TestDefaultServer: the first login records its server in the
// configuration file, and the commands given no URL use it;
// $MCP_OAUTH_SERVER comes first.
func TestDefaultServer(t *testing.T) {
	s := startServer(t, mcptest.Options{})
	e := newEnv(t)
	e.vars["XDG_CONFIG_HOME"] = filepath.Join(e.vars["HOME"], "xdg")
	server := s.StreamableURL()

	r := e.login(server)
	path := filepath.Join(e.vars["XDG_CONFIG_HOME"], "mcp-oauth", "config.json")
	assert.Contains(t, r.stderr, server+" is now the default server ("+path+")")
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var c struct{ Server string }
	require.NoError(t, json.Unmarshal(data, &c))
	assert.Equal(t, server, c.Server)

	assert.NotEmpty(t, e.mustRun("token").stdout)
	assert.Contains(t, e.mustRun("tools").stdout, "echo\t")
	assert.Equal(t, "hi\n", e.mustRun("call", "echo", `{"text":"hi"}`).stdout)
	assert.Contains(t, e.mustRun("call", "whoami").stdout, "client_id")
	assert.Equal(t, "there\n", e.mustRun("call", server, "echo", `{"text":"there"}`).stdout, "a URL still names the server")
	assert.NotContains(t, e.mustRun("login", "--redirect-uri", e.redirect).stderr, "is now the default server", "set once")

	e.vars[envServer] = s.SSEURL() // not logged in there
	r = e.run("token")
	assert.Equal(t, exitLoginNeeded, r.code)
	assert.Contains(t, r.stderr, "not logged in to "+s.SSEURL())

	delete(e.vars, envServer)
	require.NoError(t, os.WriteFile(path, []byte(`{"srever": "x"}`), 0o600))
	r = e.run("tools")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, path)
}
