//go:build unix

package core

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// nobodyUID is the uid of "nobody", another user than the test's.
const nobodyUID = 65534

// requireRoot skips a test that needs to give files to another user.
func requireRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to give files to another user")
	}
}

var trustKey = StoreKey{ServerURL: "https://mcp.example/mcp", Issuer: "https://as.example", ClientID: "c"}

// plantEntry writes a valid entry for trustKey holding access token at
// into dir, as the file the store would have written.
func plantEntry(t *testing.T, path, at string) {
	t.Helper()
	require.NoError(t, os.WriteFile(path, []byte(fmt.Sprintf(
		`{"key":{"server_url":%q,"issuer":%q,"client_id":%q},"access_token":%q,"expiry":"2999-01-01T00:00:00Z","updated_at":"2020-01-01T00:00:00Z"}`,
		trustKey.ServerURL, trustKey.Issuer, trustKey.ClientID, at)), 0o600))
}

// TestSecurityTokenStoreTrustsOnlyTheUser: a store directory or a file in
// it owned by another user, and a symlink planted for an entry or a lock,
// are refused with a clear error (issue 12 item 6).
func TestSecurityTokenStoreTrustsOnlyTheUser(t *testing.T) {
	requireRoot(t)

	t.Run("a directory owned by another user", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "tokens")
		require.NoError(t, os.Mkdir(dir, 0o700))
		require.NoError(t, os.Chown(dir, nobodyUID, nobodyUID))
		_, err := NewTokenManager(&Config{ClientID: "c", ClientSecret: "s", TokenURL: "https://as.example/token", TokenStoreDir: dir})
		var ce *ConfigError
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, "token_store_dir", ce.Field)
		assert.Contains(t, err.Error(), "owned by uid 65534")
		assert.Error(t, (&FileStore{Dir: dir}).Save(&StoredCredentials{Key: trustKey}))
	})

	t.Run("an entry owned by another user", func(t *testing.T) {
		s := &FileStore{Dir: filepath.Join(t.TempDir(), "tokens")}
		require.NoError(t, s.ensureDir())
		plantEntry(t, s.path(trustKey), "at-planted-by-nobody")
		require.NoError(t, os.Chown(s.path(trustKey), nobodyUID, nobodyUID))
		_, err := s.Load(trustKey)
		require.Error(t, err)
		assert.NotErrorIs(t, err, ErrNotStored)
		assert.Contains(t, err.Error(), "owned by uid 65534")
		list, err := s.List()
		require.NoError(t, err)
		assert.Empty(t, list, "List skips it")
	})

	t.Run("a symlink planted for an entry", func(t *testing.T) {
		s := &FileStore{Dir: filepath.Join(t.TempDir(), "tokens")}
		require.NoError(t, s.ensureDir())
		target := filepath.Join(t.TempDir(), "elsewhere.json")
		plantEntry(t, target, "at-behind-a-symlink")
		require.NoError(t, os.Symlink(target, s.path(trustKey)))
		_, err := s.Load(trustKey)
		require.Error(t, err)
		assert.NotErrorIs(t, err, ErrNotStored)
		assert.Contains(t, err.Error(), "symbolic link")
		list, err := s.List()
		require.NoError(t, err)
		assert.Empty(t, list, "List skips it")
	})

	t.Run("a symlink planted for a lock", func(t *testing.T) {
		s := &FileStore{Dir: filepath.Join(t.TempDir(), "tokens")}
		require.NoError(t, s.ensureDir())
		victim := filepath.Join(t.TempDir(), "victim")
		require.NoError(t, os.WriteFile(victim, []byte("keep"), 0o644))
		require.NoError(t, os.Symlink(victim, strings.TrimSuffix(s.path(trustKey), ".json")+".lock"))
		_, err := s.Lock(context.Background(), trustKey, time.Second)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "symbolic link")
	})
}

