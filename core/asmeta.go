package core

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

const (
	docASM             = "authorization server metadata"
	wellKnownOAuthAS   = "/.well-known/oauth-authorization-server"
	wellKnownOIDC      = "/.well-known/openid-configuration"
	pkceMethodS256     = "S256"
	legacyAuthorizeURL = "/authorize"
	legacyTokenURL     = "/token"
	legacyRegisterURL  = "/register"
)

// AuthServerMetadata is an authorization server's metadata (RFC 8414 §2, or
// OpenID Connect Discovery 1.0 provider metadata) whose issuer and endpoint
// URLs have been validated.
type AuthServerMetadata struct {
	Issuer                                     string   `json:"issuer"`
	AuthorizationEndpoint                      string   `json:"authorization_endpoint,omitempty"`
	TokenEndpoint                              string   `json:"token_endpoint,omitempty"`
	RegistrationEndpoint                       string   `json:"registration_endpoint,omitempty"`
	DeviceAuthorizationEndpoint                string   `json:"device_authorization_endpoint,omitempty"`
	ScopesSupported                            []string `json:"scopes_supported,omitempty"`
	ResponseTypesSupported                     []string `json:"response_types_supported,omitempty"`
	GrantTypesSupported                        []string `json:"grant_types_supported,omitempty"`
	TokenEndpointAuthMethodsSupported          []string `json:"token_endpoint_auth_methods_supported,omitempty"`
	TokenEndpointAuthSigningAlgValuesSupported []string `json:"token_endpoint_auth_signing_alg_values_supported,omitempty"`
	CodeChallengeMethodsSupported              []string `json:"code_challenge_methods_supported,omitempty"`
	AuthorizationResponseIssParameterSupported bool     `json:"authorization_response_iss_parameter_supported,omitempty"`
	ClientIDMetadataDocumentSupported          bool     `json:"client_id_metadata_document_supported,omitempty"`
	DPoPSigningAlgValuesSupported              []string `json:"dpop_signing_alg_values_supported,omitempty"` // RFC 9449 §5.1

	// MetadataURL is where the document was fetched ("" when Defaulted).
	MetadataURL string `json:"-"`
	// Defaulted reports that no metadata document exists and the 2025-03-26
	// default endpoints were assumed (see [LegacyAuthServerMetadata]).
	Defaulted bool `json:"-"`
}

// asmWire is the document as sent, decoded leniently.
type asmWire struct {
	Issuer                                     string   `json:"issuer"`
	AuthorizationEndpoint                      string   `json:"authorization_endpoint"`
	TokenEndpoint                              string   `json:"token_endpoint"`
	RegistrationEndpoint                       string   `json:"registration_endpoint"`
	DeviceAuthorizationEndpoint                string   `json:"device_authorization_endpoint"`
	ScopesSupported                            strList  `json:"scopes_supported"`
	ResponseTypesSupported                     strList  `json:"response_types_supported"`
	GrantTypesSupported                        strList  `json:"grant_types_supported"`
	TokenEndpointAuthMethodsSupported          strList  `json:"token_endpoint_auth_methods_supported"`
	TokenEndpointAuthSigningAlgValuesSupported strList  `json:"token_endpoint_auth_signing_alg_values_supported"`
	CodeChallengeMethodsSupported              strList  `json:"code_challenge_methods_supported"`
	AuthorizationResponseIssParameterSupported flexBool `json:"authorization_response_iss_parameter_supported"`
	ClientIDMetadataDocumentSupported          flexBool `json:"client_id_metadata_document_supported"`
	DPoPSigningAlgValuesSupported              strList  `json:"dpop_signing_alg_values_supported"`
}

