package core

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// StoreKey identifies stored credentials: the protected resource (MCP
// server), the authorization server that issued them and the client they
// were issued to. The MCP authorization spec requires credentials to be kept
// per authorization server and a registration to be bound to its issuer.
type StoreKey struct {
	ServerURL string `json:"server_url"`
	Issuer    string `json:"issuer"`
	ClientID  string `json:"client_id"`
}

// StoredCredentials is what a [FileStore] keeps for a key: the client
// registration (for dynamically registered clients) and the latest tokens.
type StoredCredentials struct {
	Key StoreKey `json:"key"`
	// RegisteredClientID, ClientSecret, ClientSecretExpiresAt and AuthMethod
	// are a dynamically registered client (RFC 7591 §3.2.1).
	RegisteredClientID    string    `json:"registered_client_id,omitempty"`
	AuthMethod            string    `json:"token_endpoint_auth_method,omitempty"`
	ClientSecret          string    `json:"client_secret,omitempty"`
	ClientSecretExpiresAt int64     `json:"client_secret_expires_at,omitempty"`
	RedirectURIs          []string  `json:"redirect_uris,omitempty"`
	AccessToken           string    `json:"access_token,omitempty"`
	RefreshToken          string    `json:"refresh_token,omitempty"`
	Expiry                time.Time `json:"expiry,omitzero"`
	Scope                 string    `json:"scope,omitempty"`
	// TokenType is "DPoP" for a DPoP-bound access token (RFC 9449), whose
	// key DPoPKey (PKCS#8 PEM) is kept with it; "" means Bearer.
	TokenType string `json:"token_type,omitempty"`
	DPoPKey   string `json:"dpop_key,omitempty"`
	// AddedScope is the scopes asked for beyond the discovered ones, space
	// separated: those an MCP server's insufficient_scope challenge named
	// (a step-up, RFC 6750 §3.1) and those added with
	// [TokenManager.AddScopes]. Every later authorization for this key asks
	// for them too, so that a server's challenge is remembered across runs.
	AddedScope string `json:"added_scope,omitempty"`
	// NotGrantedScope is the scopes the latest token request asked for
	// that the authorization server left out of the token (RFC 6749 §5.1
	// scope), space separated.
	NotGrantedScope string `json:"not_granted_scope,omitempty"`
	// Metadata is the protected resource and authorization server metadata
	// that led to this entry, kept while HTTP caching allows
	// (metadatacache.go).
	Metadata *CachedMetadata `json:"metadata,omitempty"`
	// ClientFingerprint identifies the configured client credentials the
	// tokens were obtained with (see fingerprint.go), never the secret.
	ClientFingerprint string    `json:"client_fingerprint,omitempty"`
	UpdatedAt         time.Time `json:"updated_at"`
}

// token is the stored access token, for the manager's cache.
func (c *StoredCredentials) token() *Token {
	tt := "Bearer"
	if c.TokenType == TokenTypeDPoP {
		tt = TokenTypeDPoP
	}
	return &Token{AccessToken: c.AccessToken, TokenType: tt, Expiry: c.Expiry, Scope: c.Scope}
}

// FileStore persists credentials as one JSON file per key in Dir. Files are
// created 0600 inside a 0700 directory and replaced atomically (write to a
// temporary file in the same directory, fsync, rename), so a crash never
// leaves a torn file and no other user can read a token. It trusts only
// what the effective user owns: the directory and every file it reads must
// be theirs, and a symbolic link in place of an entry or a lock is refused
// (opened with O_NOFOLLOW). Temporary files left by a writer that was
// killed are removed once stale ([staleTempAge]) by the next Save or List,
// and with their entry by Delete.
type FileStore struct {
	Dir string
}

// ErrNotStored is returned by [FileStore.Load] for an unknown key.
var ErrNotStored = errors.New("mcp-oauth: no stored credentials for this server, issuer and client")

// path names a key's file by a hash of the key, so no URL reaches the
// file system.
func (s *FileStore) path(k StoreKey) string {
	return filepath.Join(s.Dir, s.stem(k)+".json")
}

// stem is the name of a key's files without extension: <stem>.json, its
// lock <stem>.lock and its temporary files <stem>.tmp-*.
func (s *FileStore) stem(k StoreKey) string {
	sum := sha256.Sum256([]byte(k.ServerURL + "\x00" + k.Issuer + "\x00" + k.ClientID))
	return hex.EncodeToString(sum[:16])
}

