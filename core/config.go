package core

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"
)

//go:generate go run ../internal/tablegen

// Grant types a [Config] can use as its primary grant.
const (
	GrantClientCredentials = "client_credentials" // RFC 6749 §4.4
	GrantAuthorizationCode = "authorization_code" // RFC 6749 §4.1
)

// Token endpoint client authentication methods (RFC 7591 §2).
const (
	AuthClientSecretBasic = "client_secret_basic" // RFC 6749 §2.3.1, HTTP Basic
	AuthClientSecretPost  = "client_secret_post"  // RFC 6749 §2.3.1, form body
	AuthNone              = "none"                // public client
	// AuthPrivateKeyJWT (RFC 7523 §2.2) is declared with the JWT assertion code.
)

// Defaults applied by [ParseConfig].
const (
	DefaultHTTPTimeout   = 30 * time.Second
	DefaultRefreshMargin = 30 * time.Second
)

// DefaultMCPMaxResponseBytes is the default bound on an MCP response body
// and on each event of an SSE stream (Config.MCPMaxResponseBytes): 8 MiB.
// The MCP SDK gathers an SSE line by appending, so an event at the bound
// transiently costs several times its size (measured: 60-80 MiB of peak RSS
// for a 16 MiB event, 20-30 MiB for 8 MiB).
const DefaultMCPMaxResponseBytes = 8 << 20

