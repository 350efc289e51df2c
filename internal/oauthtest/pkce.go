package oauthtest

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
)

// pkceMethodS256 is the only code challenge method supported; "plain" is
// refused as OAuth 2.1 recommends.
const pkceMethodS256 = "S256"

// validS256Challenge reports whether challenge can be an S256 code challenge,
// the unpadded base64url encoding of a SHA-256 hash (RFC 7636 §4.2).
func validS256Challenge(challenge string) bool {
	b, err := base64.RawURLEncoding.Strict().DecodeString(challenge)
	return err == nil && len(b) == sha256.Size
}

// validVerifier reports whether verifier has the syntax of RFC 7636 §4.1:
// 43 to 128 unreserved characters.
func validVerifier(verifier string) bool {
	if len(verifier) < 43 || len(verifier) > 128 {
		return false
	}
	for _, c := range []byte(verifier) {
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case c == '-', c == '.', c == '_', c == '~':
		default:
			return false
		}
	}
	return true
}

// verifyS256 reports whether verifier matches an S256 challenge
// (RFC 7636 §4.6).
func verifyS256(verifier, challenge string) bool {
	if !validVerifier(verifier) {
		return false
	}
	sum := sha256.Sum256([]byte(verifier))
	computed := base64.RawURLEncoding.EncodeToString(sum[:])
	return subtle.ConstantTimeCompare([]byte(computed), []byte(challenge)) == 1
}
