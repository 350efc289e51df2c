package core

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// DPoP (RFC 9449, MCP extension io.modelcontextprotocol/auth/dpop, SEP-1932):
// access tokens bound to a key pair of the client, presented with a fresh
// proof of possession on every request.
const (
	// TokenTypeDPoP is the token_type of a DPoP-bound access token
	// (RFC 9449 §5) and the scheme it is presented with (§7.1).
	TokenTypeDPoP = "DPoP"
	dpopProofType = "dpop+jwt" // RFC 9449 §4.2 typ
	// errUseDPoPNonce is the error of a server demanding a nonce in the
	// proof (RFC 9449 §8 and §9).
	errUseDPoPNonce = "use_dpop_nonce"
)

// dpopKey is the client's DPoP key pair: its signing algorithm, its public
// key as a JWK (RFC 7517), and the nonces servers supplied, per origin
// (RFC 9449 §8.2, §9).
type dpopKey struct {
	signer crypto.Signer
	alg    string
	jwk    map[string]string
	pem    string // PKCS#8, kept in the token store with the tokens it binds

	mu     sync.Mutex
	nonces map[string]string // origin -> latest nonce
}

// newDPoPKey generates a key for alg (ES256: P-256; RS256: 2048-bit RSA).
func newDPoPKey(alg string) (*dpopKey, error) {
	var signer crypto.Signer
	var err error
	switch alg {
	case AlgES256:
		signer, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case AlgRS256:
		signer, err = rsa.GenerateKey(rand.Reader, minRSABits)
	default:
		return nil, &ConfigError{Field: "dpop", Reason: "unsupported DPoP algorithm " + quoteShort(alg)}
	}
	if err != nil {
		return nil, err
	}
	return dpopKeyFrom(signer, alg)
}

// parseDPoPKey reads a DPoP private key from PEM; its algorithm follows the
// key type (EC P-256: ES256, RSA: RS256).
func parseDPoPKey(keyPEM string) (*dpopKey, error) {
	signer, err := parsePrivateKeyPEM([]byte(keyPEM))
	if err != nil {
		return nil, &ConfigError{Field: "dpop_key_pem", Reason: err.(*ConfigError).Reason}
	}
	alg := AlgES256
	if _, ok := signer.(*rsa.PrivateKey); ok {
		alg = AlgRS256
	}
	if err := checkKeyForAlg(signer, alg); err != nil {
		return nil, &ConfigError{Field: "dpop_key_pem", Reason: err.(*ConfigError).Reason}
	}
	return dpopKeyFrom(signer, alg)
}

func dpopKeyFrom(signer crypto.Signer, alg string) (*dpopKey, error) {
	der, err := x509.MarshalPKCS8PrivateKey(signer)
	if err != nil {
		return nil, err
	}
	k := &dpopKey{signer: signer, alg: alg, nonces: map[string]string{},
		pem: string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))}
	switch pub := signer.Public().(type) { // RFC 7518 §6.2.1, §6.3.1
	case *ecdsa.PublicKey:
		k.jwk = map[string]string{"kty": "EC", "crv": "P-256", "x": jwsB64(fixed32(pub.X)), "y": jwsB64(fixed32(pub.Y))}
	case *rsa.PublicKey:
		k.jwk = map[string]string{"kty": "RSA", "n": jwsB64(pub.N.Bytes()), "e": jwsB64(big.NewInt(int64(pub.E)).Bytes())}
	}
	return k, nil
}

// fixed32 is a P-256 coordinate as 32 big-endian bytes (RFC 7518 §6.2.1.2).
func fixed32(n *big.Int) []byte { return n.FillBytes(make([]byte, 32)) }

// dpopClaims are the claims of a DPoP proof (RFC 9449 §4.2).
type dpopClaims struct {
	Jti   string `json:"jti"`
	Htm   string `json:"htm"`
	Htu   string `json:"htu"`
	Iat   int64  `json:"iat"`
	Ath   string `json:"ath,omitempty"`
	Nonce string `json:"nonce,omitempty"`
}