// Config is the client configuration, decoded from one JSON object that is
// the same in every language. This struct is the configuration schema's
// single source: each field's JSON name, type and documentation are read
// from here — by [ParseConfig]'s strict decoder (the member names, through
// reflection) and by internal/tablegen, which writes the copies in the
// header's comment, docs/concepts.md, Python's McpOAuthConfig and Node's
// index.d.ts (`make generate`; a test fails when a copy differs). To add a
// member: add a field here with its json tag, a one-paragraph doc comment
// (the user documentation, Markdown backticks allowed) and, when they apply,
// the tags
//
//	required:"unless server_url is set"   when it is required (or "with jwt_bearer")
//	default:"30"                          a fixed default (a conditional one goes in the doc)
//	enum:"a,b"                            the accepted strings
//	secret:"true"                         a credential: kept out of Python's repr
//
// then run `make generate`. Append it to its group: the order is that of
// Python's McpOAuthConfig, whose first six parameters (client_id to pkce)
// may be passed by position. Its validation goes in [Config.Validate];
// TestConfigSchema* hold the tags to what ParseConfig does, and
// CONTRIBUTING.md lists the other shared tables.
type Config struct {
	// The OAuth client identifier. With `server_url` (and another grant than
	// `jwt_bearer`) a client ID metadata document or dynamic registration
	// (RFC 7591) may identify the client instead.
	ClientID string `json:"client_id" required:"unless server_url is set"`
	// A confidential client's secret.
	ClientSecret string `json:"client_secret,omitempty" secret:"true"`
	// The token endpoint: https://, or http:// on a loopback address.
	// Discovered with `server_url`.
	TokenURL string `json:"token_url" required:"unless server_url is set"`
	// The authorization endpoint: enables the authorization code flow.
	AuthorizeURL string `json:"authorize_url,omitempty"`
	// The scopes to request (RFC 6749 §3.3). With `server_url`, the server's
	// when not set.
	Scopes []string `json:"scopes,omitempty"`
	// PKCE with S256 (RFC 7636). On by default with `authorize_url` or the
	// `authorization_code` grant; OAuth 2.1 requires it, so false is refused
	// together with `authorize_url`.
	PKCE *bool `json:"pkce,omitempty"`
	// The RFC 8707 resource indicator sent on every authorization and token
	// request. With `server_url`, the discovered one when not set.
	Resource string `json:"resource,omitempty"`
	// The redirect URI of the authorization code flow: the default of
	// authorize_begin. With `server_url`, http://127.0.0.1/callback (a
	// loopback listener on a free port, RFC 8252 §7.3) when not set.
	RedirectURI string `json:"redirect_uri,omitempty"`
	// The grant that obtains tokens. Default: `jwt_bearer` when
	// `idp_id_token` or a workload identity token is set; `authorization_code` with `authorize_url`,
	// `device_authorization_url`, or `server_url` without a client secret
	// or key; else `client_credentials`.
	GrantType string `json:"grant_type,omitempty" enum:"client_credentials,authorization_code,jwt_bearer"`
	// How the client authenticates at the token endpoint (RFC 7591 §2).
	// Default: `private_key_jwt` with `private_key_pem`,
	// `client_secret_basic` with `client_secret`, else `none`.
	TokenEndpointAuthMethod string `json:"token_endpoint_auth_method,omitempty" enum:"client_secret_basic,client_secret_post,private_key_jwt,none"`
	// The authorization server's issuer: authorization responses must carry
	// a matching `iss` (RFC 9207). With `server_url`, the only authorization
	// server the client's credentials are sent to: an MCP server whose
	// metadata names another is refused before that server is contacted.
	// Required with `jwt_bearer` without `server_url` (it is the ID-JAG's
	// audience).
	Issuer string `json:"issuer,omitempty" required:"with server_url and a client_secret or private_key_pem"`
	// The bound on each HTTP request, in seconds (0 means the default; at
	// most 3600).
	HTTPTimeoutSeconds float64 `json:"http_timeout_seconds,omitempty" default:"30"`
	// A token is refreshed in the background once it is this many seconds
	// from expiry, or in its last 10 % of life if that is longer, but at
	// most half its lifetime (0 to 86400).
	RefreshMarginSeconds *float64 `json:"refresh_margin_seconds,omitempty" default:"30"`
	// A PEM file of CAs to trust besides the system's (a company's private
	// CA, say).
	CAFile string `json:"ca_file,omitempty"`
	// The bound on each MCP response body and on each event of an MCP SSE
	// stream, in bytes (0 means the default; at most 1 GiB): past it the
	// session is closed and the call fails, naming this member. Default
	// 8388608 (8 MiB).
	MCPMaxResponseBytes int64 `json:"mcp_max_response_bytes,omitempty"`
	// A directory (created 0700; refused if others can read it) where the
	// client registration and the tokens are kept in 0600 files, per MCP
	// server, issuer and client, so that a restarted program reuses them.
	TokenStoreDir string `json:"token_store_dir,omitempty"`
	// A token store instead of files: `keyring`, the OS keyring (the
	// Secret Service on Linux, with `token_store_dir`, default
	// ~/.config/mcp-oauth, holding only lock files, or everything where no
	// keyring runs; the Credential Manager on Windows; see "Token store" in
	// docs/concepts.md); or, shared by
	// processes on many hosts instead of `token_store_dir`, the `redis://`
	// or `rediss://` URL of a Redis or Valkey server (user and password in
	// the URL, or the password in the environment variable
	// `MCP_OAUTH_REDIS_PASSWORD`): one token request per credential across
	// the fleet; see "Running on many hosts" in docs/concepts.md.
	TokenStore string `json:"token_store,omitempty"`
	// A file holding the key that encrypts the entries of `token_store`
	// (AES-256-GCM): 32 bytes, raw or base64. Without it the environment
	// variable `MCP_OAUTH_STORE_KEY` (32 bytes, base64) is used; without
	// either, tokens are stored in clear.
	TokenStoreKeyFile string `json:"token_store_key_file,omitempty"`
	// When `token_store` cannot be reached: `unshared` requests tokens
	// without sharing them, `fail` fails the token request with a network
	// error. Callers holding a valid token are not affected either way.
	TokenStoreFallback string `json:"token_store_fallback,omitempty" enum:"unshared,fail" default:"unshared"`

	// MCP authorization (discovery mode): with ServerURL set, token_url,
	// authorize_url, the issuer, the scopes and (by registration) the client
	// may all be discovered from the MCP server.

	// The MCP server's URL: discovery mode (MCP authorization). The
	// authorization server is found from its protected resource metadata
	// (RFC 9728, RFC 8414); `token_url`, `authorize_url` and `client_id`
	// become optional.
	ServerURL string `json:"server_url,omitempty"`
	// The https URL of the client's ID metadata document, used as
	// `client_id` when the authorization server supports it.
	ClientMetadataURL string `json:"client_metadata_url,omitempty"`
	// The client_name sent in dynamic client registration (RFC 7591).
	ClientName string `json:"client_name,omitempty"`
	// A PEM private key for `private_key_jwt` client authentication
	// (RFC 7523 §2.2), the default auth method with it.
	PrivateKeyPEM string `json:"private_key_pem,omitempty" secret:"true"`
	// The signing algorithm of the `private_key_jwt` assertions.
	SigningAlg string `json:"signing_alg,omitempty" enum:"ES256,RS256" default:"ES256"`

	// The device authorization endpoint (RFC 8628 §3.1), for the device
	// flow, when endpoints are configured rather than discovered. The device
	// grant obtains user-delegated tokens: with it `grant_type` defaults to
	// `authorization_code`, which then needs no `authorize_url`.
	DeviceAuthorizationURL string `json:"device_authorization_url,omitempty"`

	// Enterprise-managed authorization (grant_type "jwt_bearer", SEP-990):
	// the IdP's token endpoint, the client's identity there, and the user's
	// ID token to exchange for an ID-JAG (see crossapp.go). The idp_*
	// members are refused with other grants.

	// The enterprise identity provider's token endpoint (https://, or
	// http:// on loopback), where the user's ID token is exchanged for an
	// ID-JAG (RFC 8693).
	IDPTokenEndpoint string `json:"idp_token_endpoint,omitempty" required:"with jwt_bearer"`
	// The client's identifier at the identity provider.
	IDPClientID string `json:"idp_client_id,omitempty" required:"with jwt_bearer"`
	// The client's secret at the identity provider (client_secret_basic);
	// without it the client is public there.
	IDPClientSecret string `json:"idp_client_secret,omitempty" secret:"true"`
	// The user's ID token from the identity provider.
	IDPIDToken string `json:"idp_id_token,omitempty" required:"with jwt_bearer" secret:"true"`

	// DPoP (RFC 9449, see dpop.go) and workload identity federation
	// (SEP-1933, see wif.go).

	// DPoP-bound tokens (RFC 9449): true binds every token to a key of the
	// client; unset uses DPoP when the MCP server asks for it (its metadata's
	// `dpop_bound_access_tokens_required`, or DPoP challenges); false never
	// (a server that requires it is then a configuration error).
	DPoP *bool `json:"dpop,omitempty"`
	// The DPoP private key, PEM: EC P-256 (ES256) or RSA of at least 2048
	// bits (RS256). Default: a generated key, kept in `token_store_dir` with
	// the tokens it binds.
	DPoPKeyPEM string `json:"dpop_key_pem,omitempty" secret:"true"`
	// A workload identity JWT (a Kubernetes service-account token, a GitHub
	// Actions OIDC token, a SPIFFE JWT-SVID) presented as a jwt-bearer grant
	// (RFC 7523 §2.1, workload identity federation); selects `jwt_bearer`.
	WorkloadIdentityToken string `json:"workload_identity_token,omitempty" secret:"true"`
	// A file holding the workload identity JWT, read again for every new
	// token so that a rotated file is followed; selects `jwt_bearer`.
	WorkloadIdentityTokenFile string `json:"workload_identity_token_file,omitempty"`
	// A command (program and arguments, no shell) printing the workload
	// identity JWT, bounded by `http_timeout_seconds`; selects `jwt_bearer`.
	WorkloadIdentityTokenCommand []string `json:"workload_identity_token_command,omitempty"`

	// How the manager logs a user in by itself when a token needs one
	// (instead of failing with "authorization required"): `browser` runs the
	// interactive authorization code flow (RFC 8252, a loopback redirect)
	// and shows the URL with `open_command`; `device` runs the device
	// authorization grant (RFC 8628) and prints its user code and
	// verification URI to standard error. One login at a time, shared by
	// every caller waiting for a token; the explicit authorize and device
	// calls remain. Needs the `authorization_code` grant.
	Login string `json:"login,omitempty" enum:"none,browser,device" default:"none"`
	// The program that opens the authorization URL of `login` `browser`,
	// started with the URL as its only argument (no shell), e.g.
	// `xdg-open`; without it the URL is printed to standard error.
	OpenCommand string `json:"open_command,omitempty"`

	// HTTP headers sent on every MCP request to the server (its origin
	// only, never to the authorization server), as lines "Name: value" —
	// an API key or a routing header a gateway wants. Authorization, DPoP,
	// Cookie, Host, the MCP transport's own headers (Accept, Content-Type,
	// Mcp-*) and HTTP framing headers are refused.
	MCPHeaders []string `json:"mcp_headers,omitempty" secret:"true"`
}

