//go:build !windows && !darwin

package keyringstore

import (
	"context"
	"encoding/json"
	"time"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

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

// openNative opens the Secret Service on the session bus, its lock files
// in dir: an *errNoService where none runs.
func openNative(dir string) (core.Store, error) {
	files, err := openFiles(dir)
	if err != nil {
		return nil, err
	}
	address := busAddress()
	if err := probe(address); err != nil {
		return nil, err
	}
	return &Store{address: address, files: files}, nil
}

// sessionID tells keyring sessions apart: the bus address.
func sessionID() string { return busAddress() }

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
