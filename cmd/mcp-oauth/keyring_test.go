package main

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
)

// TestKeyringStoreFallsBackToFiles: with --store keyring where no Secret
// Service runs (no D-Bus session bus), login, token and status keep the
// credentials in files in ~/.config/mcp-oauth, and each command says so
// once on stderr. (keyringstore's tests use a real Secret Service.)
func TestKeyringStoreFallsBackToFiles(t *testing.T) {
	s := startServer(t, mcptest.Options{})
	e := newEnv(t)
	e.vars[envStore] = "keyring"
	notice := `mcp-oauth: token_store "keyring": no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set); ` +
		"keeping credentials in files in " + filepath.Join(e.vars["HOME"], ".config", "mcp-oauth") + " instead\n"

	r := e.login(s.StreamableURL())
	assert.Equal(t, 1, strings.Count(r.stderr, notice), r.stderr)
	tok := e.mustRun("token", s.StreamableURL())
	assert.Equal(t, 1, strings.Count(tok.stderr, notice), tok.stderr)
	st := e.mustRun("status")
	assert.Contains(t, st.stdout, s.StreamableURL())
	assert.Contains(t, st.stderr, notice)

	files, err := filepath.Glob(filepath.Join(e.vars["HOME"], ".config", "mcp-oauth", "*.json"))
	require.NoError(t, err)
	files = slices.DeleteFunc(files, func(f string) bool { return filepath.Base(f) == "config.json" }) // the default server's
	assert.Len(t, files, 2, "the server's tokens and its authorization server's registration")
}
