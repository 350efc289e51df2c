package redisstore

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// TestSealRoundTripAndRefusals: an entry opens only under its own name and
// key; a clear entry is refused when a key is configured, and an encrypted
// one when none is.
func TestSealRoundTripAndRefusals(t *testing.T) {
	key := make([]byte, 32)
	s, err := newSealer(key)
	require.NoError(t, err)
	sealed := s.seal("a", []byte(`{"access_token":"secret-at"}`))
	assert.NotContains(t, string(sealed), "secret-at")
	plain, err := s.open("a", sealed)
	require.NoError(t, err)
	assert.Equal(t, `{"access_token":"secret-at"}`, string(plain))
	_, err = s.open("b", sealed)
	assert.Error(t, err, "moved to another entry")
	other, _ := newSealer(append([]byte{1}, key[1:]...))
	_, err = other.open("a", sealed)
	assert.Error(t, err, "another key")
	_, err = s.open("a", []byte(`{"access_token":"planted"}`))
	assert.ErrorIs(t, err, errClear)
	var none *sealer
	_, err = none.open("a", sealed)
	assert.ErrorIs(t, err, errSealed)
}

// TestLoadKey: the key file holds 32 raw bytes or their base64; the
// environment variable base64; anything else is a configuration error.
func TestLoadKey(t *testing.T) {
	dir := t.TempDir()
	raw := filepath.Join(dir, "raw")
	require.NoError(t, os.WriteFile(raw, make([]byte, 32), 0o600))
	b64 := filepath.Join(dir, "b64")
	require.NoError(t, os.WriteFile(b64, []byte(base64.StdEncoding.EncodeToString(make([]byte, 32))+"\n"), 0o600))
	short := filepath.Join(dir, "short")
	require.NoError(t, os.WriteFile(short, []byte("c2hvcnQ="), 0o600))
	for _, f := range []string{raw, b64} {
		k, err := loadKey(&core.Config{TokenStoreKeyFile: f})
		require.NoError(t, err)
		assert.Len(t, k, 32)
	}
	_, err := loadKey(&core.Config{TokenStoreKeyFile: short})
	var ce *core.ConfigError
	assert.ErrorAs(t, err, &ce)
	t.Setenv("MCP_OAUTH_STORE_KEY", "")
	k, err := loadKey(&core.Config{})
	assert.NoError(t, err)
	assert.Nil(t, k, "no key: entries in clear")
	t.Setenv("MCP_OAUTH_STORE_KEY", base64.StdEncoding.EncodeToString(make([]byte, 32)))
	k, err = loadKey(&core.Config{})
	require.NoError(t, err)
	assert.Len(t, k, 32)
}
