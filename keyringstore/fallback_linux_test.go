package keyringstore

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// captureNotices collects what the store says on stderr.
func captureNotices(t *testing.T) *bytes.Buffer {
	var buf bytes.Buffer
	old := notices
	notices = &buf
	t.Cleanup(func() { notices = old })
	return &buf
}

// TestFallbackWithoutABus: with no session bus (DBUS_SESSION_BUS_ADDRESS
// unset, no $XDG_RUNTIME_DIR/bus) the keyring store is the file store of
// the default directory, said once; a manager on it keeps its token in a
// file there and a restarted one serves it.
func TestFallbackWithoutABus(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	dir := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "mcp-oauth")
	said := captureNotices(t)

	s, err := Open(&core.Config{TokenStore: core.KeyringStore})
	require.NoError(t, err)
	assert.Equal(t, &core.FileStore{Dir: dir}, s)
	assert.Equal(t, "mcp-oauth: token_store \"keyring\": no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set); "+
		"keeping credentials in files in "+dir+" instead\n", said.String())

	as := oauthtest.StartT(t, oauthtest.Options{})
	cfg := &core.Config{ClientID: oauthtest.DefaultClientID, ClientSecret: oauthtest.DefaultClientSecret,
		TokenURL: as.TokenURL(), TokenStore: core.KeyringStore}
	for range 2 { // a restart
		m, err := core.NewTokenManager(cfg)
		require.NoError(t, err)
		_, err = m.Token(context.Background())
		require.NoError(t, err)
		m.Close()
	}
	assert.Equal(t, 1, as.Counts().Token, "the restarted manager read the token from the file")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	assert.Len(t, files, 1)
	assert.Equal(t, 1, bytes.Count(said.Bytes(), []byte("\n")), "said once per process")
}

// TestFallbackBusNowhere: a bus address that leads nowhere falls back too.
func TestFallbackBusNowhere(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(t.TempDir(), "no-bus"))
	said := captureNotices(t)
	dir := filepath.Join(t.TempDir(), "store")
	s, err := Open(&core.Config{TokenStore: core.KeyringStore, TokenStoreDir: dir})
	require.NoError(t, err)
	assert.Equal(t, &core.FileStore{Dir: dir}, s)
	assert.Contains(t, said.String(), "cannot connect to the D-Bus session bus")
	assert.Contains(t, said.String(), "keeping credentials in files in "+dir)
}

// TestFallbackNoSecretService: a session bus on which no Secret Service
// runs (nor can be activated) falls back too.
func TestFallbackNoSecretService(t *testing.T) {
	startSecretService(t, false)
	said := captureNotices(t)
	dir := filepath.Join(t.TempDir(), "store")
	s, err := Open(&core.Config{TokenStore: core.KeyringStore, TokenStoreDir: dir})
	require.NoError(t, err)
	assert.Equal(t, &core.FileStore{Dir: dir}, s)
	assert.Contains(t, said.String(), "no Secret Service on the D-Bus session bus (org.freedesktop.secrets is not running)")
}

// TestOpenRefusals: another spelling than "keyring", a directory others
// can read.
func TestOpenRefusals(t *testing.T) {
	var ce *core.ConfigError
	_, err := Open(&core.Config{TokenStore: "keyring://x"})
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "token_store", ce.Field)

	dir := t.TempDir()
	require.NoError(t, os.Chmod(dir, 0o755))
	_, err = Open(&core.Config{TokenStore: core.KeyringStore, TokenStoreDir: dir})
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "token_store_dir", ce.Field)
}