// Discovering reports whether the endpoints are to be discovered from the
// MCP server (server_url set, token_url not).
func (c *Config) Discovering() bool { return c.ServerURL != "" && c.TokenURL == "" }

// ParseConfig decodes a JSON configuration strictly — an unknown member, a
// wrong type or trailing data is an error naming the member — then validates
// it and fills in defaults (see [Config.Validate]).
func ParseConfig(data []byte) (*Config, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var c Config
	if err := dec.Decode(&c); err != nil {
		return nil, decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, &ConfigError{Reason: "unexpected data after the JSON object"}
	}
	if err := checkMemberNames(data); err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// configMembers is the set of JSON member names of a Config, exactly as
// spelled in its tags.
var configMembers = func() map[string]bool {
	names := map[string]bool{}
	t := reflect.TypeOf(Config{})
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); name != "" && name != "-" {
			names[name] = true
		}
	}
	return names
}()

// checkMemberNames holds a configuration that encoding/json accepted to
// the exact member names: encoding/json matches names case-insensitively
// ("Client_Secret", "TOKEN_URL") and lets a repeated member silently
// override the first, so a document could say one thing to a reader and
// another to the library.
func checkMemberNames(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil // the strict decode has already vetted the document
	}
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil
		}
		name, _ := t.(string)
		if !configMembers[name] {
			return &ConfigError{Field: name, Reason: "unknown field (member names are case-sensitive)"}
		}
		if seen[name] {
			return &ConfigError{Field: name, Reason: "repeated"}
		}
		seen[name] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil
		}
	}
	return nil
}