// proof returns a DPoP proof JWT (RFC 9449 §4.2) for a request with method
// to target: typ dpop+jwt, the public key in the header, a fresh random jti,
// htu without query and fragment, iat now, the server's latest nonce for
// target's origin when it supplied one, and, with an access token, ath =
// base64url(SHA-256(token)) (§4.2, §7.1).
func (k *dpopKey) proof(method, target, accessToken string, now time.Time) (string, error) {
	u, err := url.Parse(target)
	if err != nil {
		return "", &ProtocolError{Reason: "cannot build a DPoP proof for an invalid URL"}
	}
	htu := *u
	htu.RawQuery, htu.Fragment, htu.RawFragment, htu.User = "", "", "", nil
	jti := make([]byte, 16)
	_, _ = rand.Read(jti)
	claims := dpopClaims{Jti: jwsB64(jti), Htm: method, Htu: htu.String(), Iat: now.Unix(), Nonce: k.nonce(u)}
	if accessToken != "" {
		sum := sha256.Sum256([]byte(accessToken))
		claims.Ath = jwsB64(sum[:])
	}
	header, _ := json.Marshal(struct {
		Typ string            `json:"typ"`
		Alg string            `json:"alg"`
		JWK map[string]string `json:"jwk"`
	}{dpopProofType, k.alg, k.jwk})
	payload, _ := json.Marshal(claims)
	input := jwsB64(header) + "." + jwsB64(payload)
	sig, err := signJWS(k.signer, k.alg, []byte(input))
	if err != nil {
		return "", err
	}
	return input + "." + jwsB64(sig), nil
}

// nonce is the latest nonce the server at u's origin supplied.
func (k *dpopKey) nonce(u *url.URL) string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.nonces[origin(u)]
}

// maxDPoPNonce bounds a remembered nonce (RFC 9449 §8.1 sets no limit).
const maxDPoPNonce = 1024

// rememberNonce keeps the DPoP-Nonce a server at target answered with
// (RFC 9449 §8.2, §9: a server may supply a new nonce in any response). It
// reports whether the nonce is new. Nonces are NQCHAR strings (§8.1).
func (k *dpopKey) rememberNonce(target, nonce string) bool {
	if nonce == "" || len(nonce) > maxDPoPNonce || strings.ContainsFunc(nonce, func(r rune) bool { return r < 0x21 || r > 0x7e || r == '"' || r == '\\' }) {
		return false
	}
	u, err := url.Parse(target)
	if err != nil {
		return false
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	o := origin(u)
	if k.nonces[o] == nonce {
		return false
	}
	k.nonces[o] = nonce
	return true
}

// dpopAlgFor picks the algorithm of a generated key from the authorization
// server's dpop_signing_alg_values_supported (RFC 9449 §5.1): ES256 unless
// the server lists only RS256; an absent or empty list means ES256.
func dpopAlgFor(supported []string) (string, error) {
	if len(supported) == 0 || slices.Contains(supported, AlgES256) {
		return AlgES256, nil
	}
	if slices.Contains(supported, AlgRS256) {
		return AlgRS256, nil
	}
	return "", &ProtocolError{Reason: "the authorization server supports none of the DPoP algorithms ES256 and RS256"}
}

// checkDPoPAlg verifies that a supplied key's algorithm is one the
// authorization server accepts (an absent or empty list accepts any).
func checkDPoPAlg(k *dpopKey, supported []string) error {
	if len(supported) == 0 || slices.Contains(supported, k.alg) {
		return nil
	}
	return &ProtocolError{Reason: "the authorization server does not accept DPoP proofs signed with " + k.alg + " (dpop_signing_alg_values_supported)"}
}

// checkDPoP validates dpop and dpop_key_pem.
func (c *Config) checkDPoP() error {
	if c.DPoPKeyPEM == "" {
		return nil
	}
	if c.DPoP != nil && !*c.DPoP {
		return &ConfigError{Field: "dpop_key_pem", Reason: "given while dpop is false"}
	}
	_, err := parseDPoPKey(c.DPoPKeyPEM)
	return err
}
