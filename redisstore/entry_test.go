package redisstore

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// TestEntryKeepsEveryField: an entry comes back from Redis with every field
// the manager relies on — the issuer in its key, the DPoP key kept with its
// DPoP-bound token, the client-credentials fingerprint that tells foreign
// tokens apart — and Delete (the AS migration's) removes it.
func TestEntryKeepsEveryField(t *testing.T) {
	rs := startRedis(t)
	key := filepath.Join(t.TempDir(), "store.key")
	require.NoError(t, os.WriteFile(key, []byte(base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{9}, 32))), 0o600))
	s, err := Open(&core.Config{TokenStore: rs.URL(), TokenStoreKeyFile: key})
	require.NoError(t, err)
	k := core.StoreKey{ServerURL: "https://mcp.example/mcp", Issuer: "https://as.example", ClientID: "client"}
	want := &core.StoredCredentials{Key: k, RegisteredClientID: "reg", AuthMethod: "client_secret_basic",
		ClientSecret: "reg-secret", ClientSecretExpiresAt: 42, RedirectURIs: []string{"http://127.0.0.1/cb"},
		AccessToken: "at", RefreshToken: "rt", Expiry: time.Unix(1700000000, 0).UTC(), Scope: "mcp",
		TokenType: core.TokenTypeDPoP, DPoPKey: "-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n",
		ClientFingerprint: "fp-0123", UpdatedAt: time.Unix(1700000001, 0).UTC()}
	require.NoError(t, s.Save(want))
	got, err := s.Load(k)
	require.NoError(t, err)
	assert.Equal(t, want, got)

	require.NoError(t, s.(core.StoreDeleter).Delete(k))
	_, err = s.Load(k)
	assert.ErrorIs(t, err, core.ErrNotStored)
}
