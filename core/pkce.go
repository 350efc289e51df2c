package core

import "golang.org/x/oauth2"

// GenerateCodeVerifier returns a fresh PKCE code verifier (RFC 7636 §4.1): 43
// unreserved characters encoding 32 bytes from crypto/rand.
func GenerateCodeVerifier() string { return oauth2.GenerateVerifier() }

// GenerateCodeChallenge returns the S256 code challenge of verifier
// (RFC 7636 §4.2): BASE64URL-ENCODE(SHA256(ASCII(verifier))), unpadded.
// A verifier outside the §4.1 syntax gives [ErrInvalidVerifier].
func GenerateCodeChallenge(verifier string) (string, error) {
	if !ValidCodeVerifier(verifier) {
		return "", ErrInvalidVerifier
	}
	return oauth2.S256ChallengeFromVerifier(verifier), nil
}

// ValidCodeVerifier reports whether v is 43–128 characters of
// [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~" (RFC 7636 §4.1).
func ValidCodeVerifier(v string) bool {
	if len(v) < 43 || len(v) > 128 {
		return false
	}
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9',
			c == '-', c == '.', c == '_', c == '~':
		default:
			return false
		}
	}
	return true
}
