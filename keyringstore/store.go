package keyringstore

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

func init() {
	core.RegisterStore(core.KeyringStore, Open)
}

// service names the store's entries in the keyring.
const service = "mcp-oauth"

// notices receives the one line that says the store fell back to files.
var notices io.Writer = os.Stderr

// errNoService says no keyring can be reached: the store then falls back
// to files.
type errNoService struct{ reason string }

func (e *errNoService) Error() string { return e.reason }

// opened holds what Open chose for each keyring session and directory in
// the process: the keyring, or the file store it fell back to (announced
// once).
var (
	openedMu sync.Mutex
	opened   = map[string]core.Store{}
)

// Open opens the keyring store for cfg (token_store "keyring"): the OS
// keyring, with its lock files (Linux) in cfg.TokenStoreDir, by default
// the directory os.UserConfigDir()/mcp-oauth (~/.config/mcp-oauth on Linux).
// Where no keyring runs it returns the file store of that directory, and
// says so once on stderr. A keyring that is locked, with no prompt to
// unlock it, is an error.
func Open(cfg *core.Config) (core.Store, error) {
	if cfg.TokenStore != core.KeyringStore {
		return nil, &core.ConfigError{Field: "token_store", Reason: `the keyring is named "keyring", without a URL`}
	}
	dir := cfg.TokenStoreDir
	if dir == "" {
		base, err := os.UserConfigDir()
		if err != nil {
			return nil, &core.ConfigError{Field: "token_store_dir", Reason: "no default directory for the keyring's lock files: " + err.Error()}
		}
		dir = filepath.Join(base, "mcp-oauth")
	}
	openedMu.Lock()
	defer openedMu.Unlock()
	id := sessionID() + "\x00" + dir
	if s := opened[id]; s != nil {
		return s, nil
	}
	s, err := openNative(dir)
	var none *errNoService
	var ce *core.ConfigError
	switch {
	case errors.As(err, &none):
		if s, err = openFiles(dir); err != nil {
			return nil, err
		}
		fmt.Fprintf(notices, "mcp-oauth: token_store \"keyring\": %s; keeping credentials in files in %s instead\n", none.reason, dir)
	case errors.As(err, &ce):
		return nil, err
	case err != nil:
		return nil, &core.ConfigError{Field: "token_store", Reason: strings.TrimPrefix(err.Error(), "mcp-oauth: ")}
	}
	opened[id] = s
	return s, nil
}

// openFiles opens the file store of dir (created 0700; refused if others
// can read it).
func openFiles(dir string) (*core.FileStore, error) {
	s, err := core.OpenStore(&core.Config{TokenStoreDir: dir})
	if err != nil {
		return nil, err
	}
	return s.(*core.FileStore), nil
}

// entryName names k's entry by a hash of the key, as the file store names
// its files.
func entryName(k core.StoreKey) string {
	sum := sha256.Sum256([]byte(k.ServerURL + "\x00" + k.Issuer + "\x00" + k.ClientID))
	return hex.EncodeToString(sum[:16])
}

// decode parses an entry's secret, checking it is k's when k is given.
func decode(data []byte, k *core.StoreKey) (*core.StoredCredentials, error) {
	var c core.StoredCredentials
	if err := json.Unmarshal(data, &c); err != nil || (k != nil && c.Key != *k) {
		return nil, errors.New("mcp-oauth: token store: a keyring entry of mcp-oauth is corrupt")
	}
	return &c, nil
}
