package core

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"
)

// A token store entry records which client credentials its tokens were
// obtained with, so that a program whose client secret (or private key)
// changed never keeps using tokens issued under the old one — a secret is
// changed because it may have leaked. The record is a fingerprint, never
// the secret: HMAC-SHA-256 (RFC 2104) over the client id, secret and
// private key, keyed with a random salt kept beside it, so that the entry
// neither reveals the secret nor lets one test guesses against a known
// digest across entries.

// fingerprintPrefix names the fingerprint's scheme.
const fingerprintPrefix = "hmac-sha256:"

// clientFingerprint returns the fingerprint of the configured client
// credentials with a fresh salt.
func (m *TokenManager) clientFingerprint() string {
	salt := make([]byte, 16)
	_, _ = rand.Read(salt) // crypto/rand.Read never fails (Go 1.24+)
	return fingerprintPrefix + base64.RawURLEncoding.EncodeToString(salt) + ":" +
		base64.RawURLEncoding.EncodeToString(m.credentialsMAC(salt))
}

// credentialsMAC is the HMAC of the configured client credentials under salt.
func (m *TokenManager) credentialsMAC(salt []byte) []byte {
	mac := hmac.New(sha256.New, salt)
	mac.Write([]byte(m.cfg.ClientID + "\x00" + m.cfg.ClientSecret + "\x00" + m.cfg.PrivateKeyPEM))
	return mac.Sum(nil)
}

// sameClient reports whether c's tokens were obtained with the configured
// client credentials. An entry without a fingerprint (written before there
// were any) is trusted only by a client without secret or key.
func (m *TokenManager) sameClient(c *StoredCredentials) bool {
	if c.ClientFingerprint == "" {
		return m.cfg.ClientSecret == "" && m.cfg.PrivateKeyPEM == ""
	}
	salt64, mac64, ok := strings.Cut(strings.TrimPrefix(c.ClientFingerprint, fingerprintPrefix), ":")
	salt, err1 := base64.RawURLEncoding.DecodeString(salt64)
	mac, err2 := base64.RawURLEncoding.DecodeString(mac64)
	return ok && err1 == nil && err2 == nil && strings.HasPrefix(c.ClientFingerprint, fingerprintPrefix) &&
		hmac.Equal(mac, m.credentialsMAC(salt))
}

// dropForeignTokens empties c's tokens unless they were obtained with the
// configured client credentials.
func (m *TokenManager) dropForeignTokens(c *StoredCredentials) {
	if !m.sameClient(c) {
		c.AccessToken, c.RefreshToken, c.Scope, c.Expiry = "", "", "", time.Time{}
	}
}
