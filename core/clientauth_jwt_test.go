package core

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testKeys are generated once: RSA key generation is slow under -race.
var testKeys = sync.OnceValue(func() (k struct {
	ec256, ec384 *ecdsa.PrivateKey
	rsa2048      *rsa.PrivateKey
	rsa1024      *rsa.PrivateKey
	ed           ed25519.PrivateKey
}) {
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	var err error
	k.ec256, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(err)
	k.ec384, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	must(err)
	k.rsa2048, err = rsa.GenerateKey(rand.Reader, 2048)
	must(err)
	k.rsa1024, err = rsa.GenerateKey(rand.Reader, 1024)
	must(err)
	_, k.ed, err = ed25519.GenerateKey(rand.Reader)
	must(err)
	return k
})

func pemBlock(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

func pkcs8PEM(t *testing.T, key any) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	return pemBlock("PRIVATE KEY", der)
}

// p256Params is the "EC PARAMETERS" block openssl ecparam -genkey writes
// before the key: the prime256v1 OID.
var p256Params = pemBlock("EC PARAMETERS", []byte{0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07})

// verifyJWS checks a compact JWS with pub and returns its header and claims.
func verifyJWS(t *testing.T, token string, pub crypto.PublicKey) (header, claims map[string]any) {
	t.Helper()
	parts := strings.Split(token, ".")
	require.Len(t, parts, 3)
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	require.NoError(t, err)
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		require.Len(t, sig, 64, "ES256 signature is R||S, 32 bytes each")
		r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
		require.True(t, ecdsa.Verify(k, digest[:], r, s), "ES256 signature verifies")
	case *rsa.PublicKey:
		require.NoError(t, rsa.VerifyPKCS1v15(k, crypto.SHA256, digest[:], sig), "RS256 signature verifies")
	default:
		t.Fatalf("unexpected key %T", pub)
	}
	for i, v := range []*map[string]any{&header, &claims} {
		raw, err := base64.RawURLEncoding.DecodeString(parts[i])
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(raw, v))
	}
	return header, claims
}

