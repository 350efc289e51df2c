package core

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"strings"
	"time"
)

// Client assertion constants (RFC 7523 §2.2, RFC 7518 §3.1).
const (
	AuthPrivateKeyJWT   = "private_key_jwt" // token_endpoint_auth_method (OpenID Connect Core §9)
	ClientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	AlgES256            = "ES256" // ECDSA P-256 with SHA-256
	AlgRS256            = "RS256" // RSASSA-PKCS1-v1_5 with SHA-256
)

// ClientAssertionLifetime is how long an assertion is valid after iat.
const ClientAssertionLifetime = 60 * time.Second

// minRSABits is the smallest RSA key accepted for RS256 (RFC 7518 §3.3).
const minRSABits = 2048

// AssertionOption adjusts a client assertion built by [NewJWTAssertion].
type AssertionOption func(*jwtHeader)

// WithKeyID sets the JOSE header's kid, naming the key in the client's JWK
// Set (RFC 7515 §4.1.4).
func WithKeyID(kid string) AssertionOption { return func(h *jwtHeader) { h.Kid = kid } }

type jwtHeader struct {
	Alg string `json:"alg"`
	Typ string `json:"typ"`
	Kid string `json:"kid,omitempty"`
}

type assertionClaims struct {
	Iss string `json:"iss"`
	Sub string `json:"sub"`
	Aud string `json:"aud"`
	Iat int64  `json:"iat"`
	Exp int64  `json:"exp"`
	Jti string `json:"jti"`
}

// NewJWTAssertion returns a signed client assertion for the
// private_key_jwt token endpoint authentication method (RFC 7523 §2.2 and
// §3): a compact JWS whose claims are iss = sub = clientID, aud = audience
// (the authorization server's issuer or token endpoint), iat = now,
// exp = now + [ClientAssertionLifetime] and a random 128-bit jti. Send it as
// client_assertion with client_assertion_type [ClientAssertionType].
//
// alg is [AlgES256] (a P-256 key; the signature is the 64-byte R||S of RFC
// 7518 §3.4) or [AlgRS256] (an RSA key of at least 2048 bits). keyPEM holds
// the private key as PKCS#8 ("PRIVATE KEY"), SEC1 ("EC PRIVATE KEY",
// optionally after an "EC PARAMETERS" block) or PKCS#1 ("RSA PRIVATE KEY");
// encrypted keys are refused. Errors are [*ConfigError]s and never contain
// key material. now zero means time.Now().
func NewJWTAssertion(clientID, audience string, keyPEM []byte, alg string, now time.Time, opts ...AssertionOption) (string, error) {
	if clientID == "" {
		return "", &ConfigError{Field: "client_id", Reason: "required for a client assertion"}
	}
	if audience == "" {
		return "", &ConfigError{Field: "audience", Reason: "required for a client assertion (the authorization server's issuer)"}
	}
	key, err := parsePrivateKeyPEM(keyPEM)
	if err != nil {
		return "", err
	}
	if err := checkKeyForAlg(key, alg); err != nil {
		return "", err
	}
	if now.IsZero() {
		now = time.Now()
	}
	header := jwtHeader{Alg: alg, Typ: "JWT"}
	for _, o := range opts {
		o(&header)
	}
	claims := assertionClaims{
		Iss: clientID, Sub: clientID, Aud: audience,
		Iat: now.Unix(), Exp: now.Add(ClientAssertionLifetime).Unix(),
		Jti: randomState(),
	}
	h, _ := json.Marshal(header) // plain strings and ints: cannot fail
	c, _ := json.Marshal(claims)
	input := jwsB64(h) + "." + jwsB64(c)
	sig, err := signJWS(key, alg, []byte(input))
	if err != nil {
		return "", &ConfigError{Field: "private_key", Reason: "signing failed"}
	}
	return input + "." + jwsB64(sig), nil
}

func jwsB64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// parsePrivateKeyPEM finds the first private key in PEM data.
func parsePrivateKeyPEM(data []byte) (crypto.Signer, error) {
	bad := func(reason string) error { return &ConfigError{Field: "private_key", Reason: reason} }
	rest := data
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			return nil, bad("no PEM private key found")
		}
		if strings.Contains(block.Headers["Proc-Type"], "ENCRYPTED") || block.Type == "ENCRYPTED PRIVATE KEY" {
			return nil, bad("encrypted private keys are not supported")
		}
		var key any
		var err error
		switch block.Type {
		case "PRIVATE KEY":
			key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
		case "EC PRIVATE KEY":
			key, err = x509.ParseECPrivateKey(block.Bytes)
		case "RSA PRIVATE KEY":
			key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
		default: // EC PARAMETERS, CERTIFICATE, ...: keep looking
			continue
		}
		if err != nil {
			return nil, bad("malformed " + strings.ToLower(block.Type))
		}
		switch k := key.(type) {
		case *ecdsa.PrivateKey:
			return k, nil
		case *rsa.PrivateKey:
			return k, nil
		}
		return nil, bad("unsupported key type (ES256 needs an EC P-256 key, RS256 an RSA key)")
	}
}

// checkKeyForAlg verifies that key suits alg.
func checkKeyForAlg(key crypto.Signer, alg string) error {
	switch alg {
	case AlgES256:
		if k, ok := key.(*ecdsa.PrivateKey); ok && k.Curve == elliptic.P256() {
			return nil
		}
		return &ConfigError{Field: "private_key", Reason: "ES256 requires an EC P-256 key"}
	case AlgRS256:
		if k, ok := key.(*rsa.PrivateKey); ok {
			if k.N.BitLen() < minRSABits {
				return &ConfigError{Field: "private_key", Reason: "RS256 requires an RSA key of at least 2048 bits"}
			}
			return nil
		}
		return &ConfigError{Field: "private_key", Reason: "RS256 requires an RSA key"}
	}
	return &ConfigError{Field: "alg", Reason: `must be "ES256" or "RS256"`}
}

// signJWS signs a JWS signing input (RFC 7515 §5.1) with SHA-256.
func signJWS(key crypto.Signer, alg string, input []byte) ([]byte, error) {
	digest := sha256.Sum256(input)
	if alg == AlgRS256 {
		return rsa.SignPKCS1v15(rand.Reader, key.(*rsa.PrivateKey), crypto.SHA256, digest[:])
	}
	r, s, err := ecdsa.Sign(rand.Reader, key.(*ecdsa.PrivateKey), digest[:])
	if err != nil {
		return nil, err
	}
	sig := make([]byte, 64) // RFC 7518 §3.4: R and S as 32-byte big-endian integers
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	return sig, nil
}