// decodeError turns an encoding/json error into a ConfigError naming the
// member at fault.
func decodeError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		if typeErr.Field == "" {
			return &ConfigError{Reason: "the configuration must be a JSON object"}
		}
		return &ConfigError{Field: typeErr.Field, Reason: "must be a JSON " + jsonKind(typeErr.Type.Kind().String())}
	case errors.As(err, &syntaxErr):
		return &ConfigError{Reason: fmt.Sprintf("malformed JSON at offset %d", syntaxErr.Offset)}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &ConfigError{Reason: "empty or truncated JSON"}
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return &ConfigError{Field: strings.Trim(name, `"`), Reason: "unknown field"}
	}
	return &ConfigError{Reason: "malformed JSON"}
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "float64", "int", "int64":
		return "number"
	case "slice":
		return "array of strings"
	case "ptr":
		return "boolean or number"
	}
	return "value of the documented type"
}

// errIssuerRequired says why a discovering client with credentials must
// name its authorization server (MCP authorization, "Authorization Server
// Binding"): the MCP server's metadata names the authorization server, and
// an MCP server is not trusted with the client's credentials.
const errIssuerRequired = "required with client_secret or private_key_pem when the authorization server is discovered " +
	"from server_url: credentials are sent only to the authorization server that issued them, " +
	"and the MCP server's metadata could name any other; set issuer to that authorization server's issuer URL"

// Validate checks the configuration and fills in defaults: the grant type,
// the token endpoint auth method, PKCE and the timeouts. A client secret or
// private key with discovery needs issuer ([errIssuerRequired]).
func (c *Config) Validate() error { return c.validate(false) }

