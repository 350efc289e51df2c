package oauthtest

import "net/http"

// Well-known locations of the server metadata: RFC 8414 §3 and OpenID
// Connect Discovery 1.0 §4, which RFC 8414 §5 allows to carry the same
// document.
const (
	metadataPath            = "/.well-known/oauth-authorization-server"
	openIDConfigurationPath = "/.well-known/openid-configuration"
)

// metadata is the authorization server metadata document (RFC 8414 §2).
type metadata struct {
	Issuer                                 string   `json:"issuer"`
	AuthorizationEndpoint                  string   `json:"authorization_endpoint"`
	TokenEndpoint                          string   `json:"token_endpoint"`
	ScopesSupported                        []string `json:"scopes_supported"`
	ResponseTypesSupported                 []string `json:"response_types_supported"`
	GrantTypesSupported                    []string `json:"grant_types_supported"`
	TokenEndpointAuthMethodsSupported      []string `json:"token_endpoint_auth_methods_supported"`
	CodeChallengeMethodsSupported          []string `json:"code_challenge_methods_supported"`
	AuthorizationResponseIssParamSupported bool     `json:"authorization_response_iss_parameter_supported"`
}

// handleMetadata serves the metadata document (RFC 8414 §3.2).
func (s *Server) handleMetadata(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	s.counts.Metadata++
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, metadata{
		Issuer:                                 s.Issuer(),
		AuthorizationEndpoint:                  s.AuthorizeURL(),
		TokenEndpoint:                          s.TokenURL(),
		ScopesSupported:                        []string{"read", "write"},
		ResponseTypesSupported:                 []string{"code"},
		GrantTypesSupported:                    []string{"authorization_code", "client_credentials", "refresh_token"},
		TokenEndpointAuthMethodsSupported:      []string{authBasic, authPost, authNone},
		CodeChallengeMethodsSupported:          []string{pkceMethodS256},
		AuthorizationResponseIssParamSupported: true,
	})
}