// DiscoverAuthServer fetches and validates the metadata of the
// authorization server identified by issuer, trying the well-known URLs in
// the order of MCP authorization "Authorization Server Metadata Discovery":
// for an issuer with a path, OAuth 2.0 path insertion
// (/.well-known/oauth-authorization-server/<path>), OpenID Connect path
// insertion (/.well-known/openid-configuration/<path>), then OpenID Connect
// path appending (<path>/.well-known/openid-configuration); for an issuer
// without one, OAuth 2.0 then OpenID Connect. Candidates answering any 4xx,
// non-JSON or a cross-origin redirect are skipped, as in
// [DiscoverProtectedResource].
//
// The document's issuer must be identical (string equality, no
// normalisation) to issuer (RFC 8414 §3.3, OpenID Connect Discovery §4.3); a
// document for another issuer is never used, and when no candidate yields
// the right one the error is a [*MetadataIssuerMismatchError]. token_endpoint
// is required, and every endpoint URL must be https (http only on loopback
// hosts) and not a link-local or cloud metadata address. Call
// [AuthServerMetadata.RequirePKCES256] before an authorization code flow.
func DiscoverAuthServer(ctx context.Context, client *http.Client, issuer string) (*AuthServerMetadata, error) {
	asm, _, err := discoverASM(ctx, client, issuer)
	return asm, err
}

// discoverASM is DiscoverAuthServer, which also returns the document as
// fetched (for the metadata cache).
func discoverASM(ctx context.Context, client *http.Client, issuer string) (*AuthServerMetadata, fetchedDoc, error) {
	if err := checkIssuerURL(issuer); err != nil {
		return nil, fetchedDoc{}, err
	}
	u, _ := url.Parse(issuer)
	var got fetchedDoc
	asm, err := discoverFirst(ctx, noRedirectClient(client), docASM, asWellKnownURLs(u), func(f fetchedDoc) (*AuthServerMetadata, error) {
		got = f
		return validateASM(f, issuer)
	})
	return asm, got, err
}

// asWellKnownURLs lists the metadata URLs for an issuer in MCP order. A
// terminating "/" of the issuer's path is removed first (RFC 8414 §3.1).
func asWellKnownURLs(issuer *url.URL) []string {
	base := issuer.Scheme + "://" + issuer.Host
	path := strings.TrimSuffix(issuer.EscapedPath(), "/")
	if path == "" {
		return []string{base + wellKnownOAuthAS, base + wellKnownOIDC}
	}
	return []string{base + wellKnownOAuthAS + path, base + wellKnownOIDC + path, base + path + wellKnownOIDC}
}

// validateASM decodes one fetched document and checks it against the
// issuers it may name (normally exactly one).
func validateASM(f fetchedDoc, issuers ...string) (*AuthServerMetadata, error) {
	return validateASMIssuer(f, issuers[0], func(iss string) bool { return slices.Contains(issuers, iss) })
}

// validateASMIssuer decodes one fetched document and checks it, its issuer
// with acceptable (expected names the issuer in errors).
func validateASMIssuer(f fetchedDoc, expected string, acceptable func(string) bool) (*AuthServerMetadata, error) {
	var w asmWire
	if err := decodeMetadata(docASM, f.url, f.body, &w); err != nil {
		return nil, err
	}
	if !acceptable(w.Issuer) {
		return nil, &MetadataIssuerMismatchError{Expected: expected, Got: w.Issuer, MetadataURL: f.url}
	}
	if w.TokenEndpoint == "" {
		return nil, &MetadataError{Document: docASM, URL: f.url, Reason: "token_endpoint is missing (RFC 8414 §2)"}
	}
	for _, ep := range []struct{ name, value string }{
		{"authorization_endpoint", w.AuthorizationEndpoint},
		{"token_endpoint", w.TokenEndpoint},
		{"registration_endpoint", w.RegistrationEndpoint},
		{"device_authorization_endpoint", w.DeviceAuthorizationEndpoint},
	} {
		if ep.value == "" {
			continue
		}
		var ue *DiscoveryURLError
		if err := checkDiscoveryURL(ep.value); errors.As(err, &ue) {
			return nil, &MetadataError{Document: docASM, URL: f.url, Reason: ep.name + " is unusable: " + ue.Reason}
		}
	}
	return &AuthServerMetadata{
		Issuer:                                     w.Issuer,
		AuthorizationEndpoint:                      w.AuthorizationEndpoint,
		TokenEndpoint:                              w.TokenEndpoint,
		RegistrationEndpoint:                       w.RegistrationEndpoint,
		DeviceAuthorizationEndpoint:                w.DeviceAuthorizationEndpoint,
		ScopesSupported:                            w.ScopesSupported,
		ResponseTypesSupported:                     w.ResponseTypesSupported,
		GrantTypesSupported:                        w.GrantTypesSupported,
		TokenEndpointAuthMethodsSupported:          w.TokenEndpointAuthMethodsSupported,
		TokenEndpointAuthSigningAlgValuesSupported: w.TokenEndpointAuthSigningAlgValuesSupported,
		CodeChallengeMethodsSupported:              w.CodeChallengeMethodsSupported,
		AuthorizationResponseIssParameterSupported: bool(w.AuthorizationResponseIssParameterSupported),
		ClientIDMetadataDocumentSupported:          bool(w.ClientIDMetadataDocumentSupported),
		DPoPSigningAlgValuesSupported:              w.DPoPSigningAlgValuesSupported,
		MetadataURL:                                f.url,
	}, nil
}

