package core

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// Managers sharing a token store stand in for processes here: flock(2)
// locks belong to an open file, so two managers of one process exclude each
// other as two processes do. TestStoreLockHolderKilled uses a real second
// process; tests/c/test_store.c runs 8 processes through the C ABI.

// sharedStoreClient is testClient with a token store in dir.
func sharedStoreClient(srv *oauthtest.Server, dir string) *Config {
	c := testClient(srv)
	c.TokenStoreDir = dir
	return c
}

// tokensConcurrently starts n managers for cfg at once and returns the
// access token each got.
func tokensConcurrently(t *testing.T, n int, cfg func() *Config) []string {
	managers := make([]*TokenManager, n)
	for i := range managers {
		managers[i] = newManager(t, cfg())
	}
	tokens := make([]string, n)
	var wg sync.WaitGroup
	for i, m := range managers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := m.Token(context.Background())
			assert.NoError(t, err)
			tokens[i] = s.AccessToken
		}()
	}
	wg.Wait()
	return tokens
}

func TestSharedStoreColdStartMakesOneRequest(t *testing.T) {
	srv := asServer(t, oauthtest.Options{Latency: 200 * time.Millisecond})
	dir := filepath.Join(t.TempDir(), "tokens")
	tokens := tokensConcurrently(t, 8, func() *Config { return sharedStoreClient(srv, dir) })
	assert.Equal(t, 1, srv.Counts().Token, "8 managers on one cold store: one token request")
	for _, tok := range tokens {
		assert.Equal(t, tokens[0], tok)
	}
}

func TestSharedStoreRegistersOnce(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	dir := filepath.Join(t.TempDir(), "tokens")
	tokensConcurrently(t, 6, func() *Config {
		return &Config{ServerURL: srv.StreamableURL(), GrantType: GrantClientCredentials, TokenStoreDir: dir}
	})
	assert.Equal(t, 1, srv.AS().Counts().Register, "one dynamic registration for all")
	assert.Equal(t, 1, srv.AS().Counts().Token)
}

// TestSharedStoreAdoptsARotatedToken: after one manager has refreshed an
// expired token (rotating the refresh token), another one sharing the store
// uses the new token instead of spending its own, now revoked, refresh token.
func TestSharedStoreAdoptsARotatedToken(t *testing.T) {
	srv := asServer(t, oauthtest.Options{TokenLifetime: time.Second, RefreshTokensForClientCredentials: true})
	dir := filepath.Join(t.TempDir(), "tokens")
	a, b := newManager(t, sharedStoreClient(srv, dir)), newManager(t, sharedStoreClient(srv, dir))
	clockA, clockB := useClock(a), useClock(b)
	first, err := a.Token(context.Background())
	require.NoError(t, err)
	fromB, err := b.Token(context.Background())
	require.NoError(t, err)
	require.Equal(t, first.AccessToken, fromB.AccessToken)

	clockA.Advance(2 * time.Second) // both hold an expired token
	clockB.Advance(2 * time.Second)
	second, err := a.Token(context.Background())
	require.NoError(t, err)
	fromB, err = b.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, second.AccessToken, fromB.AccessToken, "b adopts the token a stored")
	var grants []string
	for _, r := range srv.TokenRequests() {
		grants = append(grants, r.Grant)
	}
	assert.Equal(t, []string{"client_credentials", "refresh_token"}, grants)
}

// TestSharedStoreDoesNotReadoptARejectedToken: a token a resource server
// rejected is not taken back from the store.
func TestSharedStoreDoesNotReadoptARejectedToken(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	dir := filepath.Join(t.TempDir(), "tokens")
	m := newManager(t, sharedStoreClient(srv, dir))
	first, err := m.Token(context.Background())
	require.NoError(t, err)
	m.Invalidate(first.AccessToken)
	second, err := m.Token(context.Background())
	require.NoError(t, err)
	assert.NotEqual(t, first.AccessToken, second.AccessToken)
	assert.Equal(t, 2, srv.Counts().Token)
}

