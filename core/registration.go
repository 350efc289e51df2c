package core

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Values of the RFC 7591 / OpenID Connect Registration application_type.
const (
	ApplicationTypeNative = "native"
	ApplicationTypeWeb    = "web"
)

// GrantRefreshToken is the refresh_token grant (RFC 6749 §6).
const GrantRefreshToken = "refresh_token"

// ClientRegistration is the client metadata sent to a registration endpoint
// (RFC 7591 §2). Zero fields take defaults; see [RegisterClient].
type ClientRegistration struct {
	RedirectURIs []string
	ClientName   string
	Scopes       []string
	// GrantTypes defaults to authorization_code and refresh_token;
	// refresh_token is added whenever authorization_code is present.
	GrantTypes []string
	// Confidential asks for a client secret; otherwise the client is public
	// and uses token_endpoint_auth_method "none".
	Confidential bool
	// TokenEndpointAuthMethod overrides the choice made from
	// SupportedAuthMethods.
	TokenEndpointAuthMethod string
	// SupportedAuthMethods is the authorization server's
	// token_endpoint_auth_methods_supported.
	SupportedAuthMethods []string
	// ApplicationType overrides "native" (every redirect URI on a loopback
	// host or a private-use scheme) or "web" (otherwise).
	ApplicationType string
	ClientURI       string
	LogoURI         string
	SoftwareID      string
	SoftwareVersion string
	// InitialAccessToken is sent as a bearer token to registration endpoints
	// that require one (RFC 7591 §3).
	InitialAccessToken string
}

// RegisteredClient is a client information response (RFC 7591 §3.2.1).
// Timestamps are Unix seconds; ClientSecretExpiresAt 0 means never.
type RegisteredClient struct {
	ClientID                string   `json:"client_id"`
	ClientSecret            string   `json:"client_secret,omitempty"`
	ClientIDIssuedAt        int64    `json:"client_id_issued_at,omitempty"`
	ClientSecretExpiresAt   int64    `json:"client_secret_expires_at,omitempty"`
	TokenEndpointAuthMethod string   `json:"token_endpoint_auth_method"`
	RedirectURIs            []string `json:"redirect_uris,omitempty"`
	GrantTypes              []string `json:"grant_types,omitempty"`
	ResponseTypes           []string `json:"response_types,omitempty"`
	Scope                   string   `json:"scope,omitempty"`
	ApplicationType         string   `json:"application_type,omitempty"`
	RegistrationAccessToken string   `json:"registration_access_token,omitempty"`
	RegistrationClientURI   string   `json:"registration_client_uri,omitempty"`
}

// String describes the client without its secret or registration token.
func (c RegisteredClient) String() string {
	return "RegisteredClient{client_id=" + quoteShort(c.ClientID) + ", token_endpoint_auth_method=" + c.TokenEndpointAuthMethod + "}"
}

// GoString is String: %#v must not print the secret either.
func (c RegisteredClient) GoString() string { return c.String() }

// SecretExpired reports whether the client secret has expired at now
// (RFC 7591 §3.2.1); a client without an expiry never expires.
func (c RegisteredClient) SecretExpired(now time.Time) bool {
	return c.ClientSecretExpiresAt != 0 && !now.Before(time.Unix(c.ClientSecretExpiresAt, 0))
}

// registrationRequest is the JSON body of a registration request.
type registrationRequest struct {
	RedirectURIs            []string `json:"redirect_uris,omitempty"`
	TokenEndpointAuthMethod string   `json:"token_endpoint_auth_method"`
	GrantTypes              []string `json:"grant_types"`
	ResponseTypes           []string `json:"response_types"`
	ApplicationType         string   `json:"application_type"`
	ClientName              string   `json:"client_name,omitempty"`
	ClientURI               string   `json:"client_uri,omitempty"`
	LogoURI                 string   `json:"logo_uri,omitempty"`
	Scope                   string   `json:"scope,omitempty"`
	SoftwareID              string   `json:"software_id,omitempty"`
	SoftwareVersion         string   `json:"software_version,omitempty"`
}

// registrationWire is a registration response, decoded leniently.
type registrationWire struct {
	Error                   string  `json:"error"`
	ErrorDescription        string  `json:"error_description"`
	ClientID                string  `json:"client_id"`
	ClientSecret            string  `json:"client_secret"`
	ClientIDIssuedAt        flexInt `json:"client_id_issued_at"`
	ClientSecretExpiresAt   flexInt `json:"client_secret_expires_at"`
	TokenEndpointAuthMethod string  `json:"token_endpoint_auth_method"`
	RedirectURIs            strList `json:"redirect_uris"`
	GrantTypes              strList `json:"grant_types"`
	ResponseTypes           strList `json:"response_types"`
	Scope                   string  `json:"scope"`
	ApplicationType         string  `json:"application_type"`
	RegistrationAccessToken string  `json:"registration_access_token"`
	RegistrationClientURI   string  `json:"registration_client_uri"`
}

