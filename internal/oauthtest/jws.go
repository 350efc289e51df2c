package oauthtest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// JWS algorithms verified by the server (RFC 7518 §3.1).
const (
	algES256 = "ES256"
	algRS256 = "RS256"
)

// minRSABits is the smallest RSA key accepted for RS256 (RFC 7518 §3.3).
const minRSABits = 2048

// jwk is a public key of a JSON Web Key Set (RFC 7517 §4).
type jwk struct {
	kid string // "" when the key has no "kid"
	key crypto.PublicKey
}

// checkPublicKey reports whether key can verify ES256 or RS256 signatures.
func checkPublicKey(key crypto.PublicKey) error {
	switch k := key.(type) {
	case *ecdsa.PublicKey:
		if k.Curve != elliptic.P256() {
			return errors.New("ECDSA public key is not on P-256, as ES256 requires")
		}
		return nil
	case *rsa.PublicKey:
		if k.N.BitLen() < minRSABits {
			return fmt.Errorf("RSA public key has fewer than %d bits", minRSABits)
		}
		return nil
	}
	return fmt.Errorf("unsupported public key type %T", key)
}

// jwkJSON holds the members of a JWK used by the server: kty "EC" with crv
// "P-256", x and y (RFC 7518 §6.2.1), or kty "RSA" with n and e (RFC 7518
// §6.3.1). Private key members are refused.
type jwkJSON struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Use string `json:"use"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Y   string `json:"y"`
	N   string `json:"n"`
	E   string `json:"e"`
	D   string `json:"d"`
}

// parseJWKS parses a JWK Set (RFC 7517 §5) of EC P-256 and RSA public keys.
// Keys whose "use" is not "sig" are skipped (RFC 7517 §4.2).
func parseJWKS(raw []byte) ([]jwk, error) {
	var set struct {
		Keys []jwkJSON `json:"keys"`
	}
	if err := json.Unmarshal(raw, &set); err != nil {
		return nil, fmt.Errorf("malformed JWK Set: %w", err)
	}
	var keys []jwk
	for i, k := range set.Keys {
		if k.Use != "" && k.Use != "sig" {
			continue
		}
		key, err := k.publicKey()
		if err != nil {
			return nil, fmt.Errorf("JWK %d: %w", i, err)
		}
		keys = append(keys, jwk{kid: k.Kid, key: key})
	}
	if len(keys) == 0 {
		return nil, errors.New("JWK Set has no signing key")
	}
	return keys, nil
}

// publicKey decodes the public key of k.
func (k jwkJSON) publicKey() (crypto.PublicKey, error) {
	if k.D != "" {
		return nil, errors.New("a private key was published")
	}
	switch k.Kty {
	case "EC":
		if k.Crv != "P-256" {
			return nil, fmt.Errorf("unsupported curve %q", k.Crv)
		}
		x, errX := decodeCoordinate(k.X)
		y, errY := decodeCoordinate(k.Y)
		if errX != nil || errY != nil {
			return nil, errors.New("x and y must be 32 base64url-encoded bytes")
		}
		point := append(append([]byte{4}, x...), y...) // SEC 1 §2.3.3 uncompressed
		return ecdsa.ParseUncompressedPublicKey(elliptic.P256(), point)
	case "RSA":
		n, errN := base64.RawURLEncoding.DecodeString(k.N)
		e, errE := base64.RawURLEncoding.DecodeString(k.E)
		if errN != nil || errE != nil || len(e) == 0 || len(e) > 4 {
			return nil, errors.New("n and e must be base64url-encoded unsigned integers")
		}
		key := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
		if err := checkPublicKey(key); err != nil {
			return nil, err
		}
		return key, nil
	}
	return nil, fmt.Errorf("unsupported key type %q", k.Kty)
}

// decodeCoordinate decodes a P-256 coordinate, which RFC 7518 §6.2.1.2
// requires to be exactly 32 bytes long.
func decodeCoordinate(s string) ([]byte, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil && len(b) != 32 {
		err = errors.New("wrong length")
	}
	return b, err
}

// jwsHeader is the protected header of a JWS (RFC 7515 §4.1).
type jwsHeader struct {
	Alg  string   `json:"alg"`
	Kid  string   `json:"kid"`
	Crit []string `json:"crit"`
}

// verifyJWS verifies a JWS in compact serialization (RFC 7515 §7.1) signed
// with ES256 or RS256 by one of keys, and returns its payload. A "kid" in
// the header selects the keys with that "kid", or without one.
func verifyJWS(token string, keys []jwk) ([]byte, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, errors.New("not a compact JWS")
	}
	rawHeader, errH := base64.RawURLEncoding.DecodeString(parts[0])
	sig, errS := base64.RawURLEncoding.DecodeString(parts[2])
	if errH != nil || errS != nil {
		return nil, errors.New("JWS parts are not base64url-encoded")
	}
	var h jwsHeader
	if err := json.Unmarshal(rawHeader, &h); err != nil {
		return nil, errors.New("malformed JWS header")
	}
	if len(h.Crit) > 0 {
		return nil, errors.New("unsupported critical JWS header parameters") // RFC 7515 §4.1.11
	}
	if h.Alg != algES256 && h.Alg != algRS256 {
		return nil, fmt.Errorf("unsupported JWS algorithm %q", h.Alg)
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	for _, k := range keys {
		if h.Kid != "" && k.kid != "" && k.kid != h.Kid {
			continue
		}
		if verifySignature(h.Alg, k.key, digest[:], sig) {
			payload, err := base64.RawURLEncoding.DecodeString(parts[1])
			if err != nil {
				return nil, errors.New("JWS payload is not base64url-encoded")
			}
			return payload, nil
		}
	}
	return nil, errors.New("JWS signature does not verify with any key of the client")
}

// verifySignature verifies an ES256 signature, the 64-byte concatenation of
// R and S (RFC 7518 §3.4), or an RS256 RSASSA-PKCS1-v1_5 signature
// (RFC 7518 §3.3), over a SHA-256 digest.
func verifySignature(alg string, key crypto.PublicKey, digest, sig []byte) bool {
	switch k := key.(type) {
	case *ecdsa.PublicKey:
		if alg != algES256 || len(sig) != 64 {
			return false
		}
		r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
		return ecdsa.Verify(k, digest, r, s)
	case *rsa.PublicKey:
		return alg == algRS256 && rsa.VerifyPKCS1v15(k, crypto.SHA256, digest, sig) == nil
	}
	return false
}