func TestStoreLockWaitsAndTimesOut(t *testing.T) {
	s := &FileStore{Dir: filepath.Join(t.TempDir(), "tokens")}
	key := StoreKey{ServerURL: "https://mcp.example", Issuer: "https://as.example"}
	unlock, err := s.Lock(context.Background(), key, time.Second)
	require.NoError(t, err)

	_, err = s.Lock(context.Background(), key, 50*time.Millisecond)
	assert.ErrorIs(t, err, errLockTimeout)
	other, err := s.Lock(context.Background(), StoreKey{ServerURL: "https://other.example"}, 50*time.Millisecond)
	require.NoError(t, err, "entries lock independently")
	other()

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = s.Lock(ctx, key, time.Minute)
	assert.ErrorIs(t, err, context.DeadlineExceeded)

	got := make(chan error, 1)
	go func() {
		u, err := s.Lock(context.Background(), key, 5*time.Second)
		if err == nil {
			u()
		}
		got <- err
	}()
	time.Sleep(20 * time.Millisecond)
	unlock()
	assert.NoError(t, <-got, "a waiter gets the lock once it is released")

	info, err := os.Stat(filepath.Join(s.Dir, filepath.Base(s.path(key)[:len(s.path(key))-len(".json")])+".lock"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
}

// lockHolderEnv makes the test binary a child that takes the lock of
// lockHolderKey in the store directory it names, says so, and waits.
const lockHolderEnv = "MCP_OAUTH_TEST_HOLD_STORE_LOCK"

var lockHolderKey = StoreKey{ServerURL: "https://mcp.example", Issuer: "https://as.example"}

func holdStoreLock(dir string) {
	if _, err := (&FileStore{Dir: dir}).Lock(context.Background(), lockHolderKey, time.Minute); err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("locked")
	select {} // until killed
}

// TestStoreLockHolderKilled: a process killed while it holds an entry's
// lock does not block the others (the kernel drops a dead process's flock).
func TestStoreLockHolderKilled(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tokens")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), lockHolderEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	line, err := bufio.NewReader(out).ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "locked\n", line)

	s := &FileStore{Dir: dir}
	_, err = s.Lock(context.Background(), lockHolderKey, 100*time.Millisecond)
	require.ErrorIs(t, err, errLockTimeout, "the other process holds the lock")

	require.NoError(t, cmd.Process.Kill())
	_ = cmd.Wait()
	// Held still, the lock would time out (errLockTimeout).
	unlock, err := s.Lock(context.Background(), lockHolderKey, 5*time.Second)
	require.NoError(t, err)
	unlock()
}

// loggedInManager is a discovery-mode manager with a token store that has
// completed an authorization with the given scopes.
func loggedInManager(t *testing.T, srv *mcptest.Server, dir string, scopes ...string) *TokenManager {
	t.Helper()
	m := newManager(t, &Config{ServerURL: srv.StreamableURL(), TokenStoreDir: dir, Scopes: scopes})
	req, err := m.BeginAuthorization(context.Background(), "")
	require.NoError(t, err)
	_, err = m.CompleteAuthorization(context.Background(), follow(t, req.URL))
	require.NoError(t, err)
	return m
}

func TestSharedStoreDoesNotReadoptARefusedRefreshToken(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{AS: oauthtest.Options{TokenLifetime: time.Second}})
	dir := filepath.Join(t.TempDir(), "tokens")
	loggedInManager(t, srv, dir).Close()
	srv.AS().RevokeRefreshTokens()

	m := newManager(t, &Config{ServerURL: srv.StreamableURL(), TokenStoreDir: dir})
	useClock(m).Advance(2 * time.Second) // the stored access token has expired
	for range 2 {
		_, err := m.Token(context.Background())
		require.ErrorIs(t, err, ErrAuthorizationRequired)
	}
	assert.Equal(t, 1, srv.AS().Counts().TokenByGrant["refresh_token"], "a refused refresh token is not tried again from the store")
}

func TestSharedStoreStepUpDoesNotReadoptTheNarrowToken(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	dir := filepath.Join(t.TempDir(), "tokens")
	m := loggedInManager(t, srv, dir, mcptest.ScopeRead)
	s, err := sdkConnect(context.Background(), t, m, srv.StreamableURL(), false)
	require.NoError(t, err)
	defer s.Close()
	_, err = s.CallTool(context.Background(), &mcp.CallToolParams{Name: "write_note", Arguments: map[string]any{"text": "x"}})
	require.ErrorIs(t, err, ErrAuthorizationRequired, "step-up needs a new authorization, not the stored narrow token")
	assert.Zero(t, srv.AS().Counts().TokenByGrant["refresh_token"], "a refresh cannot widen the grant (RFC 6749 §6)")
}
