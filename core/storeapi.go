package core

import (
	"context"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
)

// Store is where managers keep credentials between runs and share them
// between processes and hosts: the client registration and the latest
// tokens of each [StoreKey]. [FileStore] (config token_store_dir) shares
// them between the processes of one host; a backend registered with
// [RegisterStore] (config token_store, e.g. the Redis/Valkey backend of
// package redisstore) shares them across hosts.
//
// A manager calls Lock before it registers a client or requests a token,
// re-reads the entry under the lock and uses what another process stored
// meanwhile (a fresh access token, a rotated refresh token, RFC 6749 §6)
// instead of asking the authorization server again, then saves its result
// and unlocks. So a Store must give Lock mutual exclusion across every
// process sharing it, released when its holder dies, and Load must see
// every Save that happened before the Lock. The cached path never calls a
// Store: a manager reads it only on a cache miss or once its token is due.
//
// A Lock that fails with a [*NetworkError] says the store cannot be
// reached: the manager then requests its token without sharing, or fails,
// as token_store_fallback says. Methods must be safe for concurrent use and
// must bound their own network calls.
type Store interface {
	// Load returns the credentials stored for k, or [ErrNotStored].
	Load(k StoreKey) (*StoredCredentials, error)
	// Save writes c under c.Key, atomically.
	Save(c *StoredCredentials) error
	// Lock takes the exclusive lock of k's entry, waiting at most wait (and
	// no longer than ctx allows), and returns the function that releases it.
	Lock(ctx context.Context, k StoreKey, wait time.Duration) (unlock func(), err error)
}

// StoreLister is a [Store] that can list its entries (for status displays
// and to restore a token before discovery).
type StoreLister interface {
	List() ([]*StoredCredentials, error)
}

// StoreDeleter is a [Store] that can delete an entry.
type StoreDeleter interface {
	Delete(k StoreKey) error
}

var (
	_ Store        = (*FileStore)(nil)
	_ StoreLister  = (*FileStore)(nil)
	_ StoreDeleter = (*FileStore)(nil)
)

// KeyringStore is the value of config token_store that keeps credentials
// in the OS keyring (the freedesktop Secret Service on Linux, the Credential
// Manager on Windows) through package keyringstore, which registers itself
// for it. token_store_dir then names the directory of its lock files and of
// the file store it falls back to where no keyring runs.
const KeyringStore = "keyring"

// StoreOpener opens the store named by cfg.TokenStore (a URL of the scheme
// it was registered for). A process opening many managers on one store
// should get one shared connection pool: the opener may return the same
// Store for the same URL.
type StoreOpener func(cfg *Config) (Store, error)

var (
	storesMu sync.RWMutex
	stores   = map[string]StoreOpener{}
)

// RegisterStore makes a store backend available to config token_store
// URLs of the given scheme (database/sql's driver pattern: the backend's
// package registers itself in its init). It panics if scheme is taken.
func RegisterStore(scheme string, open StoreOpener) {
	storesMu.Lock()
	defer storesMu.Unlock()
	if _, dup := stores[scheme]; dup {
		panic("mcp-oauth: RegisterStore called twice for " + scheme)
	}
	stores[scheme] = open
}

// openStoreURL opens cfg.TokenStore with its scheme's backend.
func openStoreURL(cfg *Config) (Store, error) {
	scheme := KeyringStore
	if cfg.TokenStore != KeyringStore {
		u, err := url.Parse(cfg.TokenStore)
		if err != nil || u.Scheme == "" {
			return nil, &ConfigError{Field: "token_store", Reason: `must be "keyring" or a URL such as redis://host:6379/0`}
		}
		scheme = strings.ToLower(u.Scheme)
	}
	storesMu.RLock()
	open, ok := stores[scheme]
	storesMu.RUnlock()
	if !ok {
		return nil, &ConfigError{Field: "token_store", Reason: "no store backend for " + scheme +
			" (known: " + strings.Join(storeSchemes(), ", ") + ")"}
	}
	return open(cfg)
}

func storeSchemes() []string {
	storesMu.RLock()
	defer storesMu.RUnlock()
	var names []string
	for s := range stores {
		names = append(names, s)
	}
	sort.Strings(names)
	return names
}

// Values of token_store_fallback.
const (
	StoreFallbackUnshared = "unshared"
	StoreFallbackFail     = "fail"
)

// StoreFallback is token_store_fallback, "unshared" when not set.
func (c *Config) StoreFallback() string {
	if c.TokenStoreFallback == "" {
		return StoreFallbackUnshared
	}
	return c.TokenStoreFallback
}

// checkTokenStore checks the token_store members: one store at most (the
// keyring's files aside), a key only with a shared token_store, a known
// fallback.
func (c *Config) checkTokenStore() error {
	keyring := c.TokenStore == KeyringStore
	switch {
	case c.TokenStore != "" && c.TokenStoreDir != "" && !keyring:
		return &ConfigError{Field: "token_store", Reason: "cannot be used with token_store_dir"}
	case (c.TokenStore == "" || keyring) && c.TokenStoreKeyFile != "":
		return &ConfigError{Field: "token_store_key_file", Reason: "only applies with a token_store URL (the keyring encrypts its own entries)"}
	case c.TokenStoreFallback != "" && c.TokenStoreFallback != StoreFallbackUnshared && c.TokenStoreFallback != StoreFallbackFail:
		return &ConfigError{Field: "token_store_fallback", Reason: `must be "unshared" or "fail"`}
	}
	return nil
}

// OpenStore opens the store cfg configures — token_store, else
// token_store_dir — or returns nil when it configures none (for tools that
// list or delete entries, such as the command-line tool's status and
// logout).
func OpenStore(cfg *Config) (Store, error) { return openStore(cfg) }

// IsStoreURL reports whether s names a store for token_store — a URL such
// as redis://host:6379/0, or [KeyringStore] — rather than a directory
// (token_store_dir).
func IsStoreURL(s string) bool {
	u, err := url.Parse(s)
	return s == KeyringStore || (err == nil && len(u.Scheme) > 1 && u.Host != "")
}
