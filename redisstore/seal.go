package redisstore

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"os"
	"strings"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// sealedPrefix starts an encrypted entry (a clear one is a JSON object).
const sealedPrefix = "\x01"

// errSealed and errClear refuse an entry whose form does not match the
// configuration: no key was configured for an encrypted entry, or a key was
// configured and the entry is in clear (never adopted: anyone who can write
// to Redis could plant it).
var (
	errSealed = errors.New("mcp-oauth: token store: the entry is encrypted; configure token_store_key_file or MCP_OAUTH_STORE_KEY")
	errClear  = errors.New("mcp-oauth: token store: the entry is not encrypted although a key is configured")
)

// loadKey reads the 32-byte AES-256 key from cfg.TokenStoreKeyFile (raw or
// base64), else from the environment variable MCP_OAUTH_STORE_KEY
// (base64). No key: nil.
func loadKey(cfg *core.Config) ([]byte, error) {
	var text string
	if cfg.TokenStoreKeyFile != "" {
		data, err := os.ReadFile(cfg.TokenStoreKeyFile)
		if err != nil {
			return nil, &core.ConfigError{Field: "token_store_key_file", Reason: "cannot be read"}
		}
		if len(data) == 32 {
			return data, nil
		}
		text = string(data)
	} else if text = os.Getenv("MCP_OAUTH_STORE_KEY"); text == "" {
		return nil, nil
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(text))
	if err != nil || len(key) != 32 {
		field := "token_store_key_file"
		if cfg.TokenStoreKeyFile == "" {
			field = "token_store" // the key came from MCP_OAUTH_STORE_KEY
		}
		return nil, &core.ConfigError{Field: field, Reason: "the store key must be 32 bytes, raw or base64 (MCP_OAUTH_STORE_KEY: base64)"}
	}
	return key, nil
}

// sealer encrypts entries with AES-256-GCM (NIST SP 800-38D): a random
// 96-bit nonce per write, and the entry's Redis key name as additional
// data, so a ciphertext moved to another entry does not open.
type sealer struct{ aead cipher.AEAD }

func newSealer(key []byte) (*sealer, error) {
	if key == nil {
		return nil, nil
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &sealer{aead: aead}, nil
}

// seal encrypts plain for the entry name (nil sealer: stored in clear).
func (s *sealer) seal(name string, plain []byte) []byte {
	if s == nil {
		return plain
	}
	nonce := make([]byte, s.aead.NonceSize())
	_, _ = rand.Read(nonce)
	out := append([]byte(sealedPrefix), nonce...)
	return s.aead.Seal(out, nonce, plain, []byte(name))
}

// open decrypts what seal wrote for name.
func (s *sealer) open(name string, data []byte) ([]byte, error) {
	sealed := strings.HasPrefix(string(data), sealedPrefix)
	switch {
	case s == nil && sealed:
		return nil, errSealed
	case s == nil:
		return data, nil
	case !sealed:
		return nil, errClear
	}
	data = data[len(sealedPrefix):]
	n := s.aead.NonceSize()
	if len(data) < n {
		return nil, errors.New("mcp-oauth: token store: truncated entry")
	}
	plain, err := s.aead.Open(nil, data[:n], data[n:], []byte(name))
	if err != nil {
		return nil, errors.New("mcp-oauth: token store: the entry does not decrypt with the configured key")
	}
	return plain, nil
}
