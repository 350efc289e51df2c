package mcptest

import (
	"errors"
	"net/http"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// checkDPoP checks a request presenting a token with scheme: a DPoP-bound
// token (thumbprint jkt) must use the DPoP scheme, and a DPoP-scheme
// request must carry one valid proof (RFC 9449 §4.3, §7.1) of the key the
// token is bound to. It answers the request and returns false when not.
func (s *Server) checkDPoP(w http.ResponseWriter, r *http.Request, c challenger, endpoint, token, scheme, jkt string) bool {
	fail := func(code, description string) bool {
		s.count(func(c *Counts) { c.Unauthorized++ })
		c.write(w, http.StatusUnauthorized, code, description, []string{ScopeRead})
		return false
	}
	switch {
	case !c.dpop:
		return fail("invalid_token", "this server does not accept DPoP")
	case scheme != schemeDPoP:
		return fail("invalid_token", "the token is DPoP-bound: present it with the DPoP scheme (RFC 9449 §7.1)")
	case jkt == "":
		return fail("invalid_token", "the token is not DPoP-bound")
	case len(r.Header.Values("DPoP")) != 1:
		return fail("invalid_dpop_proof", "exactly one DPoP proof is required")
	}
	p, err := s.dpop.Verify(r.Header.Get("DPoP"), r.Method, endpoint, token)
	switch {
	case errors.Is(err, oauthtest.ErrDPoPNonce):
		w.Header().Set("DPoP-Nonce", s.dpop.Nonce())
		return fail("use_dpop_nonce", "a DPoP nonce is required")
	case err != nil:
		return fail("invalid_dpop_proof", err.Error())
	case p.JKT != jkt:
		return fail("invalid_token", "the DPoP proof's key is not the one the token is bound to")
	}
	s.count(func(c *Counts) { c.DPoPRequests++ })
	return true
}