func TestNewJWTAssertionSignsAndVerifies(t *testing.T) {
	k := testKeys()
	sec1, err := x509.MarshalECPrivateKey(k.ec256)
	require.NoError(t, err)
	now := time.Unix(1_700_000_000, 0)
	tests := []struct {
		name string
		pem  []byte
		alg  string
		pub  crypto.PublicKey
		opts []AssertionOption
		kid  any
	}{
		{"ES256 PKCS#8", pkcs8PEM(t, k.ec256), AlgES256, &k.ec256.PublicKey, nil, nil},
		{"ES256 SEC1", pemBlock("EC PRIVATE KEY", sec1), AlgES256, &k.ec256.PublicKey, nil, nil},
		{"ES256 SEC1 after EC PARAMETERS (openssl ecparam)", append(append([]byte{}, p256Params...), pemBlock("EC PRIVATE KEY", sec1)...), AlgES256, &k.ec256.PublicKey, nil, nil},
		{"ES256 with kid", pkcs8PEM(t, k.ec256), AlgES256, &k.ec256.PublicKey, []AssertionOption{WithKeyID("key-1")}, "key-1"},
		{"RS256 PKCS#1", pemBlock("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k.rsa2048)), AlgRS256, &k.rsa2048.PublicKey, nil, nil},
		{"RS256 PKCS#8 after a certificate", append(pemBlock("CERTIFICATE", []byte("not parsed")), pkcs8PEM(t, k.rsa2048)...), AlgRS256, &k.rsa2048.PublicKey, []AssertionOption{WithKeyID("r")}, "r"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tok, err := NewJWTAssertion("client-1", "https://as.example.com", tc.pem, tc.alg, now, tc.opts...)
			require.NoError(t, err)
			header, claims := verifyJWS(t, tok, tc.pub)
			assert.Equal(t, tc.alg, header["alg"])
			assert.Equal(t, "JWT", header["typ"])
			assert.Equal(t, tc.kid, header["kid"])
			assert.Equal(t, "client-1", claims["iss"])
			assert.Equal(t, "client-1", claims["sub"])
			assert.Equal(t, "https://as.example.com", claims["aud"])
			assert.EqualValues(t, now.Unix(), claims["iat"])
			assert.EqualValues(t, now.Unix()+60, claims["exp"])
			jti, _ := claims["jti"].(string)
			assert.GreaterOrEqual(t, len(jti), 22, "128 random bits")
		})
	}
}

func TestNewJWTAssertionFreshJTIAndClock(t *testing.T) {
	key := pkcs8PEM(t, testKeys().ec256)
	a, err := NewJWTAssertion("c", "https://as.example.com", key, AlgES256, time.Time{})
	require.NoError(t, err)
	b, err := NewJWTAssertion("c", "https://as.example.com", key, AlgES256, time.Time{})
	require.NoError(t, err)
	_, ca := verifyJWS(t, a, &testKeys().ec256.PublicKey)
	_, cb := verifyJWS(t, b, &testKeys().ec256.PublicKey)
	assert.NotEqual(t, ca["jti"], cb["jti"])
	assert.InDelta(t, time.Now().Unix(), ca["iat"], 5, "zero now means the current time")
}

func TestNewJWTAssertionRefusals(t *testing.T) {
	k := testKeys()
	ec := pkcs8PEM(t, k.ec256)
	encrypted := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Headers: map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-128-CBC,00"}, Bytes: []byte{1}})
	tests := []struct {
		name, client, aud string
		pem               []byte
		alg, field        string
		reason            string
	}{
		{"no client id", "", "https://as", ec, AlgES256, "client_id", "required"},
		{"no audience", "c", "", ec, AlgES256, "audience", "required"},
		{"unknown alg", "c", "https://as", ec, "HS256", "alg", "ES256"},
		{"alg none", "c", "https://as", ec, "none", "alg", "ES256"},
		{"EC key for RS256", "c", "https://as", ec, AlgRS256, "private_key", "RSA key"},
		{"RSA key for ES256", "c", "https://as", pkcs8PEM(t, k.rsa2048), AlgES256, "private_key", "P-256"},
		{"P-384 key for ES256", "c", "https://as", pkcs8PEM(t, k.ec384), AlgES256, "private_key", "P-256"},
		{"1024-bit RSA", "c", "https://as", pemBlock("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k.rsa1024)), AlgRS256, "private_key", "2048"},
		{"Ed25519 key", "c", "https://as", pkcs8PEM(t, k.ed), AlgES256, "private_key", "unsupported key type"},
		{"not PEM", "c", "https://as", []byte("-----BEGIN nothing"), AlgES256, "private_key", "no PEM"},
		{"empty", "c", "https://as", nil, AlgES256, "private_key", "no PEM"},
		{"public key only", "c", "https://as", pemBlock("PUBLIC KEY", []byte{1, 2}), AlgES256, "private_key", "no PEM"},
		{"corrupt key", "c", "https://as", pemBlock("PRIVATE KEY", []byte("garbage-key-material")), AlgES256, "private_key", "malformed"},
		{"legacy encrypted PEM", "c", "https://as", encrypted, AlgES256, "private_key", "encrypted"},
		{"PKCS#8 encrypted", "c", "https://as", pemBlock("ENCRYPTED PRIVATE KEY", []byte{1}), AlgES256, "private_key", "encrypted"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tok, err := NewJWTAssertion(tc.client, tc.aud, tc.pem, tc.alg, time.Now())
			assert.Empty(t, tok)
			var ce *ConfigError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, tc.field, ce.Field)
			assert.Contains(t, ce.Reason, tc.reason)
			assert.NotContains(t, err.Error(), "garbage-key-material", "no key material in messages")
			assert.NotContains(t, err.Error(), "BEGIN")
		})
	}
}
