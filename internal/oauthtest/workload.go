package oauthtest

import (
	"encoding/json"
	"net/url"
	"slices"
	"time"
)

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
