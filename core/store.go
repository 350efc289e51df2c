package core

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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
	TokenType string    `json:"token_type,omitempty"`
	DPoPKey   string    `json:"dpop_key,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
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
// leaves a torn file and no other user can read a token.
type FileStore struct {
	Dir string
}

// ErrNotStored is returned by [FileStore.Load] for an unknown key.
var ErrNotStored = errors.New("mcp-oauth: no stored credentials for this server, issuer and client")

// path names a key's file by a hash of the key, so no URL reaches the
// file system.
func (s *FileStore) path(k StoreKey) string {
	sum := sha256.Sum256([]byte(k.ServerURL + "\x00" + k.Issuer + "\x00" + k.ClientID))
	return filepath.Join(s.Dir, hex.EncodeToString(sum[:16])+".json")
}

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
	if info.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("mcp-oauth: token store directory %s is accessible to other users (mode %o); chmod 700 it", s.Dir, info.Mode().Perm())
	}
	return nil
}

// Load returns the credentials stored for k, or [ErrNotStored].
func (s *FileStore) Load(k StoreKey) (*StoredCredentials, error) {
	data, err := os.ReadFile(s.path(k))
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
	data, err := json.MarshalIndent(c, "", "  ")
	if err == nil {
		err = writeFileAtomic(s.path(c.Key), data)
	}
	if err != nil {
		return fmt.Errorf("mcp-oauth: token store: %w", err)
	}
	return nil
}

// writeFileAtomic writes data to a 0600 temporary file beside path, syncs
// it and renames it over path.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
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

// Delete removes the credentials stored for k; a missing entry is not an
// error.
func (s *FileStore) Delete(k StoreKey) error {
	if err := os.Remove(s.path(k)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("mcp-oauth: token store: %w", err)
	}
	return nil
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
	var out []*StoredCredentials
	for _, e := range entries {
		if e.IsDir() || filepath.Ext(e.Name()) != ".json" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(s.Dir, e.Name()))
		var c StoredCredentials
		if err == nil && json.Unmarshal(data, &c) == nil && s.path(c.Key) == filepath.Join(s.Dir, e.Name()) {
			out = append(out, &c)
		}
	}
	return out, nil
}