// RegisterClient registers a client with an authorization server's
// registration endpoint (RFC 7591 §3.1) and returns its client information.
//
// It sends application_type ("native" when every redirect URI is on a
// loopback host or uses a private-use scheme, else "web"; MCP requires it),
// grant_types (authorization_code and refresh_token by default),
// response_types ("code" with the authorization code grant), redirect_uris,
// client_name, scope, and a token_endpoint_auth_method chosen by
// [ChooseTokenEndpointAuthMethod]. A 201 or 200 with a client_id is
// success; the server's token_endpoint_auth_method wins over the requested
// one and must be one the library can use. An RFC 7591 §3.2.2 error body
// (whatever the status) is a [*RegistrationError]; another non-2xx is a
// [*ServerError]; redirects are not followed. endpoint must pass the
// discovery URL checks; bodies are capped at 1 MiB; client nil uses a
// default client.
func RegisterClient(ctx context.Context, client *http.Client, endpoint string, req ClientRegistration) (*RegisteredClient, error) {
	if err := checkDiscoveryURL(endpoint); err != nil {
		return nil, err
	}
	body, err := registrationBody(req)
	if err != nil {
		return nil, err
	}
	payload, _ := json.Marshal(body) // strings and string slices only: cannot fail
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(payload))
	if err != nil {
		return nil, &DiscoveryURLError{URL: endpoint, Reason: "cannot build a request"}
	}
	hreq.Header.Set("Content-Type", "application/json")
	hreq.Header.Set("Accept", "application/json")
	if req.InitialAccessToken != "" {
		hreq.Header.Set("Authorization", "Bearer "+req.InitialAccessToken)
	}
	const label = "registration endpoint"
	resp, err := noRedirectClient(client).Do(hreq)
	if err != nil {
		return nil, networkError(label, err)
	}
	defer resp.Body.Close()
	raw, err := readCapped(label, resp.Body)
	if err != nil {
		return nil, err
	}
	var w registrationWire
	isObject := isJSONObject(raw)
	decodeErr := json.Unmarshal(raw, &w)
	// Server text that errors quote, without the initial access token or
	// the issued credentials (a server may echo them).
	r := newRedactor(req.InitialAccessToken, w.ClientSecret, w.RegistrationAccessToken)
	w.Error, w.ErrorDescription = r.text(w.Error), r.text(w.ErrorDescription)
	w.TokenEndpointAuthMethod = r.text(w.TokenEndpointAuthMethod)
	if isObject && w.Error != "" {
		return nil, &RegistrationError{ErrorCode: Printable(w.Error), ErrorDescription: Printable(w.ErrorDescription), StatusCode: resp.StatusCode}
	}
	switch {
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		return nil, &ProtocolError{Reason: "registration endpoint answered with a redirect; redirects are not followed"}
	case resp.StatusCode < 200 || resp.StatusCode >= 300:
		return nil, &ServerError{StatusCode: resp.StatusCode, Endpoint: label}
	case !isObject || decodeErr != nil:
		return nil, &ProtocolError{Reason: "registration response is not a valid JSON object"}
	}
	return registeredFromWire(&w, body)
}

// registrationBody validates a registration and fills in its defaults.
func registrationBody(req ClientRegistration) (*registrationRequest, error) {
	for _, r := range req.RedirectURIs {
		if err := checkRedirectURI("redirect_uris", r); err != nil {
			return nil, err
		}
	}
	for _, s := range req.Scopes {
		if !validScopeToken(s) {
			return nil, &ConfigError{Field: "scopes", Reason: quoteShort(s) + " is not a scope token (RFC 6749 §3.3)"}
		}
	}
	grants := slices.Clone(req.GrantTypes)
	if len(grants) == 0 {
		grants = []string{GrantAuthorizationCode}
	}
	responseTypes := []string{}
	if slices.Contains(grants, GrantAuthorizationCode) {
		if len(req.RedirectURIs) == 0 {
			return nil, &ConfigError{Field: "redirect_uris", Reason: "required for the authorization_code grant"}
		}
		if !slices.Contains(grants, GrantRefreshToken) {
			grants = append(grants, GrantRefreshToken)
		}
		responseTypes = []string{"code"}
	}
	method := req.TokenEndpointAuthMethod
	switch method {
	case "":
		var ok bool
		if method, ok = ChooseTokenEndpointAuthMethod(req.SupportedAuthMethods, req.Confidential); !ok {
			return nil, &ConfigError{Field: "token_endpoint_auth_method",
				Reason: "the authorization server supports none of client_secret_basic, client_secret_post, none"}
		}
	case AuthClientSecretBasic, AuthClientSecretPost, AuthNone:
	default:
		return nil, &ConfigError{Field: "token_endpoint_auth_method", Reason: `must be "client_secret_basic", "client_secret_post" or "none"`}
	}
	appType := req.ApplicationType
	if appType == "" {
		appType = applicationTypeFor(req.RedirectURIs)
	}
	return &registrationRequest{
		RedirectURIs:            req.RedirectURIs,
		TokenEndpointAuthMethod: method,
		GrantTypes:              grants,
		ResponseTypes:           responseTypes,
		ApplicationType:         appType,
		ClientName:              req.ClientName,
		ClientURI:               req.ClientURI,
		LogoURI:                 req.LogoURI,
		Scope:                   strings.Join(req.Scopes, " "),
		SoftwareID:              req.SoftwareID,
		SoftwareVersion:         req.SoftwareVersion,
	}, nil
}

