package core

// Rule: token store files are 0600 and written atomically; a directory
// other users can read, write or enter is refused. Complements
// TestFileStoreRoundTripAndPermissions, TestFileStoreRefusesOpenDirectoryAndCorruptFiles
// and TestTokenStoreDirMustBePrivate.

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// entries returns the names of the .json entries among files, failing for
// any file that is not 0600 or is a leftover temporary file (lock files
// beside the entries are allowed).
func entries(t *testing.T, files map[string]os.FileMode) []string {
	t.Helper()
	var out []string
	for name, mode := range files {
		assert.Equal(t, os.FileMode(0o600), mode.Perm(), "%s", name)
		assert.NotContains(t, name, ".tmp-", "temporary file %s left behind", name)
		if strings.HasSuffix(name, ".json") {
			out = append(out, name)
		}
	}
	return out
}

// withUmask runs f with the process umask set to mask.
func withUmask(mask int, f func()) {
	old := syscall.Umask(mask)
	defer syscall.Umask(old)
	f()
}

// storeFiles lists the files in dir with their modes.
func storeFiles(t *testing.T, dir string) map[string]os.FileMode {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	out := map[string]os.FileMode{}
	for _, e := range entries {
		info, err := e.Info()
		require.NoError(t, err)
		out[e.Name()] = info.Mode()
	}
	return out
}

func TestSecurityTokenStoreFiles(t *testing.T) {
	key := StoreKey{ServerURL: "https://mcp.example.com/mcp", Issuer: "https://as.example.com", ClientID: "c"}
	creds := func(token string) *StoredCredentials {
		return &StoredCredentials{Key: key, AccessToken: token, RefreshToken: "rt-" + token, UpdatedAt: time.Now().UTC()}
	}

	t.Run("umask 0: new directories 0700, files 0600, no temporary file left", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "a", "b", "store")
		withUmask(0, func() {
			require.NoError(t, (&FileStore{Dir: dir}).Save(creds("at-0123456789")))
		})
		for d := dir; d != filepath.Dir(filepath.Dir(filepath.Dir(dir))); d = filepath.Dir(d) {
			info, err := os.Stat(d)
			require.NoError(t, err)
			assert.Equal(t, os.FileMode(0o700), info.Mode().Perm(), "%s", d)
		}
		assert.Len(t, entries(t, storeFiles(t, dir)), 1)
	})

	t.Run("umask 0 through the token manager", func(t *testing.T) {
		srv := asServer(t, oauthtest.Options{})
		dir := filepath.Join(t.TempDir(), "store")
		withUmask(0, func() {
			cfg := testClient(srv)
			cfg.TokenStoreDir = dir
			_, err := newManager(t, cfg).Token(context.Background())
			require.NoError(t, err)
		})
		assert.Len(t, entries(t, storeFiles(t, dir)), 1)
	})

	t.Run("an existing 0644 entry is replaced by a 0600 one", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "store")
		s := &FileStore{Dir: dir}
		require.NoError(t, s.Save(creds("first-0123456789")))
		for _, name := range entries(t, storeFiles(t, dir)) {
			require.NoError(t, os.Chmod(filepath.Join(dir, name), 0o644))
		}
		require.NoError(t, s.Save(creds("second-0123456789")))
		assert.Len(t, entries(t, storeFiles(t, dir)), 1)
	})

	t.Run("directories others can use are refused, nothing written", func(t *testing.T) {
		for _, mode := range []os.FileMode{0o755, 0o750, 0o705, 0o770, 0o720, 0o710, 0o701, 0o777} {
			t.Run(mode.String(), func(t *testing.T) {
				dir := filepath.Join(t.TempDir(), "store")
				require.NoError(t, os.Mkdir(dir, 0o700))
				require.NoError(t, os.Chmod(dir, mode))
				err := (&FileStore{Dir: dir}).Save(creds("at-0123456789"))
				require.Error(t, err)
				assert.Contains(t, err.Error(), "accessible to other users")

				cfg := clientCredentials("https://as.example.com/token")
				cfg.TokenStoreDir = dir
				_, err = NewTokenManager(cfg)
				var ce *ConfigError
				require.ErrorAs(t, err, &ce)
				assert.Equal(t, "token_store_dir", ce.Field)
				assert.Empty(t, storeFiles(t, dir))
			})
		}
	})

	t.Run("a symlink to an open directory is refused", func(t *testing.T) {
		open := filepath.Join(t.TempDir(), "open")
		require.NoError(t, os.Mkdir(open, 0o700))
		require.NoError(t, os.Chmod(open, 0o755))
		link := filepath.Join(t.TempDir(), "link")
		require.NoError(t, os.Symlink(open, link))
		require.Error(t, (&FileStore{Dir: link}).Save(creds("at-0123456789")))
		assert.Empty(t, storeFiles(t, open))
	})

	t.Run("a reader never sees a partial file", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "store")
		s := &FileStore{Dir: dir}
		// Large entries, so that a non-atomic write would be seen half done.
		versions := map[string]bool{}
		var list []*StoredCredentials
		for _, c := range "abcdefgh" {
			v := creds(strings.Repeat(string(c), 64<<10))
			list = append(list, v)
			versions[v.AccessToken] = true
		}
		require.NoError(t, s.Save(list[0]))
		path := s.path(key)

		var stop atomic.Bool
		var reads, torn atomic.Int64
		var wg sync.WaitGroup
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for !stop.Load() {
					data, err := os.ReadFile(path)
					if err != nil {
						torn.Add(1) // the entry must always exist
						continue
					}
					var got StoredCredentials
					if json.Unmarshal(data, &got) != nil || !versions[got.AccessToken] {
						torn.Add(1)
					}
					reads.Add(1)
				}
			}()
		}
		for i := range 40 {
			require.NoError(t, s.Save(list[i%len(list)]))
		}
		stop.Store(true)
		wg.Wait()
		assert.Zero(t, torn.Load(), "torn or missing reads out of %d", reads.Load())
		assert.Greater(t, reads.Load(), int64(10), "the readers ran")
		assert.Len(t, entries(t, storeFiles(t, dir)), 1)
	})
}
