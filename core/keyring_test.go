package core

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConfigKeyringStore: token_store "keyring" goes with token_store_dir
// (its lock files and its fall-back), not with a store key file; it names
// a store, not a directory; its backend is package keyringstore, which
// core does not link.
func TestConfigKeyringStore(t *testing.T) {
	c := &Config{ClientID: "c", ClientSecret: "s", TokenURL: "https://as.example/token",
		TokenStore: KeyringStore, TokenStoreDir: t.TempDir()}
	require.NoError(t, c.Validate())

	c.TokenStoreKeyFile = "/k"
	var ce *ConfigError
	require.ErrorAs(t, c.Validate(), &ce)
	assert.Equal(t, "token_store_key_file", ce.Field)

	assert.True(t, IsStoreURL("keyring"))
	assert.False(t, IsStoreURL("keyring-dir"))

	c.TokenStoreKeyFile = ""
	_, err := NewTokenManager(c)
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "token_store", ce.Field)
	assert.Contains(t, ce.Reason, "no store backend for keyring")
}
