package oauthtest

import (
	"net/http"
	"slices"
)

// Well-known locations of the server metadata: RFC 8414 §3 and OpenID
// Connect Discovery 1.0 §4, which RFC 8414 §5 allows to carry the same
// document.
const (
	metadataPath            = "/.well-known/oauth-authorization-server"
	openIDConfigurationPath = "/.well-known/openid-configuration"
)

// defaultScopesSupported is advertised when Options.ScopesSupported is nil.
var defaultScopesSupported = []string{"read", "write"}

// metadata is the authorization server metadata document (RFC 8414 §2).
type metadata struct {
	Issuer                                     string   `json:"issuer"`
	AuthorizationEndpoint                      string   `json:"authorization_endpoint"`
	TokenEndpoint                              string   `json:"token_endpoint"`
	RegistrationEndpoint                       string   `json:"registration_endpoint,omitempty"`
	DeviceAuthorizationEndpoint                string   `json:"device_authorization_endpoint,omitempty"`
	ScopesSupported                            []string `json:"scopes_supported,omitempty"`
	ResponseTypesSupported                     []string `json:"response_types_supported"`
	GrantTypesSupported                        []string `json:"grant_types_supported"`
	TokenEndpointAuthMethodsSupported          []string `json:"token_endpoint_auth_methods_supported"`
	TokenEndpointAuthSigningAlgValuesSupported []string `json:"token_endpoint_auth_signing_alg_values_supported"`
	CodeChallengeMethodsSupported              []string `json:"code_challenge_methods_supported,omitempty"`
	AuthorizationResponseIssParamSupported     bool     `json:"authorization_response_iss_parameter_supported"`
	// ClientIDMetadataDocumentSupported is defined by
	// draft-ietf-oauth-client-id-metadata-document-00 §5 and MCP 2025-11-25.
	ClientIDMetadataDocumentSupported bool `json:"client_id_metadata_document_supported,omitempty"`
	// DPoPSigningAlgValuesSupported is defined by RFC 9449 §5.1.
	DPoPSigningAlgValuesSupported []string `json:"dpop_signing_alg_values_supported,omitempty"`
}

// metadataPaths returns the paths serving the metadata, as selected by
// Options.MetadataLocations. For an issuer without path they are
// /.well-known/oauth-authorization-server (RFC 8414 §3) and
// /.well-known/openid-configuration (OpenID Connect Discovery 1.0 §4); for
// an issuer with path /P, /.well-known/oauth-authorization-server/P
// (RFC 8414 §3.1), /.well-known/openid-configuration/P (RFC 8414 §5) and
// /P/.well-known/openid-configuration (OpenID Connect Discovery 1.0 §4.1).
func (s *Server) metadataPaths() []string {
	if s.opts.NoMetadata {
		return nil
	}
	locations := s.opts.MetadataLocations
	if locations == nil {
		locations = []MetadataLocation{MetadataOAuth, MetadataOIDC, MetadataOIDCAppend}
	}
	var paths []string
	for _, l := range locations {
		if p := l.path(s.opts.IssuerPath); !slices.Contains(paths, p) {
			paths = append(paths, p)
		}
	}
	return paths
}

// path returns the path of the location for an issuer with the given path.
func (l MetadataLocation) path(issuerPath string) string {
	switch l {
	case MetadataOAuth:
		return metadataPath + issuerPath
	case MetadataOIDC:
		return openIDConfigurationPath + issuerPath
	}
	return issuerPath + openIDConfigurationPath
}

// handleMetadata serves the metadata document (RFC 8414 §3.2).
func (s *Server) handleMetadata(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	s.counts.Metadata++
	s.mu.Unlock()
	md := metadata{
		Issuer:                            s.Issuer(),
		AuthorizationEndpoint:             s.AuthorizeURL(),
		TokenEndpoint:                     s.TokenURL(),
		ScopesSupported:                   s.opts.ScopesSupported,
		ResponseTypesSupported:            []string{"code"},
		GrantTypesSupported:               knownGrantTypes,
		TokenEndpointAuthMethodsSupported: []string{authBasic, authPost, authNone, authJWT},
		TokenEndpointAuthSigningAlgValuesSupported: []string{algES256, algRS256},
		CodeChallengeMethodsSupported:              []string{pkceMethodS256},
		AuthorizationResponseIssParamSupported:     true,
		ClientIDMetadataDocumentSupported:          !s.opts.DisableClientIDMetadataDocuments,
	}
	if md.ScopesSupported == nil {
		md.ScopesSupported = defaultScopesSupported
	}
	if !s.opts.DisableRegistration {
		md.RegistrationEndpoint = s.RegistrationURL()
	}
	if s.opts.DisableDeviceAuthorization {
		md.GrantTypesSupported = slices.DeleteFunc(slices.Clone(knownGrantTypes), func(g string) bool { return g == GrantDeviceCode })
	} else {
		md.DeviceAuthorizationEndpoint = s.DeviceAuthorizationURL()
	}
	if s.opts.DPoP {
		md.DPoPSigningAlgValuesSupported = []string{algES256, algRS256}
	}
	if s.opts.WorkloadIdentityKey != nil {
		md.GrantTypesSupported = append(slices.Clone(md.GrantTypesSupported), grantJWTBearer)
	}
	if s.opts.OmitCodeChallengeMethods {
		md.CodeChallengeMethodsSupported = nil
	}
	if s.opts.MetadataCacheControl != "" {
		w.Header().Set("Cache-Control", s.opts.MetadataCacheControl)
	}
	writeJSON(w, http.StatusOK, md)
}
