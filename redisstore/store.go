package redisstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

func init() {
	core.RegisterStore("redis", Open)
	core.RegisterStore("rediss", Open)
}

// opTimeout bounds each command sent to Redis.
const opTimeout = 3 * time.Second

// keyPrefix starts every key the store writes; entries are named by a hash
// of their StoreKey, so no URL or client ID appears in a key name.
const keyPrefix = "mcp-oauth:v1:"

// Store is a [core.Store] on one Redis or Valkey database.
type Store struct {
	rdb  *redis.Client
	seal *sealer
	// lease is how long a lock lasts without renewal (LockLease).
	lease time.Duration
}

var (
	_ core.Store        = (*Store)(nil)
	_ core.StoreLister  = (*Store)(nil)
	_ core.StoreDeleter = (*Store)(nil)
)

// LockLease is how long an entry's lock outlives a holder that stopped
// renewing it (one that died): the longest another host waits for it.
const LockLease = 5 * time.Second

// opened holds one Store per URL and key in the process: 10,000 managers
// on one Redis share one connection pool.
var (
	openedMu sync.Mutex
	opened   = map[string]*Store{}
)

// Open opens cfg.TokenStore (a redis:// or rediss:// URL, the password
// possibly in MCP_OAUTH_REDIS_PASSWORD) with the key of
// cfg.TokenStoreKeyFile or MCP_OAUTH_STORE_KEY. No connection is made
// until the store is used.
func Open(cfg *core.Config) (core.Store, error) {
	key, err := loadKey(cfg)
	if err != nil {
		return nil, err
	}
	id := sha256.Sum256(append([]byte(cfg.TokenStore+"\x00"), key...))
	openedMu.Lock()
	defer openedMu.Unlock()
	if s := opened[string(id[:])]; s != nil {
		return s, nil
	}
	opts, err := redis.ParseURL(cfg.TokenStore)
	if err != nil {
		// The URL may hold a password: the reason never quotes it.
		return nil, &core.ConfigError{Field: "token_store", Reason: "not a valid redis:// or rediss:// URL"}
	}
	if opts.Password == "" {
		opts.Password = os.Getenv("MCP_OAUTH_REDIS_PASSWORD")
	}
	opts.DialTimeout, opts.ReadTimeout, opts.WriteTimeout = opTimeout, opTimeout, opTimeout
	// A Redis that is down fails a request at once (the manager then
	// follows token_store_fallback) instead of after rounds of redials.
	opts.MaxRetries, opts.DialerRetries, opts.DialerRetryTimeout = 1, 1, 10*time.Millisecond
	opts.DisableIdentity = true // no CLIENT SETINFO (older servers refuse it)
	seal, err := newSealer(key)
	if err != nil {
		return nil, err
	}
	s := &Store{rdb: redis.NewClient(opts), seal: seal, lease: LockLease}
	opened[string(id[:])] = s
	return s, nil
}

// entryName is the key of k's entry.
func entryName(k core.StoreKey) string {
	sum := sha256.Sum256([]byte(k.ServerURL + "\x00" + k.Issuer + "\x00" + k.ClientID))
	return keyPrefix + "entry:" + hex.EncodeToString(sum[:16])
}

// unavailable wraps a failure to reach Redis as the network error the
// manager's token_store_fallback acts on.
func unavailable(err error) error {
	return &core.NetworkError{Endpoint: "token store", Timeout: errors.Is(err, context.DeadlineExceeded), Err: err}
}

func opContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), opTimeout)
}

// Load returns the credentials stored for k, or [core.ErrNotStored].
func (s *Store) Load(k core.StoreKey) (*core.StoredCredentials, error) {
	ctx, cancel := opContext()
	defer cancel()
	name := entryName(k)
	data, err := s.rdb.Get(ctx, name).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, core.ErrNotStored
	}
	if err != nil {
		return nil, unavailable(err)
	}
	return s.decode(name, data, &k)
}

// decode opens and parses an entry, checking it is k's when k is given.
func (s *Store) decode(name string, data []byte, k *core.StoreKey) (*core.StoredCredentials, error) {
	plain, err := s.seal.open(name, data)
	if err != nil {
		return nil, err
	}
	var c core.StoredCredentials
	if err := json.Unmarshal(plain, &c); err != nil || (k != nil && c.Key != *k) || entryName(c.Key) != name {
		return nil, fmt.Errorf("mcp-oauth: token store: entry %s is corrupt", name)
	}
	return &c, nil
}

// Save writes c under c.Key.
func (s *Store) Save(c *core.StoredCredentials) error {
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	ctx, cancel := opContext()
	defer cancel()
	name := entryName(c.Key)
	if err := s.rdb.Set(ctx, name, s.seal.seal(name, data), 0).Err(); err != nil {
		return unavailable(err)
	}
	return nil
}

// Delete removes k's entry; a missing entry is not an error.
func (s *Store) Delete(k core.StoreKey) error {
	ctx, cancel := opContext()
	defer cancel()
	if err := s.rdb.Del(ctx, entryName(k)).Err(); err != nil {
		return unavailable(err)
	}
	return nil
}

// List returns every entry that opens with the configured key (SCAN; for
// status displays and restoring a token before discovery).
func (s *Store) List() ([]*core.StoredCredentials, error) {
	ctx, cancel := opContext()
	defer cancel()
	var out []*core.StoredCredentials
	iter := s.rdb.Scan(ctx, 0, keyPrefix+"entry:*", 100).Iterator()
	for iter.Next(ctx) {
		data, err := s.rdb.Get(ctx, iter.Val()).Bytes()
		if err != nil {
			continue
		}
		if c, err := s.decode(iter.Val(), data, nil); err == nil {
			out = append(out, c)
		}
	}
	if err := iter.Err(); err != nil {
		return nil, unavailable(err)
	}
	return out, nil
}