// validate is Validate for a manager given a Go workload identity source
// ([WithWorkloadIdentity]) when workloadCallback is set.
func (c *Config) validate(workloadCallback bool) error {
	workload := workloadCallback || c.hasWorkloadIdentity()
	if c.ClientID == "" && ((c.ServerURL == "" && !workload) || c.ClientSecret != "" || c.PrivateKeyPEM != "") {
		return &ConfigError{Field: "client_id", Reason: "required"}
	}
	if c.TokenURL == "" && c.ServerURL == "" {
		return &ConfigError{Field: "token_url", Reason: "required (or server_url, to discover it)"}
	}
	for _, u := range []struct{ field, value string }{
		{"token_url", c.TokenURL}, {"authorize_url", c.AuthorizeURL}, {"device_authorization_url", c.DeviceAuthorizationURL},
		{"issuer", c.Issuer},
		{"server_url", c.ServerURL}, {"client_metadata_url", c.ClientMetadataURL},
	} {
		if err := checkEndpointURL(u.field, u.value); err != nil {
			return err
		}
	}
	if c.Discovering() && c.Issuer == "" && (c.ClientSecret != "" || c.PrivateKeyPEM != "") {
		return &ConfigError{Field: "issuer", Reason: errIssuerRequired}
	}
	if err := checkRedirectURI("redirect_uri", c.RedirectURI); err != nil {
		return err
	}
	if err := checkResource(c.Resource); err != nil {
		return err
	}
	for _, s := range c.Scopes {
		if !validScopeToken(s) {
			return &ConfigError{Field: "scopes", Reason: fmt.Sprintf("%q is not a scope token (RFC 6749 §3.3)", s)}
		}
	}
	if err := c.defaultGrantAndAuth(workloadCallback); err != nil {
		return err
	}
	if err := c.checkMCPHeaders(); err != nil {
		return err
	}
	if err := c.checkLogin(); err != nil {
		return err
	}
	if c.HTTPTimeoutSeconds < 0 || c.HTTPTimeoutSeconds > 3600 {
		return &ConfigError{Field: "http_timeout_seconds", Reason: "must be between 0 (default) and 3600"}
	}
	if m := c.RefreshMarginSeconds; m != nil && (*m < 0 || *m > 86400) {
		return &ConfigError{Field: "refresh_margin_seconds", Reason: "must be between 0 and 86400"}
	}
	if c.MCPMaxResponseBytes < 0 || c.MCPMaxResponseBytes > 1<<30 {
		return &ConfigError{Field: "mcp_max_response_bytes", Reason: "must be between 0 (default, 8 MiB) and 1073741824 (1 GiB)"}
	}
	return c.checkTokenStore()
}

