package mcptest

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/auth"
)

// extraClientID is the key of the client ID in auth.TokenInfo.Extra.
const extraClientID = "client_id"

// tokenInfoKey is the context key of the *auth.TokenInfo of a request whose
// token protect has validated.
type tokenInfoKey struct{}

// sessionToken returns the token information protect stored in ctx.
func sessionToken(ctx context.Context) *auth.TokenInfo {
	ti, _ := ctx.Value(tokenInfoKey{}).(*auth.TokenInfo)
	return ti
}

// protect wraps the MCP transport handler of the endpoint at path with the
// checks of a resource server (RFC 6750, RFC 9728 §5.1, MCP 2025-11-25
// "Access Token Usage" and "Error Handling"). Every request must carry a
// bearer token in the Authorization header that the authorization server
// knows, has not expired and, when it names resources (RFC 8707), was issued
// for this endpoint or this origin; otherwise the answer is 401 with a
// challenge. A token without the scopes the request needs gets 403
// insufficient_scope, so that the client steps up. A token in the query
// string is refused with 400 invalid_request (RFC 6750 §2.3, MCP forbids
// it).
//
// Valid requests reach next with an auth.TokenInfo, whose UserID is the
// token's subject, by which the go-sdk binds Streamable HTTP sessions, and
// whose Extra holds the client ID. It passes through the go-sdk's own bearer
// middleware, the only way to hand it to tool handlers in RequestExtra.
func (s *Server) protect(path string, next http.Handler) http.Handler {
	c := challenger{
		resourceMetadata: s.URL + prmPath + path,
		omitMetadata:     s.opts.NoPRM || s.opts.OmitResourceMetadata,
		omitScope:        s.opts.OmitChallengeScope,
		dpop:             s.opts.dpop(),
		dpopOnly:         s.opts.DPoPRequired,
	}
	endpoint := s.URL + path
	audiences := []string{canonicalURI(s.URL + path), canonicalURI(s.URL)}
	verified := func(ctx context.Context, _ string, _ *http.Request) (*auth.TokenInfo, error) {
		return sessionToken(ctx), nil
	}
	inner := auth.RequireBearerToken(verified, &auth.RequireBearerTokenOptions{AllowMissingExpiration: true})(next)

	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.count(func(c *Counts) { c.Requests++ })
		if r.URL.Query().Has("access_token") {
			c.write(w, http.StatusBadRequest, "invalid_request", "access tokens are accepted in the Authorization header only", nil)
			return
		}
		token, scheme, ok := presentedToken(r)
		if !ok || (c.dpopOnly && scheme != schemeDPoP) {
			s.count(func(c *Counts) { c.Unauthorized++ })
			c.write(w, http.StatusUnauthorized, "", "no access token", []string{ScopeRead})
			return
		}
		info, active := s.AS().Introspect(token)
		if !active {
			s.count(func(c *Counts) { c.Unauthorized++ })
			c.write(w, http.StatusUnauthorized, "invalid_token", "unknown, revoked or expired token", []string{ScopeRead})
			return
		}
		if info.JKT != "" || scheme == schemeDPoP {
			if !s.checkDPoP(w, r, c, endpoint, token, scheme, info.JKT) {
				return
			}
		}
		if !audienceAllowed(info.Resource, audiences, s.opts.RequireResource) {
			s.count(func(c *Counts) { c.Unauthorized++ })
			c.write(w, http.StatusUnauthorized, "invalid_token", "the token was not issued for this resource (RFC 8707)", []string{ScopeRead})
			return
		}
		required, status := requiredScopes(w, r)
		if status != 0 {
			http.Error(w, http.StatusText(status), status)
			return
		}
		if !isSubset(required, info.Scopes()) {
			s.count(func(c *Counts) { c.Forbidden++ })
			c.write(w, http.StatusForbidden, "insufficient_scope", "the request needs scope "+strings.Join(required, " "), required)
			return
		}
		ti := &auth.TokenInfo{
			Scopes:     info.Scopes(),
			Expiration: info.Expiry,
			UserID:     info.Subject,
			Extra:      map[string]any{extraClientID: info.ClientID},
		}
		r = r.WithContext(context.WithValue(r.Context(), tokenInfoKey{}, ti))
		if scheme == schemeDPoP { // the go-sdk's middleware reads the Bearer scheme only
			r.Header = r.Header.Clone()
			r.Header.Set("Authorization", schemeBearer+" "+token)
		}
		inner.ServeHTTP(w, r)
	})
}