// registeredFromWire validates a successful registration response; members
// the server left out are taken from what was requested (RFC 7591 §3.2.1:
// the response contains all registered metadata, but some servers trim it).
func registeredFromWire(w *registrationWire, sent *registrationRequest) (*RegisteredClient, error) {
	if w.ClientID == "" {
		return nil, &ProtocolError{Reason: "registration response has no client_id"}
	}
	c := &RegisteredClient{
		ClientID:                w.ClientID,
		ClientSecret:            w.ClientSecret,
		ClientIDIssuedAt:        int64(w.ClientIDIssuedAt),
		ClientSecretExpiresAt:   int64(w.ClientSecretExpiresAt),
		TokenEndpointAuthMethod: cmp.Or(w.TokenEndpointAuthMethod, sent.TokenEndpointAuthMethod),
		RedirectURIs:            orStrList(w.RedirectURIs, sent.RedirectURIs),
		GrantTypes:              orStrList(w.GrantTypes, sent.GrantTypes),
		ResponseTypes:           orStrList(w.ResponseTypes, sent.ResponseTypes),
		Scope:                   cmp.Or(w.Scope, sent.Scope),
		ApplicationType:         cmp.Or(w.ApplicationType, sent.ApplicationType),
		RegistrationAccessToken: w.RegistrationAccessToken,
		RegistrationClientURI:   w.RegistrationClientURI,
	}
	switch c.TokenEndpointAuthMethod {
	case AuthClientSecretBasic, AuthClientSecretPost:
		if c.ClientSecret == "" {
			return nil, &ProtocolError{Reason: "registration response has no client_secret for token_endpoint_auth_method " + c.TokenEndpointAuthMethod}
		}
	case AuthNone:
	default:
		return nil, &ProtocolError{Reason: "registration assigned unsupported token_endpoint_auth_method " + quoteShort(c.TokenEndpointAuthMethod)}
	}
	return c, nil
}

func orStrList(a strList, b []string) []string {
	if len(a) > 0 {
		return a
	}
	return b
}

// ChooseTokenEndpointAuthMethod picks the token endpoint client
// authentication method from an authorization server's
// token_endpoint_auth_methods_supported: "none" for a public client; for a
// confidential one the first supported of client_secret_basic,
// client_secret_post, none. An empty list means client_secret_basic (the RFC
// 8414 §2 default). ok is false when a confidential client has no usable
// method.
func ChooseTokenEndpointAuthMethod(supported []string, confidential bool) (method string, ok bool) {
	if !confidential {
		return AuthNone, true
	}
	if len(supported) == 0 {
		return AuthClientSecretBasic, true
	}
	for _, m := range []string{AuthClientSecretBasic, AuthClientSecretPost, AuthNone} {
		if slices.Contains(supported, m) {
			return m, true
		}
	}
	return "", false
}

// applicationTypeFor returns "native" when every redirect URI is on a
// loopback host or uses a private-use scheme (RFC 8252 §7), else "web".
func applicationTypeFor(redirectURIs []string) string {
	if len(redirectURIs) == 0 {
		return ApplicationTypeWeb
	}
	for _, r := range redirectURIs {
		u, err := url.Parse(r)
		if err != nil {
			return ApplicationTypeWeb
		}
		switch strings.ToLower(u.Scheme) {
		case "http", "https":
			if !IsLoopbackHost(u.Hostname()) {
				return ApplicationTypeWeb
			}
		}
	}
	return ApplicationTypeNative
}
