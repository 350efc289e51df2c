package mcptest

import (
	"net/http"

	"github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/oauthex"
)

// prmPath is the well-known path of protected resource metadata
// (RFC 9728 §3).
const prmPath = "/.well-known/oauth-protected-resource"

// metadataRoutes serves the protected resource metadata (RFC 9728 §3) of
// each endpoint at its path-inserted well-known URL, and that of the origin
// at the root one (MCP 2025-11-25 "Protected Resource Metadata Discovery
// Requirements"), each naming issuer as its authorization server. The
// resource of each document is the identifier its URL was derived from
// (RFC 9728 §3.3), unless Options.PRMResource replaces it.
func (s *Server) metadataRoutes(mux *http.ServeMux, issuer string) {
	if s.opts.NoPRM {
		return
	}
	var scopes []string
	if !s.opts.OmitPRMScopes {
		scopes = []string{ScopeRead, ScopeWrite}
	}
	for _, path := range []string{streamablePath, ssePath, ""} {
		resource := s.URL + path
		if s.opts.PRMResource != "" {
			resource = s.opts.PRMResource
		}
		mux.Handle(prmPath+path, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s.count(func(c *Counts) { c.Metadata++ })
			current := issuer
			if as := s.AS(); as != s.as {
				current = as.Issuer() // moved by MigrateAS
			}
			prm := &oauthex.ProtectedResourceMetadata{
				Resource:               resource,
				AuthorizationServers:   []string{current},
				ScopesSupported:        scopes,
				BearerMethodsSupported: []string{"header"},
				ResourceName:           "mcptest",
			}
			if s.opts.dpop() {
				prm.DPOPSigningAlgValuesSupported = []string{"ES256", "RS256"}
				prm.DPOPBoundAccessTokensRequired = s.opts.DPoPRequired
			}
			if s.opts.PRMCacheControl != "" {
				w.Header().Set("Cache-Control", s.opts.PRMCacheControl)
			}
			auth.ProtectedResourceMetadataHandler(prm).ServeHTTP(w, r)
		}))
	}
}