// Authorization schemes accepted: Bearer (RFC 6750 §2.1) and, with
// Options.DPoP, DPoP (RFC 9449 §7.1).
const (
	schemeBearer = "Bearer"
	schemeDPoP   = "DPoP"
)

// presentedToken returns the token of an "Authorization: Bearer" or
// "Authorization: DPoP" header and its scheme, which is case-insensitive
// (RFC 9110 §11.1).
func presentedToken(r *http.Request) (token, scheme string, ok bool) {
	fields := strings.Fields(r.Header.Get("Authorization"))
	if len(fields) != 2 {
		return "", "", false
	}
	for _, s := range []string{schemeBearer, schemeDPoP} {
		if strings.EqualFold(fields[0], s) {
			return fields[1], s, true
		}
	}
	return "", "", false
}

// audienceAllowed reports whether a token restricted to resources may be
// used here: one of them must be among audiences, compared as canonical
// URIs. A token without resources is allowed unless requireResource.
func audienceAllowed(resources, audiences []string, requireResource bool) bool {
	if len(resources) == 0 {
		return !requireResource
	}
	for _, r := range resources {
		if slices.Contains(audiences, canonicalURI(r)) {
			return true
		}
	}
	return false
}

// canonicalURI lower-cases the scheme and host of uri and removes the empty
// path "/", as MCP 2025-11-25 "Canonical Server URI" asks servers to accept
// either form. An unparsable uri is returned as is.
func canonicalURI(uri string) string {
	u, err := url.Parse(uri)
	if err != nil {
		return uri
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	if u.Path == "/" && u.RawQuery == "" {
		u.Path = ""
	}
	return u.String()
}

// isSubset reports whether every element of want is in have.
func isSubset(want, have []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

// challenger writes the Bearer challenges of one endpoint.
type challenger struct {
	resourceMetadata string // URL of the endpoint's protected resource metadata
	omitMetadata     bool
	omitScope        bool // in 401 challenges
	dpop             bool // offer the DPoP scheme too (RFC 9449 §7.1)
	dpopOnly         bool // offer only the DPoP scheme
}

// write answers with status, a WWW-Authenticate Bearer challenge
// (RFC 6750 §3) and a JSON error body. The challenge has the error code,
// if any, then for 401 resource_metadata (RFC 9728 §5.1) and scope, and for
// 403 scope and resource_metadata (MCP 2025-11-25 "Runtime Insufficient
// Scope Errors").
func (c challenger) write(w http.ResponseWriter, status int, errCode, description string, scope []string) {
	var params []string
	if errCode != "" {
		params = append(params, `error="`+errCode+`"`)
	}
	metadata := ""
	if !c.omitMetadata {
		metadata = `resource_metadata="` + c.resourceMetadata + `"`
	}
	scopeParam := ""
	if len(scope) > 0 && (status == http.StatusForbidden || !c.omitScope) {
		scopeParam = `scope="` + strings.Join(scope, " ") + `"`
	}
	if status == http.StatusForbidden {
		params = append(params, scopeParam, metadata)
	} else {
		params = append(params, metadata, scopeParam)
	}
	params = slices.DeleteFunc(params, func(p string) bool { return p == "" })
	if !c.dpopOnly {
		w.Header().Add("WWW-Authenticate", strings.TrimSpace("Bearer "+strings.Join(params, ", ")))
	}
	if c.dpop {
		w.Header().Add("WWW-Authenticate", "DPoP "+strings.Join(append([]string{`algs="ES256 RS256"`}, params...), ", "))
	}
	body := map[string]string{"error": errCode, "error_description": description}
	if errCode == "" {
		body["error"] = "unauthorized"
	}
	writeJSON(w, status, body)
}