// RequirePKCES256 returns nil when the authorization server advertises the
// S256 code challenge method, else a [*MetadataError] wrapping
// [ErrPKCES256Unsupported]: MCP clients "MUST refuse to proceed" with the
// authorization code flow when code_challenge_methods_supported is absent
// or lacks S256 (MCP authorization, "Authorization Code Protection"). For
// Defaulted metadata it returns nil: 2025-03-26 servers without metadata
// were required to support PKCE S256 and had no way to advertise it.
func (m *AuthServerMetadata) RequirePKCES256() error {
	if m.Defaulted || slices.Contains(m.CodeChallengeMethodsSupported, pkceMethodS256) {
		return nil
	}
	reason := "code_challenge_methods_supported is absent: PKCE support is not advertised"
	if len(m.CodeChallengeMethodsSupported) > 0 {
		reason = "code_challenge_methods_supported does not include S256"
	}
	return &MetadataError{Document: docASM, URL: m.MetadataURL, Reason: reason, Err: ErrPKCES256Unsupported}
}

// LegacyAuthServerMetadata is the 2025-03-26 fallback for an MCP server
// without protected resource metadata (call it when
// [DiscoverProtectedResource] fails with [ErrMetadataNotFound]). The
// authorization base URL is the server URL's origin (its path discarded);
// metadata is fetched from <origin>/.well-known/oauth-authorization-server
// and must name an issuer on that origin: the origin itself, with or without
// a trailing "/", or a path under it (an authorization server mounted at
// <origin>/oauth publishes its metadata at the root for 2025-03-26 clients).
// An issuer on another origin is refused.
// When no document exists (every candidate 4xx, non-JSON or redirected
// away), the result is Defaulted: the endpoints <origin>/authorize,
// <origin>/token and <origin>/register, and an empty Issuer (there is none
// to check an authorization response's iss against). A transport failure, a
// 5xx or an invalid document is an error, never a reason to assume defaults.
func LegacyAuthServerMetadata(ctx context.Context, client *http.Client, serverURL string) (*AuthServerMetadata, error) {
	if err := checkDiscoveryURL(serverURL); err != nil {
		return nil, err
	}
	u, _ := url.Parse(serverURL)
	base := strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host)
	m, err := discoverFirst(ctx, noRedirectClient(client), docASM, []string{base + wellKnownOAuthAS},
		func(f fetchedDoc) (*AuthServerMetadata, error) {
			return validateASMIssuer(f, base, func(iss string) bool { return sameOriginIssuer(iss, base) })
		})
	if err == nil || !errors.Is(err, ErrMetadataNotFound) {
		return m, err
	}
	return &AuthServerMetadata{
		AuthorizationEndpoint: base + legacyAuthorizeURL,
		TokenEndpoint:         base + legacyTokenURL,
		RegistrationEndpoint:  base + legacyRegisterURL,
		Defaulted:             true,
	}, nil
}

// sameOriginIssuer reports whether issuer is an issuer identifier (no query,
// no fragment) on origin base (scheme://host[:port], lower case): base
// itself, base + "/", or base + "/" + a path.
func sameOriginIssuer(issuer, base string) bool {
	rest, ok := strings.CutPrefix(issuer, base)
	if !ok || (rest != "" && rest[0] != '/') {
		return false
	}
	return !strings.ContainsAny(rest, "?#")
}
