package oauthtest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Test keys, generated once: RSA key generation is slow under -race.
var (
	testECKey  = sync.OnceValue(func() *ecdsa.PrivateKey { return must(ecdsa.GenerateKey(elliptic.P256(), rand.Reader)) })
	testRSAKey = sync.OnceValue(func() *rsa.PrivateKey { return must(rsa.GenerateKey(rand.Reader, 2048)) })
)

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// signJWT returns a compact JWS of claims signed with key: ES256 for an
// ECDSA key, RS256 for an RSA key, unless header overrides "alg".
func signJWT(t *testing.T, key crypto.Signer, header map[string]any, claims map[string]any) string {
	t.Helper()
	h := map[string]any{"typ": "JWT"}
	switch key.(type) {
	case *ecdsa.PrivateKey:
		h["alg"] = "ES256"
	case *rsa.PrivateKey:
		h["alg"] = "RS256"
	}
	for k, v := range header {
		h[k] = v
	}
	enc := func(v any) string {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	input := enc(h) + "." + enc(claims)
	digest := sha256.Sum256([]byte(input))
	var sig []byte
	switch k := key.(type) {
	case *ecdsa.PrivateKey:
		r, s, err := ecdsa.Sign(rand.Reader, k, digest[:])
		require.NoError(t, err)
		sig = make([]byte, 64)
		r.FillBytes(sig[:32])
		s.FillBytes(sig[32:])
	case *rsa.PrivateKey:
		var err error
		sig, err = rsa.SignPKCS1v15(rand.Reader, k, crypto.SHA256, digest[:])
		require.NoError(t, err)
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// assertionClaimsFor returns valid client assertion claims for clientID
// and the audience aud.
func assertionClaimsFor(clientID, aud string) map[string]any {
	now := time.Now()
	return map[string]any{
		"iss": clientID,
		"sub": clientID,
		"aud": aud,
		"iat": now.Unix(),
		"exp": now.Add(time.Minute).Unix(),
		"jti": rand.Text(),
	}
}

// publicJWK returns the public JWK of key with the given kid.
func publicJWK(key crypto.Signer, kid string) map[string]any {
	b64 := base64.RawURLEncoding.EncodeToString
	jwk := map[string]any{"use": "sig"}
	if kid != "" {
		jwk["kid"] = kid
	}
	switch k := key.Public().(type) {
	case *ecdsa.PublicKey:
		point := must(k.Bytes()) // 0x04 || X || Y
		jwk["kty"], jwk["crv"], jwk["x"], jwk["y"] = "EC", "P-256", b64(point[1:33]), b64(point[33:])
	case *rsa.PublicKey:
		jwk["kty"], jwk["n"], jwk["e"] = "RSA", b64(k.N.Bytes()), b64(big.NewInt(int64(k.E)).Bytes())
	}
	return jwk
}

// jwksOf returns a JWK Set holding the public keys of keys.
func jwksOf(keys ...crypto.Signer) map[string]any {
	set := make([]any, len(keys))
	for i, k := range keys {
		set[i] = publicJWK(k, "")
	}
	return map[string]any{"keys": set}
}

// mustJSON returns the JSON encoding of v.
func mustJSON(v any) string {
	return string(must(json.Marshal(v)))
}