// TestSecurityTokenStoreLeavesNoTokenBehind: temporary files of writers
// killed mid-save are removed by the next save or list once stale, and
// logout removes an entry's lock and temporary files with it, so that no
// file holding a token remains (issue 12 item 6).
func TestSecurityTokenStoreLeavesNoTokenBehind(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tokens")
	s := &FileStore{Dir: dir}
	require.NoError(t, s.ensureDir())
	_, err := s.Lock(context.Background(), storeWriterKey, time.Second) // leaves the .lock file
	require.NoError(t, err)
	seen := map[string]bool{}
	for range 50 {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), storeWriterEnv+"="+dir)
		out, err := cmd.StdoutPipe()
		require.NoError(t, err)
		require.NoError(t, cmd.Start())
		r := bufio.NewReader(out)
		for range 3 { // killed during its third save, once its temporary file exists
			_, err := r.ReadString('\n')
			require.NoError(t, err)
		}
		for deadline := time.Now().Add(10 * time.Second); !hasNew(tempFiles(t, dir), seen) && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
		require.NoError(t, cmd.Process.Kill())
		_ = cmd.Wait()
		for _, name := range tempFiles(t, dir) {
			seen[name] = true
		}
	}
	t.Logf("temporary files left by the killed writers: %d", len(tempFiles(t, dir)))
	require.NoError(t, s.Delete(storeWriterKey)) // logout
	files, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(dir, f.Name()))
		require.NoError(t, err)
		assert.NotContains(t, string(data), "at-written-", "%s holds a token after logout", f.Name())
		assert.Fail(t, "a file of the entry remains after logout", f.Name())
	}

	// Stale temporary files (older than a save can take) go on the next
	// save or list; a fresh one, maybe another process's save, stays.
	stale, fresh := filepath.Join(dir, ".tmp-stale"), filepath.Join(dir, ".tmp-fresh")
	for _, name := range []string{stale, fresh} {
		require.NoError(t, os.WriteFile(name, []byte(`{"access_token":"at-written-x"}`), 0o600))
	}
	old := time.Now().Add(-time.Hour)
	require.NoError(t, os.Chtimes(stale, old, old))
	_, err = s.List()
	require.NoError(t, err)
	assert.NoFileExists(t, stale, "removed by List")
	assert.FileExists(t, fresh)
	require.NoError(t, os.Chtimes(fresh, old, old))
	require.NoError(t, s.Save(&StoredCredentials{Key: trustKey}))
	assert.NoFileExists(t, fresh, "removed by Save")
}

// hasNew reports whether names has one not in seen.
func hasNew(names []string, seen map[string]bool) bool {
	for _, n := range names {
		if !seen[n] {
			return true
		}
	}
	return false
}

// tempFiles lists the temporary files in dir.
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := os.ReadDir(dir)
	require.NoError(t, err)
	var out []string
	for _, f := range files {
		if strings.Contains(f.Name(), ".tmp-") {
			out = append(out, f.Name())
		}
	}
	return out
}

// storeWriterEnv makes the test binary a child that saves storeWriterKey's
// entry, with a large token, over and over into the store directory it
// names, announcing each save before it starts.
const storeWriterEnv = "MCP_OAUTH_TEST_STORE_WRITER"

var storeWriterKey = StoreKey{ServerURL: "https://mcp.example/mcp", Issuer: "https://as.example", ClientID: "writer"}

func writeStoreForever(dir string) {
	s := &FileStore{Dir: dir}
	big := strings.Repeat("x", 1<<20)
	for i := 0; ; i++ {
		fmt.Println("saving", i)
		if err := s.Save(&StoredCredentials{Key: storeWriterKey, AccessToken: fmt.Sprintf("at-written-%d-%s", i, big)}); err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
	}
}

// TestSecurityStoredTokensFollowTheClientCredentials: tokens stored for a
// client are not used once its secret changed; the entry keeps a keyed
// fingerprint of the credentials, never the secret (issue 12 item 6).
func TestSecurityStoredTokensFollowTheClientCredentials(t *testing.T) {
	as := newFakeEndpoint(t, func(n int64, _ url.Values) (int, any) {
		return 200, bearer(fmt.Sprintf("at-fingerprint-%04d", n), 3600)
	})
	dir := filepath.Join(t.TempDir(), "tokens")
	cfg := func(secret string) *Config {
		c := clientCredentials(as.URL)
		c.ClientSecret, c.TokenStoreDir = secret, dir
		return c
	}
	ctx := context.Background()
	first, err := newManager(t, cfg("first-secret-0123456789")).Token(ctx)
	require.NoError(t, err)
	again, err := newManager(t, cfg("first-secret-0123456789")).Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, first.AccessToken, again.AccessToken, "the same client reuses its stored token")

	changed, err := newManager(t, cfg("second-secret-9876543210")).Token(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, first.AccessToken, changed.AccessToken, "a new secret never uses the old secret's token")
	assert.Equal(t, int64(2), as.requests.Load())
	assert.Equal(t, "second-secret-9876543210", as.form(1).Get("client_secret")+firstBasicSecret(as, 1))

	back, err := newManager(t, cfg("first-secret-0123456789")).Token(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, first.AccessToken, back.AccessToken)

	files, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(dir, f.Name()))
		require.NoError(t, err)
		assert.NotContains(t, string(data), "secret-", "the store keeps no client secret")
		if strings.HasSuffix(f.Name(), ".json") {
			assert.Contains(t, string(data), `"client_fingerprint"`)
		}
	}
}

// firstBasicSecret is the secret of the i-th request's HTTP Basic
// credentials, "" without.
func firstBasicSecret(f *fakeEndpoint, i int) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	req := &http.Request{Header: f.headers[i]}
	_, secret, _ := req.BasicAuth()
	return secret
}
