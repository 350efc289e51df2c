package core

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// countingStore is an in-memory Store that counts its calls and can be
// made unreachable.
type countingStore struct {
	mu      sync.Mutex
	entries map[StoreKey]StoredCredentials
	lock    sync.Mutex
	calls   atomic.Int64
	down    atomic.Bool
}

var errDown = &NetworkError{Endpoint: "token store", Err: errors.New("connection refused")}

func (s *countingStore) Load(k StoreKey) (*StoredCredentials, error) {
	s.calls.Add(1)
	if s.down.Load() {
		return nil, errDown
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.entries[k]
	if !ok {
		return nil, ErrNotStored
	}
	return &c, nil
}

func (s *countingStore) Save(c *StoredCredentials) error {
	s.calls.Add(1)
	if s.down.Load() {
		return errDown
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.entries[c.Key] = *c
	return nil
}

func (s *countingStore) Lock(context.Context, StoreKey, time.Duration) (func(), error) {
	s.calls.Add(1)
	if s.down.Load() {
		return nil, errDown
	}
	s.lock.Lock()
	return s.lock.Unlock, nil
}

// testStores maps the host of a test:// token_store URL to its store.
var testStores sync.Map

func init() {
	RegisterStore("test", func(cfg *Config) (Store, error) {
		s, _ := testStores.LoadOrStore(cfg.TokenStore, &countingStore{entries: map[StoreKey]StoredCredentials{}})
		return s.(Store), nil
	})
}

func storeConfig(t *testing.T, srv *oauthtest.Server, fallback string) (*Config, *countingStore) {
	cfg := testClient(srv)
	cfg.TokenStore, cfg.TokenStoreFallback = "test://"+t.Name(), fallback
	s, _ := testStores.LoadOrStore(cfg.TokenStore, &countingStore{entries: map[StoreKey]StoredCredentials{}})
	return cfg, s.(*countingStore)
}

// TestStoreByURLShares: managers on one token_store URL share one token,
// and a cached Token() makes no store call at all.
func TestStoreByURLShares(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	cfg, store := storeConfig(t, srv, "")
	a, b := newManager(t, cfg), newManager(t, cfg)
	ta, err := a.Token(context.Background())
	require.NoError(t, err)
	tb, err := b.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, ta.AccessToken, tb.AccessToken)
	assert.Equal(t, 1, srv.Counts().Token)
	before := store.calls.Load()
	for range 1000 {
		_, err := a.Token(context.Background())
		require.NoError(t, err)
	}
	assert.Equal(t, before, store.calls.Load(), "store calls on the cached path")
}

// TestStoreUnreachableFallback: when the store cannot be reached, "fail"
// fails the token request with the store's network error and "unshared"
// (the default) requests the token without sharing.
func TestStoreUnreachableFallback(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	cfg, store := storeConfig(t, srv, StoreFallbackFail)
	store.down.Store(true)
	_, err := newManager(t, cfg).Token(context.Background())
	var ne *NetworkError
	require.ErrorAs(t, err, &ne)
	assert.Equal(t, "token store", ne.Endpoint)
	assert.Zero(t, srv.Counts().Token)

	unshared := *cfg
	unshared.TokenStoreFallback = ""
	_, err = newManager(t, &unshared).Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1, srv.Counts().Token)
}

func TestConfigTokenStore(t *testing.T) {
	base := func() *Config {
		return &Config{ClientID: "c", ClientSecret: "s", TokenURL: "https://as.example/token"}
	}
	for _, tc := range []struct {
		name, field string
		edit        func(*Config)
	}{
		{"with token_store_dir", "token_store", func(c *Config) { c.TokenStore, c.TokenStoreDir = "test://x", "/tmp/x" }},
		{"key file alone", "token_store_key_file", func(c *Config) { c.TokenStoreKeyFile = "/k" }},
		{"unknown fallback", "token_store_fallback", func(c *Config) { c.TokenStore, c.TokenStoreFallback = "test://x", "retry" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := base()
			tc.edit(c)
			var ce *ConfigError
			require.ErrorAs(t, c.Validate(), &ce)
			assert.Equal(t, tc.field, ce.Field)
		})
	}
	c := base()
	c.TokenStore = "memcached://host:11211"
	_, err := NewTokenManager(c)
	var ce *ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "token_store", ce.Field)
	assert.Contains(t, ce.Reason, "test")
	assert.True(t, IsStoreURL("redis://:pw@127.0.0.1:6379/0"))
	assert.False(t, IsStoreURL("/var/lib/tokens"))
	assert.False(t, IsStoreURL("relative/dir"))
}
