package oauthtest

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// WorkloadIssuer is the iss of the workload JWTs the server signs
// (Options.IssueWorkloadTokens).
const WorkloadIssuer = "https://workload.oauthtest.invalid"

// grantJWTBearer is the JWT bearer grant (RFC 7523 §2.1), served for
// workload identity federation when Options.WorkloadIdentityKey is set.
const grantJWTBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer"

// workloadClaims are the claims of a workload identity assertion checked
// by the server (RFC 7523 §3).
type workloadClaims struct {
	Iss string          `json:"iss"`
	Sub string          `json:"sub"`
	Aud json.RawMessage `json:"aud"`
	Exp int64           `json:"exp"`
}

// workloadGrant issues a token for a workload identity assertion (RFC 7523
// §2.1, §3): signed by Options.WorkloadIdentityKey, for this server, not
// expired, from Options.WorkloadIdentityIssuer when set. No refresh token
// is issued: the workload presents a fresh assertion instead.
func (s *Server) workloadGrant(form url.Values, creds clientCredentials) (tokenResponse, *oauthError) {
	assertion := firstValue(form, "assertion")
	if assertion == "" {
		return tokenResponse{}, invalidRequest("missing assertion")
	}
	payload, err := verifyJWS(assertion, []jwk{{key: s.opts.WorkloadIdentityKey}})
	if err != nil {
		return tokenResponse{}, invalidGrant("the assertion's signature does not verify")
	}
	var c workloadClaims
	if json.Unmarshal(payload, &c) != nil {
		return tokenResponse{}, invalidGrant("malformed assertion claims")
	}
	var audiences []string
	if json.Unmarshal(c.Aud, &audiences) != nil {
		var one string
		_ = json.Unmarshal(c.Aud, &one)
		audiences = []string{one}
	}
	switch {
	case c.Sub == "":
		return tokenResponse{}, invalidGrant("the assertion has no sub")
	case c.Exp == 0 || time.Now().After(time.Unix(c.Exp, 0)):
		return tokenResponse{}, invalidGrant("the assertion has expired")
	case !slices.Contains(audiences, s.Issuer()) && !slices.Contains(audiences, s.TokenURL()):
		return tokenResponse{}, invalidGrant("the assertion's audience is not this authorization server")
	case s.opts.WorkloadIdentityIssuer != "" && c.Iss != s.opts.WorkloadIdentityIssuer:
		return tokenResponse{}, invalidGrant("the assertion's issuer is not trusted")
	}
	scope, oerr := requestedScope(form)
	if oerr != nil {
		return tokenResponse{}, oerr
	}
	if oerr := checkScopeSupported(scope, s.opts.ScopesSupported); oerr != nil {
		return tokenResponse{}, oerr
	}
	resources, oerr := requestedResources(form)
	if oerr != nil {
		return tokenResponse{}, oerr
	}
	clientID := creds.id
	if clientID == "" {
		clientID = "workload:" + c.Sub
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts.WorkloadGrants++
	return s.issueLocked(grant{clientID: clientID, scope: scope, resources: resources}, nil), nil
}

// WorkloadToken signs a workload identity JWT for subject, valid for
// lifetime (negative: already expired), whose audience is the server's
// issuer (Options.IssueWorkloadTokens).
func (s *Server) WorkloadToken(subject string, lifetime time.Duration) (string, error) {
	if s.workloadKey == nil {
		return "", errors.New("oauthtest: the server does not issue workload tokens")
	}
	enc := base64.RawURLEncoding.EncodeToString
	header, _ := json.Marshal(map[string]string{"alg": algES256, "typ": "JWT"})
	now := time.Now()
	claims, _ := json.Marshal(map[string]any{"iss": WorkloadIssuer, "sub": subject, "aud": s.Issuer(),
		"iat": now.Unix(), "exp": now.Add(lifetime).Unix()})
	input := enc(header) + "." + enc(claims)
	digest := sha256.Sum256([]byte(input))
	r, sv, err := ecdsa.Sign(rand.Reader, s.workloadKey, digest[:])
	if err != nil {
		return "", err
	}
	return input + "." + enc(append(r.FillBytes(make([]byte, 32)), sv.FillBytes(make([]byte, 32))...)), nil
}

// handleWorkloadToken serves POST /_test/workload_token, the HTTP form of
// WorkloadToken: {"sub": "...", "lifetime_ms": n} (defaults: "workload",
// one hour) answers {"token": "..."}.
func (s *Server) handleWorkloadToken(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Sub        string `json:"sub"`
		LifetimeMS *int64 `json:"lifetime_ms"`
	}
	if r.ContentLength != 0 {
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&req); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "malformed request"})
			return
		}
	}
	if req.Sub == "" {
		req.Sub = "workload"
	}
	lifetime := time.Hour
	if req.LifetimeMS != nil {
		lifetime = time.Duration(*req.LifetimeMS) * time.Millisecond
	}
	tok, err := s.WorkloadToken(req.Sub, lifetime)
	if err != nil {
		writeJSON(w, http.StatusConflict, map[string]string{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"token": tok})
}
