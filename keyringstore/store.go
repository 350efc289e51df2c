package keyringstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

func init() {
	core.RegisterStore(core.KeyringStore, Open)
}

// service is the "service" attribute of every item the store writes.
const service = "mcp-oauth"

// Store is a [core.Store] in the Secret Service's default keyring. Its
// entries' locks are flock(2) files in a directory (token_store_dir), as
// the file store's: the keyring has no locks of its own.
type Store struct {
	address string
	// files holds the lock files; it also removes what an earlier file
	// store left for an entry that is deleted.
	files *core.FileStore
}

var (
	_ core.Store        = (*Store)(nil)
	_ core.StoreLister  = (*Store)(nil)
	_ core.StoreDeleter = (*Store)(nil)
)

// notices receives the one line that says the store fell back to files.
var notices io.Writer = os.Stderr

// opened holds what Open chose for each bus address and directory in the
// process: the keyring, or the file store it fell back to (announced once).
var (
	openedMu sync.Mutex
	opened   = map[string]core.Store{}
)

// Open opens the keyring store for cfg (token_store "keyring"): the
// Secret Service on the session bus, with its lock files in
// cfg.TokenStoreDir, by default the directory os.UserConfigDir()/mcp-oauth
// (~/.config/mcp-oauth on Linux). Where no Secret Service runs — no session
// bus, or none on it — it returns the file store of that directory, and
// says so once on stderr. A keyring that is locked, with no prompt to
// unlock it, is an error.
func Open(cfg *core.Config) (core.Store, error) {
	if cfg.TokenStore != core.KeyringStore {
		return nil, &core.ConfigError{Field: "token_store", Reason: `the keyring is named "keyring", without a URL`}
	}
	switch runtime.GOOS {
	case "darwin", "ios":
		return nil, &core.ConfigError{Field: "token_store", Reason: "the macOS Keychain is not supported " +
			"(it needs cgo and the Security framework, which this build has not); use token_store_dir"}
	case "windows":
		return nil, &core.ConfigError{Field: "token_store", Reason: "the Windows Credential Manager is not " +
			"supported yet; use token_store_dir"}
	}
	dir := cfg.TokenStoreDir
	if dir == "" {
		base, err := os.UserConfigDir()
		if err != nil {
			return nil, &core.ConfigError{Field: "token_store_dir", Reason: "no default directory for the keyring's lock files: " + err.Error()}
		}
		dir = filepath.Join(base, "mcp-oauth")
	}
	files, err := core.OpenStore(&core.Config{TokenStoreDir: dir})
	if err != nil {
		return nil, err
	}
	address := busAddress()
	openedMu.Lock()
	defer openedMu.Unlock()
	id := address + "\x00" + dir
	if s := opened[id]; s != nil {
		return s, nil
	}
	if err := probe(address); err != nil {
		var none *errNoService
		if !errors.As(err, &none) {
			return nil, &core.ConfigError{Field: "token_store", Reason: strings.TrimPrefix(err.Error(), "mcp-oauth: ")}
		}
		fmt.Fprintf(notices, "mcp-oauth: token_store \"keyring\": %s; keeping credentials in files in %s instead\n", none.reason, dir)
		opened[id] = files
		return files, nil
	}
	s := &Store{address: address, files: files.(*core.FileStore)}
	opened[id] = s
	return s, nil
}

// probe checks that the Secret Service answers and that its default
// keyring can be used without a prompt.
func probe(address string) error {
	return with(address, func(c *client) error {
		_, err := c.defaultCollection()
		return err
	})
}

// with runs op on a new connection and session, closed afterwards.
func with(address string, op func(*client) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	c, err := connect(ctx, address)
	if err != nil {
		return err
	}
	defer c.close()
	return op(c)
}

// entryName names k's entry by a hash of the key, as the file store names
// its files.
func entryName(k core.StoreKey) string {
	sum := sha256.Sum256([]byte(k.ServerURL + "\x00" + k.Issuer + "\x00" + k.ClientID))
	return hex.EncodeToString(sum[:16])
}

// attributes are the item attributes of k's entry: the service, the
// entry's name, and the key in clear so a keyring manager can tell what
// the item is for (none of them is a secret).
func attributes(k core.StoreKey) map[string]string {
	a := map[string]string{"service": service, "entry": entryName(k)}
	for name, v := range map[string]string{"server_url": k.ServerURL, "issuer": k.Issuer, "client_id": k.ClientID} {
		if v != "" {
			a[name] = v
		}
	}
	return a
}

// decode parses an item's secret, checking it is k's when k is given.
func decode(data []byte, k *core.StoreKey) (*core.StoredCredentials, error) {
	var c core.StoredCredentials
	if err := json.Unmarshal(data, &c); err != nil || (k != nil && c.Key != *k) {
		return nil, errors.New("mcp-oauth: token store: a keyring item of mcp-oauth is corrupt")
	}
	return &c, nil
}

// Load returns the credentials stored for k, or [core.ErrNotStored].
func (s *Store) Load(k core.StoreKey) (*core.StoredCredentials, error) {
	var out *core.StoredCredentials
	err := with(s.address, func(c *client) error {
		items, err := c.search(map[string]string{"service": service, "entry": entryName(k)})
		if err != nil {
			return err
		}
		if len(items) == 0 {
			return core.ErrNotStored
		}
		secrets, err := c.secrets(items[:1])
		if err != nil {
			return err
		}
		out, err = decode(secrets[items[0]], &k)
		return err
	})
	return out, err
}

// Save writes c under c.Key in the default keyring, replacing its item.
func (s *Store) Save(c *core.StoredCredentials) error {
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return with(s.address, func(cl *client) error {
		coll, err := cl.defaultCollection()
		if err != nil {
			return err
		}
		return cl.create(coll, "mcp-oauth: "+c.Key.ServerURL, attributes(c.Key), data)
	})
}

// Delete removes k's entry (every item of it, in any keyring) and its
// files (the lock, and an entry the file store kept there before); a
// missing entry is not an error.
func (s *Store) Delete(k core.StoreKey) error {
	err := with(s.address, func(c *client) error {
		items, err := c.search(map[string]string{"service": service, "entry": entryName(k)})
		for _, item := range items {
			if err == nil {
				err = c.delete(item)
			}
		}
		return err
	})
	if err != nil {
		return err
	}
	return s.files.Delete(k)
}

// List returns every entry of the store (for status displays and to
// restore a token before discovery), skipping items that are not valid
// entries.
func (s *Store) List() ([]*core.StoredCredentials, error) {
	var out []*core.StoredCredentials
	err := with(s.address, func(c *client) error {
		items, err := c.search(map[string]string{"service": service})
		if err != nil || len(items) == 0 {
			return err
		}
		secrets, err := c.secrets(items)
		if err != nil {
			return err
		}
		for _, item := range items {
			if e, err := decode(secrets[item], nil); err == nil {
				out = append(out, e)
			}
		}
		return nil
	})
	return out, err
}

// Lock takes the lock file of k's entry (see [core.FileStore.Lock]).
func (s *Store) Lock(ctx context.Context, k core.StoreKey, wait time.Duration) (func(), error) {
	return s.files.Lock(ctx, k, wait)
}
