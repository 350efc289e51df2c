package oauthtest

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// DPoP (RFC 9449) checks shared by the authorization server (token
// requests, §5) and the MCP test server (protected resource requests, §7).

// dpopWindow is how far a proof's iat may be from now (RFC 9449 §11.1; the
// MCP DPoP extension suggests ±5 minutes).
const dpopWindow = 5 * time.Minute

// DPoPProof is a verified DPoP proof: the JWK SHA-256 thumbprint of its key
// (RFC 7638), which the token is bound to (cnf.jkt, RFC 9449 §6.1).
type DPoPProof struct {
	JKT   string
	JTI   string
	Nonce string
}

// DPoPVerifier checks DPoP proofs (RFC 9449 §4.3), refuses a jti it has
// seen within the window (replay, §11.1) and, when RequireNonce is set,
// demands its current nonce (§8, §9). It is safe for concurrent use.
type DPoPVerifier struct {
	RequireNonce bool

	mu    sync.Mutex
	nonce string
	seen  map[string]time.Time // jti -> when it may be forgotten
}

// ErrDPoPNonce is a proof without the verifier's current nonce: answer
// use_dpop_nonce with [DPoPVerifier.Nonce] in a DPoP-Nonce header.
var ErrDPoPNonce = errors.New("oauthtest: DPoP proof lacks the server's nonce")

// Nonce returns the verifier's current nonce, creating it on first use.
func (v *DPoPVerifier) Nonce() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.nonce == "" {
		v.nonce = newSecret("n_")
	}
	return v.nonce
}