// defaultGrantAndAuth settles grant_type, token_endpoint_auth_method and pkce
// and checks that they fit together.
func (c *Config) defaultGrantAndAuth(workloadCallback bool) error {
	switch c.GrantType {
	case "":
		c.GrantType = GrantClientCredentials
		if c.IDPIDToken != "" || workloadCallback || c.hasWorkloadIdentity() {
			c.GrantType = GrantJWTBearer
		} else if c.AuthorizeURL != "" || c.DeviceAuthorizationURL != "" ||
			(c.Discovering() && c.ClientSecret == "" && c.PrivateKeyPEM == "") {
			c.GrantType = GrantAuthorizationCode
		}
	case GrantClientCredentials, GrantJWTBearer:
	case GrantAuthorizationCode:
		if c.AuthorizeURL == "" && c.DeviceAuthorizationURL == "" && !c.Discovering() {
			return &ConfigError{Field: "authorize_url", Reason: "required for the authorization_code grant"}
		}
	default:
		return &ConfigError{Field: "grant_type", Reason: `must be "client_credentials", "authorization_code" or "jwt_bearer"`}
	}
	if err := c.checkJWTBearer(workloadCallback); err != nil {
		return err
	}
	if err := c.checkSigningKey(); err != nil {
		return err
	}
	if err := c.checkDPoP(); err != nil {
		return err
	}
	switch c.TokenEndpointAuthMethod {
	case "":
		switch {
		case c.PrivateKeyPEM != "":
			c.TokenEndpointAuthMethod = AuthPrivateKeyJWT
		case c.ClientSecret != "":
			c.TokenEndpointAuthMethod = AuthClientSecretBasic
		default:
			c.TokenEndpointAuthMethod = AuthNone
		}
	case AuthPrivateKeyJWT:
		if c.PrivateKeyPEM == "" {
			return &ConfigError{Field: "private_key_pem", Reason: "required by token_endpoint_auth_method private_key_jwt"}
		}
	case AuthClientSecretBasic, AuthClientSecretPost:
		if c.ClientSecret == "" {
			return &ConfigError{Field: "client_secret", Reason: "required by token_endpoint_auth_method " + c.TokenEndpointAuthMethod}
		}
	case AuthNone:
		if c.ClientSecret != "" {
			return &ConfigError{Field: "token_endpoint_auth_method", Reason: `"none" cannot be used with a client_secret`}
		}
	default:
		return &ConfigError{Field: "token_endpoint_auth_method", Reason: `must be "client_secret_basic", "client_secret_post", "private_key_jwt" or "none"`}
	}
	if c.GrantType == GrantClientCredentials && c.TokenEndpointAuthMethod == AuthNone && !c.Discovering() {
		return &ConfigError{Field: "client_secret", Reason: "required for the client_credentials grant (RFC 6749 §4.4)"}
	}
	if c.PKCE == nil {
		on := c.AuthorizeURL != "" || c.GrantType == GrantAuthorizationCode
		c.PKCE = &on
	}
	if c.AuthorizeURL != "" && !*c.PKCE {
		return &ConfigError{Field: "pkce", Reason: "must be true with the authorization code flow (OAuth 2.1 §4.1.1, MCP authorization)"}
	}
	return nil
}

// checkSigningKey validates private_key_pem and signing_alg for
// private_key_jwt (RFC 7523 §2.2) by signing a throwaway assertion.
func (c *Config) checkSigningKey() error {
	if c.PrivateKeyPEM == "" {
		if c.SigningAlg != "" {
			return &ConfigError{Field: "signing_alg", Reason: "only applies with private_key_pem"}
		}
		return nil
	}
	if c.SigningAlg == "" {
		c.SigningAlg = AlgES256
	}
	if c.SigningAlg != AlgES256 && c.SigningAlg != AlgRS256 {
		return &ConfigError{Field: "signing_alg", Reason: `must be "ES256" or "RS256"`}
	}
	if _, err := NewJWTAssertion("check", "https://check.invalid", []byte(c.PrivateKeyPEM), c.SigningAlg, time.Now()); err != nil {
		return &ConfigError{Field: "private_key_pem", Reason: "not a usable " + c.SigningAlg + " private key"}
	}
	return nil
}

// HTTPTimeout is the bound on each HTTP request.
func (c *Config) HTTPTimeout() time.Duration {
	if c.HTTPTimeoutSeconds == 0 {
		return DefaultHTTPTimeout
	}
	return time.Duration(c.HTTPTimeoutSeconds * float64(time.Second))
}

// MCPMaxResponse is the bound on an MCP response body or SSE event.
func (c *Config) MCPMaxResponse() int64 {
	if c.MCPMaxResponseBytes == 0 {
		return DefaultMCPMaxResponseBytes
	}
	return c.MCPMaxResponseBytes
}

// RefreshMargin is the minimum refresh window before expiry.
func (c *Config) RefreshMargin() time.Duration {
	if c.RefreshMarginSeconds == nil {
		return DefaultRefreshMargin
	}
	return time.Duration(*c.RefreshMarginSeconds * float64(time.Second))
}

// validScopeToken reports whether s is a scope-token: 1*( %x21 / %x23-5B /
// %x5D-7E ) (RFC 6749 §3.3).
func validScopeToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b < 0x21 || b > 0x7e || b == '"' || b == '\\' {
			return false
		}
	}
	return true
}
