package core

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFileStoreRoundTripAndPermissions(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "store")
	s := &FileStore{Dir: dir}
	k := StoreKey{ServerURL: "https://mcp.example/mcp", Issuer: "https://as.example", ClientID: "c1"}
	_, err := s.Load(k)
	assert.ErrorIs(t, err, ErrNotStored)

	want := &StoredCredentials{Key: k, AccessToken: "at", RefreshToken: "rt", Scope: "mcp:read",
		Expiry: time.Unix(2_000_000_000, 0).UTC(), UpdatedAt: time.Unix(1_900_000_000, 0).UTC()}
	require.NoError(t, s.Save(want))
	got, err := s.Load(k)
	require.NoError(t, err)
	assert.Equal(t, want, got)

	info, err := os.Stat(dir)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), info.Mode().Perm())
	info, err = os.Stat(s.path(k))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())

	other := StoreKey{ServerURL: k.ServerURL, Issuer: "https://other.example", ClientID: "c1"}
	_, err = s.Load(other)
	assert.ErrorIs(t, err, ErrNotStored, "credentials are kept per issuer")

	want.AccessToken = "at2"
	require.NoError(t, s.Save(want))
	got, err = s.Load(k)
	require.NoError(t, err)
	assert.Equal(t, "at2", got.AccessToken)
	list, err := s.List()
	require.NoError(t, err)
	assert.Len(t, list, 1)
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".tmp-*"))
	assert.Empty(t, leftovers, "no temporary files left behind")

	require.NoError(t, s.Delete(k))
	require.NoError(t, s.Delete(k))
	_, err = s.Load(k)
	assert.ErrorIs(t, err, ErrNotStored)
}

func TestFileStoreRefusesOpenDirectoryAndCorruptFiles(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.Chmod(dir, 0o755))
	s := &FileStore{Dir: dir}
	k := StoreKey{ServerURL: "https://mcp.example/mcp", Issuer: "https://as.example", ClientID: "c"}
	assert.ErrorContains(t, s.Save(&StoredCredentials{Key: k}), "accessible to other users")

	require.NoError(t, os.Chmod(dir, 0o700))
	require.NoError(t, os.WriteFile(s.path(k), []byte("{not json"), 0o600))
	_, err := s.Load(k)
	assert.ErrorContains(t, err, "corrupt")
}