// staleTempAge is the age past which a temporary file is taken for the
// leftover of a writer that died: a save takes milliseconds.
const staleTempAge = time.Minute

// ensureDir creates the directory 0700 and refuses one that other users can
// read or write.
func (s *FileStore) ensureDir() error {
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return fmt.Errorf("mcp-oauth: token store: %w", err)
	}
	info, err := os.Stat(s.Dir)
	if err != nil {
		return fmt.Errorf("mcp-oauth: token store: %w", err)
	}
	if err := checkOwner("token store directory "+s.Dir, info); err != nil {
		return fmt.Errorf("mcp-oauth: %w", err)
	}
	if info.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("mcp-oauth: token store directory %s is accessible to other users (mode %o); chmod 700 it", s.Dir, info.Mode().Perm())
	}
	return nil
}

// readOwned reads a file of the store that must be a regular file owned by
// the effective user, without following a symbolic link.
func readOwned(path string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|oNoFollow, 0)
	if err != nil {
		return nil, symlinkError(filepath.Base(path), err)
	}
	defer f.Close()
	if err := ownedFile(f); err != nil {
		return nil, err
	}
	return io.ReadAll(f)
}

// ownedFile checks that an open file of the store is a regular file owned
// by the effective user.
func ownedFile(f *os.File) error {
	info, err := f.Stat()
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file; the token store refuses it", filepath.Base(f.Name()))
	}
	return checkOwner(filepath.Base(f.Name()), info)
}

// Load returns the credentials stored for k, or [ErrNotStored].
func (s *FileStore) Load(k StoreKey) (*StoredCredentials, error) {
	data, err := readOwned(s.path(k))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotStored
	}
	if err != nil {
		return nil, fmt.Errorf("mcp-oauth: token store: %w", err)
	}
	var c StoredCredentials
	if err := json.Unmarshal(data, &c); err != nil || c.Key != k {
		return nil, fmt.Errorf("mcp-oauth: token store: %s is corrupt", filepath.Base(s.path(k)))
	}
	return &c, nil
}

// Save writes c under c.Key, atomically.
func (s *FileStore) Save(c *StoredCredentials) error {
	if err := s.ensureDir(); err != nil {
		return err
	}
	s.removeStaleTemps()
	data, err := json.MarshalIndent(c, "", "  ")
	if err == nil {
		err = writeFileAtomic(s.path(c.Key), s.stem(c.Key)+".tmp-*", data)
	}
	if err != nil {
		return fmt.Errorf("mcp-oauth: token store: %w", err)
	}
	return nil
}

// writeFileAtomic writes data to a 0600 temporary file beside path, named
// after pattern (os.CreateTemp), syncs it and renames it over path.
func writeFileAtomic(path, pattern string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), pattern)
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	err = tmp.Chmod(0o600)
	if err == nil {
		_, err = tmp.Write(data)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	return err
}

// Delete removes the credentials stored for k with the entry's lock and
// temporary files (a writer killed mid-save leaves one holding tokens); a
// missing entry is not an error.
func (s *FileStore) Delete(k StoreKey) error {
	names := []string{s.path(k), filepath.Join(s.Dir, s.stem(k)+".lock")}
	temps, _ := filepath.Glob(filepath.Join(s.Dir, s.stem(k)+".tmp-*"))
	for _, name := range append(names, temps...) {
		if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("mcp-oauth: token store: %w", err)
		}
	}
	return nil
}

// removeStaleTemps removes the temporary files older than [staleTempAge]
// (best effort): younger ones may be another process's save in progress.
func (s *FileStore) removeStaleTemps() {
	entries, err := os.ReadDir(s.Dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !strings.Contains(e.Name(), ".tmp-") {
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > staleTempAge {
			_ = os.Remove(filepath.Join(s.Dir, e.Name()))
		}
	}
}

// List returns every stored entry (for status displays), skipping files
// that are not valid entries.
func (s *FileStore) List() ([]*StoredCredentials, error) {
	entries, err := os.ReadDir(s.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("mcp-oauth: token store: %w", err)
	}
	s.removeStaleTemps()
	var out []*StoredCredentials
	for _, e := range entries {
		if e.IsDir() || filepath.Ext(e.Name()) != ".json" {
			continue
		}
		data, err := readOwned(filepath.Join(s.Dir, e.Name()))
		var c StoredCredentials
		if err == nil && json.Unmarshal(data, &c) == nil && s.path(c.Key) == filepath.Join(s.Dir, e.Name()) {
			out = append(out, &c)
		}
	}
	return out, nil
}
