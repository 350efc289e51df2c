package oauthtest

import (
	"encoding/json"
	"net/url"
	"slices"
)

// ClientMetadata is client metadata (RFC 7591 §2), as a client sends it in
// a registration request or publishes it in a Client ID Metadata Document.
type ClientMetadata struct {
	RedirectURIs            []string `json:"redirect_uris,omitempty"`
	TokenEndpointAuthMethod string   `json:"token_endpoint_auth_method,omitempty"`
	GrantTypes              []string `json:"grant_types,omitempty"`
	ResponseTypes           []string `json:"response_types,omitempty"`
	ClientName              string   `json:"client_name,omitempty"`
	ClientURI               string   `json:"client_uri,omitempty"`
	LogoURI                 string   `json:"logo_uri,omitempty"`
	Scope                   string   `json:"scope,omitempty"`
	Contacts                []string `json:"contacts,omitempty"`
	TOSURI                  string   `json:"tos_uri,omitempty"`
	PolicyURI               string   `json:"policy_uri,omitempty"`
	JWKSURI                 string   `json:"jwks_uri,omitempty"`
	// JWKS is the client's JWK Set (RFC 7517 §5), unparsed.
	JWKS            json.RawMessage `json:"jwks,omitempty"`
	SoftwareID      string          `json:"software_id,omitempty"`
	SoftwareVersion string          `json:"software_version,omitempty"`
	// ApplicationType is "web" or "native" (OpenID Connect Dynamic Client
	// Registration 1.0 §2), which MCP clients send.
	ApplicationType string `json:"application_type,omitempty"`
}

// Grant types and response types a client may register (RFC 7591 §2).
var (
	knownGrantTypes    = []string{"authorization_code", "client_credentials", "refresh_token", GrantDeviceCode}
	knownResponseTypes = []string{"code"}
)

// withDefaults returns m with the defaults of RFC 7591 §2 for the fields
// left out, taking defaultAuth as the token_endpoint_auth_method. The
// response type defaults to code only for the authorization_code grant,
// which it goes with (RFC 7591 §2.1).
func (m ClientMetadata) withDefaults(defaultAuth string) ClientMetadata {
	if m.TokenEndpointAuthMethod == "" {
		m.TokenEndpointAuthMethod = defaultAuth
	}
	if len(m.GrantTypes) == 0 {
		m.GrantTypes = []string{"authorization_code"}
	}
	if len(m.ResponseTypes) == 0 && slices.Contains(m.GrantTypes, "authorization_code") {
		m.ResponseTypes = []string{"code"}
	}
	return m
}

// client validates m, to which defaults have been applied, and returns the
// client it describes, without secret: invalid_redirect_uri for a bad
// redirection endpoint, invalid_client_metadata otherwise (RFC 7591 §3.2.2).
func (m ClientMetadata) client(id string) (Client, *oauthError) {
	c := Client{ID: id, RedirectURIs: slices.Clone(m.RedirectURIs)}
	switch m.TokenEndpointAuthMethod {
	case authNone, authBasic, authPost, authJWT:
	default:
		return Client{}, invalidMetadata("unsupported token_endpoint_auth_method " + m.TokenEndpointAuthMethod)
	}
	for _, g := range m.GrantTypes {
		if !slices.Contains(knownGrantTypes, g) {
			return Client{}, invalidMetadata("unsupported grant type " + g)
		}
	}
	for _, rt := range m.ResponseTypes {
		if !slices.Contains(knownResponseTypes, rt) {
			return Client{}, invalidMetadata("unsupported response type " + rt)
		}
	}
	codeFlow := slices.Contains(m.GrantTypes, "authorization_code")
	switch {
	case codeFlow != slices.Contains(m.ResponseTypes, "code"):
		return Client{}, invalidMetadata("grant type authorization_code and response type code go together (RFC 7591 §2.1)")
	case slices.Contains(m.GrantTypes, "client_credentials") && m.TokenEndpointAuthMethod == authNone:
		return Client{}, invalidMetadata("a client_credentials client must authenticate")
	case m.ApplicationType != "" && m.ApplicationType != "web" && m.ApplicationType != "native":
		return Client{}, invalidMetadata("application_type must be web or native")
	case m.Scope != "" && !validScope(m.Scope):
		return Client{}, invalidMetadata("malformed scope")
	case codeFlow && len(m.RedirectURIs) == 0:
		return Client{}, badRequest("invalid_redirect_uri", "redirect_uris is required for the authorization_code grant")
	}
	for _, uri := range m.RedirectURIs {
		if !registrableRedirectURI(uri) {
			return Client{}, badRequest("invalid_redirect_uri", "redirect URI "+uri+" is neither https, loopback http nor a private-use scheme")
		}
	}
	if m.TokenEndpointAuthMethod != authJWT {
		return c, nil
	}
	switch {
	case len(m.JWKS) > 0 && m.JWKSURI != "":
		return Client{}, invalidMetadata("jwks and jwks_uri must not both be present (RFC 7591 §2)")
	case len(m.JWKS) > 0:
		keys, err := parseJWKS(m.JWKS)
		if err != nil {
			return Client{}, invalidMetadata("jwks: " + err.Error())
		}
		c.jwks = keys
	case m.JWKSURI != "":
		if !fetchableURL(m.JWKSURI) {
			return Client{}, invalidMetadata("jwks_uri must be https, or http on a loopback host")
		}
		c.jwksURI = m.JWKSURI
	default:
		return Client{}, invalidMetadata("private_key_jwt requires jwks or jwks_uri")
	}
	return c, nil
}

// registrableRedirectURI reports whether uri may be registered: an absolute
// URI without fragment (RFC 6749 §3.1.2) that is https, http on a loopback
// host (RFC 8252 §7.3) or of a private-use scheme (RFC 8252 §7.1); MCP
// requires redirect URIs to be localhost or https.
func registrableRedirectURI(uri string) bool {
	if !validRedirectURI(uri) {
		return false
	}
	u, _ := url.Parse(uri) // valid, as validRedirectURI checked
	return u.Scheme != "http" || isLoopbackHost(u.Hostname())
}

// validScope reports whether scope is a well-formed scope parameter.
func validScope(scope string) bool {
	_, err := requestedScope(url.Values{"scope": {scope}})
	return err == nil
}

// invalidMetadata is the invalid_client_metadata error of RFC 7591 §3.2.2.
func invalidMetadata(description string) *oauthError {
	return badRequest("invalid_client_metadata", description)
}
