package keyringstore

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
)

// follow requests the test authorization server's authorization URL (it
// approves at once) and returns the redirect it answers with.
func follow(t *testing.T, authURL string) string {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(authURL)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode)
	return resp.Header.Get("Location")
}

// TestKeyringSharedByASecondProcess: a user logs in (dynamic registration,
// authorization code) with token_store "keyring"; another process on the
// same keyring then connects to the MCP server with the stored
// registration and tokens, making no request to the authorization server.
// No token, refresh token or client secret is in any file: the lock
// directory holds only locks, and gnome-keyring's own file is encrypted.
func TestKeyringSharedByASecondProcess(t *testing.T) {
	ss := startSecretService(t, true)
	srv := mcptest.StartT(t, mcptest.Options{})
	dir := filepath.Join(t.TempDir(), "locks")
	cfg := map[string]any{"server_url": srv.StreamableURL(), "token_store": "keyring", "token_store_dir": dir}
	data, err := json.Marshal(cfg)
	require.NoError(t, err)
	c, err := core.ParseConfig(data)
	require.NoError(t, err)
	m, err := core.NewTokenManager(c)
	require.NoError(t, err)
	req, err := m.BeginAuthorization(context.Background(), "")
	require.NoError(t, err)
	first, err := m.CompleteAuthorization(context.Background(), follow(t, req.URL))
	require.NoError(t, err)
	m.Close()
	before := srv.AS().Counts()

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "MCP_OAUTH_KEYRING_WORKER="+string(data))
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	require.NoError(t, cmd.Run(), stderr.String())
	assert.Equal(t, first.AccessToken, strings.TrimSpace(out.String()), "the second process uses the stored token")
	after := srv.AS().Counts()
	assert.Equal(t, 1, after.Register, "one registration")
	assert.Equal(t, 1, after.Authorize, "one login")
	assert.Equal(t, before.Token, after.Token, "no token request from the second process")

	s, err := Open(&core.Config{TokenStore: core.KeyringStore, TokenStoreDir: dir})
	require.NoError(t, err)
	entries, err := s.(core.StoreLister).List()
	require.NoError(t, err)
	require.Len(t, entries, 2, "the server's tokens, and its authorization server's registration")
	var secrets []string
	for _, e := range entries {
		require.NotEmpty(t, e.RegisteredClientID)
		if e.Key.ServerURL != "" {
			require.NotEmpty(t, e.RefreshToken)
		}
		for _, v := range []string{e.AccessToken, e.RefreshToken, e.ClientSecret} {
			if v != "" {
				secrets = append(secrets, v)
			}
		}
	}
	require.NotEmpty(t, secrets)

	files := 0
	for _, root := range []string{filepath.Dir(dir), ss.home} {
		require.NoError(t, filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			files++
			content, err := os.ReadFile(path)
			require.NoError(t, err)
			for _, secret := range secrets {
				assert.NotContains(t, string(content), secret, "a secret in %s", path)
			}
			return nil
		}))
	}
	assert.FileExists(t, filepath.Join(ss.home, "data", "keyrings", "login.keyring"))
	assert.Greater(t, files, 1)
	names, err := filepath.Glob(filepath.Join(dir, "*"))
	require.NoError(t, err)
	for _, name := range names {
		assert.Equal(t, ".lock", filepath.Ext(name), "only lock files in the directory")
	}
}