// Verify checks the proof of a request with method to target (compared
// without query and fragment) presenting accessToken ("" at a token
// endpoint; otherwise ath must be its hash, §4.3 step 11). The error is
// [ErrDPoPNonce] when only the nonce is wrong.
func (v *DPoPVerifier) Verify(proof, method, target, accessToken string) (DPoPProof, error) {
	p, claims, err := parseDPoPProof(proof)
	if err != nil {
		return DPoPProof{}, err
	}
	now := time.Now()
	iat := time.Unix(claims.Iat, 0)
	switch {
	case claims.Jti == "" || len(claims.Jti) > 256:
		return DPoPProof{}, errors.New("jti is missing")
	case claims.Htm != method:
		return DPoPProof{}, errors.New("htm does not match the request method")
	case !sameHTU(claims.Htu, target):
		return DPoPProof{}, errors.New("htu does not match the request URI")
	case iat.Before(now.Add(-dpopWindow)) || iat.After(now.Add(dpopWindow)):
		return DPoPProof{}, errors.New("iat is outside the acceptable window")
	case accessToken != "" && claims.Ath != hashToken(accessToken):
		return DPoPProof{}, errors.New("ath does not match the access token")
	case accessToken == "" && claims.Ath != "":
		return DPoPProof{}, errors.New("ath is only allowed with an access token")
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.RequireNonce && (v.nonce == "" || claims.Nonce != v.nonce) {
		return DPoPProof{}, ErrDPoPNonce
	}
	if v.seen == nil {
		v.seen = map[string]time.Time{}
	}
	for jti, until := range v.seen {
		if now.After(until) {
			delete(v.seen, jti)
		}
	}
	if _, replayed := v.seen[claims.Jti]; replayed {
		return DPoPProof{}, errors.New("the proof's jti was used before (replay)")
	}
	v.seen[claims.Jti] = now.Add(2 * dpopWindow)
	p.JTI, p.Nonce = claims.Jti, claims.Nonce
	return p, nil
}

type dpopClaims struct {
	Jti   string `json:"jti"`
	Htm   string `json:"htm"`
	Htu   string `json:"htu"`
	Iat   int64  `json:"iat"`
	Ath   string `json:"ath"`
	Nonce string `json:"nonce"`
}

// parseDPoPProof checks the proof's header (typ dpop+jwt, ES256 or RS256,
// a public jwk) and signature, and returns the key's thumbprint and the
// claims.
func parseDPoPProof(proof string) (DPoPProof, dpopClaims, error) {
	parts := strings.Split(proof, ".")
	if proof == "" || len(parts) != 3 {
		return DPoPProof{}, dpopClaims{}, errors.New("the DPoP proof is not a compact JWS")
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		return DPoPProof{}, dpopClaims{}, errors.New("malformed DPoP proof header")
	}
	var h struct {
		Typ string  `json:"typ"`
		Alg string  `json:"alg"`
		JWK jwkJSON `json:"jwk"`
	}
	if err := json.Unmarshal(raw, &h); err != nil {
		return DPoPProof{}, dpopClaims{}, errors.New("malformed DPoP proof header")
	}
	if h.Typ != "dpop+jwt" {
		return DPoPProof{}, dpopClaims{}, errors.New("typ must be dpop+jwt")
	}
	key, err := h.JWK.publicKey()
	if err != nil {
		return DPoPProof{}, dpopClaims{}, errors.New("jwk: " + err.Error())
	}
	payload, err := verifyJWS(proof, []jwk{{key: key}})
	if err != nil {
		return DPoPProof{}, dpopClaims{}, errors.New("the DPoP proof signature does not verify")
	}
	var c dpopClaims
	if err := json.Unmarshal(payload, &c); err != nil {
		return DPoPProof{}, dpopClaims{}, errors.New("malformed DPoP proof claims")
	}
	return DPoPProof{JKT: thumbprint(h.JWK)}, c, nil
}

// thumbprint is the JWK SHA-256 thumbprint of k (RFC 7638 §3).
func thumbprint(k jwkJSON) string {
	var canonical []byte
	if k.Kty == "EC" {
		canonical, _ = json.Marshal(struct {
			Crv string `json:"crv"`
			Kty string `json:"kty"`
			X   string `json:"x"`
			Y   string `json:"y"`
		}{k.Crv, k.Kty, k.X, k.Y})
	} else {
		canonical, _ = json.Marshal(struct {
			E   string `json:"e"`
			Kty string `json:"kty"`
			N   string `json:"n"`
		}{k.E, k.Kty, k.N})
	}
	sum := sha256.Sum256(canonical)
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// hashToken is base64url(SHA-256(token)), the ath claim (RFC 9449 §4.2).
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// sameHTU compares htu with the request URI, both without query and
// fragment (RFC 9449 §4.3 step 9); an htu with a query is refused.
func sameHTU(htu, target string) bool {
	a, errA := url.Parse(htu)
	b, errB := url.Parse(target)
	if errA != nil || errB != nil || a.RawQuery != "" || a.Fragment != "" {
		return false
	}
	norm := func(u *url.URL) string {
		return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host) + strings.TrimSuffix(u.EscapedPath(), "/")
	}
	return norm(a) == norm(b)
}

// dpopTokenRequest verifies the DPoP proof of a token request (RFC 9449
// §5): none when the server does not do DPoP or the client sent none; a
// bad proof is invalid_dpop_proof, a missing nonce use_dpop_nonce (§8).
// It returns the thumbprint the token is to be bound to ("" for Bearer).
func (s *Server) dpopTokenRequest(w http.ResponseWriter, r *http.Request) (string, *oauthError) {
	proofs := r.Header.Values("DPoP")
	if !s.opts.DPoP || len(proofs) == 0 {
		return "", nil
	}
	if len(proofs) > 1 {
		return "", badRequest("invalid_dpop_proof", "more than one DPoP header")
	}
	p, err := s.dpop.Verify(proofs[0], http.MethodPost, s.TokenURL(), "")
	if errors.Is(err, ErrDPoPNonce) {
		w.Header().Set("DPoP-Nonce", s.dpop.Nonce())
		return "", badRequest("use_dpop_nonce", "the authorization server requires a DPoP nonce")
	}
	if err != nil {
		return "", badRequest("invalid_dpop_proof", err.Error())
	}
	s.mu.Lock()
	s.counts.DPoPProofs++
	s.mu.Unlock()
	return p.JKT, nil
}

// checkRefreshBinding refuses a DPoP-bound refresh token presented without
// a proof of its key (RFC 9449 §5.0).
func (s *Server) checkRefreshBinding(token, jkt string) *oauthError {
	s.mu.Lock()
	defer s.mu.Unlock()
	if g, ok := s.refresh[token]; ok && g.jkt != "" && g.jkt != jkt {
		return invalidGrant("the refresh token is bound to another DPoP key")
	}
	return nil
}
