package oauthtest

import (
	"crypto"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path"
	"time"
)

// Identifiers and secret of the clients registered when Options.Clients is
// empty.
const (
	DefaultClientID       = "test-client"
	DefaultClientSecret   = "test-secret"
	DefaultPublicClientID = "public-client"
)

const (
	defaultAddr          = "127.0.0.1:0"
	defaultTokenLifetime = time.Hour
)

// Client is a client registered with the server (RFC 6749 §2).
type Client struct {
	// ID is the client identifier (RFC 6749 §2.2).
	ID string
	// Secret is the client password (RFC 6749 §2.3.1). An empty Secret
	// registers a public client, whose token_endpoint_auth_method is none.
	Secret string
	// RedirectURIs are the registered redirection endpoints, compared by
	// exact string equality (RFC 6749 §3.1.2.3). When empty, any loopback
	// http URI on 127.0.0.1, localhost or [::1] is accepted whatever its
	// port and path (RFC 8252 §7.3).
	RedirectURIs []string
	// PublicKey, when set, lets the client authenticate with private_key_jwt
	// (RFC 7523 §2.2): a JWT signed with ES256 (an *ecdsa.PublicKey on
	// P-256) or RS256 (an *rsa.PublicKey of at least 2048 bits). A client
	// with a PublicKey and no Secret is confidential.
	PublicKey crypto.PublicKey

	// jwks and jwksURI are the keys of a client registered dynamically or
	// described by a Client ID Metadata Document (RFC 7591 §2).
	jwks    []jwk
	jwksURI string
}

// Options configures a Server. The zero value is usable.
type Options struct {
	// Addr is the TCP listen address; default "127.0.0.1:0".
	Addr string
	// BaseURL, when set, is the server's URL instead of its listen address
	// (e.g. https://as.example.test, reached through a TLS-terminating
	// proxy such as proxytest's): the issuer and the endpoints are under it.
	BaseURL string
	// Clients are the registered clients. When empty, a confidential client
	// DefaultClientID/DefaultClientSecret and a public client
	// DefaultPublicClientID are registered.
	Clients []Client
	// TokenLifetime is the lifetime of issued access tokens, reported as
	// expires_in (RFC 6749 §5.1) in whole seconds, rounded down. Zero means
	// one hour; a negative value omits expires_in and issues tokens that
	// never expire.
	TokenLifetime time.Duration
	// RefreshTokensForClientCredentials also issues a refresh token on
	// client_credentials grants. Authorization code grants always issue one.
	RefreshTokensForClientCredentials bool
	// Latency delays the answer to every token request.
	Latency time.Duration
	// RequestLog, when non-nil, receives one line per request with the
	// method, path, status and duration. Query strings, headers and bodies
	// are never logged, so neither are tokens nor secrets.
	RequestLog io.Writer

	// IssuerPath, e.g. "/tenant1", gives the issuer identifier a path
	// (RFC 8414 §2): the issuer becomes URL+IssuerPath and the metadata moves
	// to the path-inserted and path-appended locations (see
	// MetadataLocations). The endpoints stay at the root of URL.
	IssuerPath string
	// MetadataLocations selects the well-known locations serving the
	// metadata document; nil means all of them.
	MetadataLocations []MetadataLocation
	// MetadataCacheControl, when set, is the Cache-Control header of the
	// metadata document's responses (RFC 9111 §5.2), e.g. "max-age=60" or
	// "no-store"; by default there is none.
	MetadataCacheControl string
	// NoMetadata serves no metadata document at all, as MCP 2025-03-26
	// servers without RFC 8414 support, whose clients fall back to the
	// default endpoints /authorize, /token and /register.
	NoMetadata bool
	// OmitCodeChallengeMethods leaves code_challenge_methods_supported out
	// of the metadata; MCP clients must then refuse to proceed. PKCE is
	// still required.
	OmitCodeChallengeMethods bool
	// ScopesSupported, when non-empty, is advertised as scopes_supported
	// and is the only scopes the server grants: a request for any other
	// scope fails with invalid_scope (RFC 6749 §3.3). When nil, the metadata
	// lists "read" and "write" but any scope is granted; when empty and
	// non-nil, scopes_supported is omitted.
	ScopesSupported []string
	// DisableRegistration removes Dynamic Client Registration (RFC 7591):
	// no registration_endpoint in the metadata, and POST /register answers
	// 404.
	DisableRegistration bool
	// DisableClientIDMetadataDocuments stops advertising
	// client_id_metadata_document_supported, and URL client identifiers are
	// then unknown clients.
	DisableClientIDMetadataDocuments bool

	// DisableDeviceAuthorization removes the device authorization grant
	// (RFC 8628): no device_authorization_endpoint in the metadata, and the
	// endpoint and verification page answer 404.
	DisableDeviceAuthorization bool
	// DeviceCodeLifetime is the lifetime of device codes (RFC 8628 §3.2
	// expires_in); zero means ten minutes.
	DeviceCodeLifetime time.Duration
	// DeviceInterval is the polling interval reported in device
	// authorization responses, in whole seconds (RFC 8628 §3.2); zero means
	// 5 s, and a negative value omits it (clients then use 5 s, §3.5).
	DeviceInterval time.Duration

	// Listener, when non-nil, is served instead of listening on Addr.
	// Close closes it.
	Listener net.Listener
	// WithheldScopes are never granted: they are silently left out of
	// every token, whose response names the narrower scope (RFC 6749 §5.1),
	// as OpenID providers do with scopes a user or policy refuses.
	WithheldScopes []string
	// DPoP makes the server do DPoP (RFC 9449): it advertises
	// dpop_signing_alg_values_supported, verifies the DPoP proof of a token
	// request that carries one (refusing a replayed jti) and then issues a
	// DPoP-bound token (token_type DPoP, bound to the proof's key; its
	// refresh token is bound too). Requests without a proof get Bearer
	// tokens.
	DPoP bool
	// DPoPRequireNonce makes token requests' proofs carry the server's
	// nonce: one without it is answered use_dpop_nonce (RFC 9449 §8).
	DPoPRequireNonce bool
	// WorkloadIdentityKey, when set, enables the jwt-bearer grant (RFC 7523
	// §2.1) for workload identity federation: the assertion must be a JWT
	// signed by this key (ES256 or RS256) whose aud is the issuer or the
	// token endpoint, with an exp in the future and a sub, and — when
	// WorkloadIdentityIssuer is set — that iss. Client authentication is
	// optional; the token's client is the client_id sent, else "workload:"
	// followed by sub.
	WorkloadIdentityKey    crypto.PublicKey
	WorkloadIdentityIssuer string
	// IssueWorkloadTokens makes the server a workload identity issuer for
	// tests in any language: it generates an ES256 key, trusts it as
	// WorkloadIdentityKey (unless one is set) and signs workload JWTs on
	// POST /_test/workload_token (see WorkloadToken).
	IssueWorkloadTokens bool

	// Fallback, when non-nil, serves every request that matches no endpoint
	// of the server, so that another service, such as an MCP server, can
	// share the server's origin.
	Fallback http.Handler
}

// MetadataLocation names a well-known location of the metadata document.
type MetadataLocation string

// Metadata locations, for Options.MetadataLocations. For an issuer without
// path, MetadataOIDC and MetadataOIDCAppend are the same location.
const (
	// MetadataOAuth is /.well-known/oauth-authorization-server, followed by
	// the issuer path if any (RFC 8414 §3.1).
	MetadataOAuth MetadataLocation = "oauth"
	// MetadataOIDC is /.well-known/openid-configuration, followed by the
	// issuer path if any (path insertion, RFC 8414 §5).
	MetadataOIDC MetadataLocation = "oidc"
	// MetadataOIDCAppend is the issuer path followed by
	// /.well-known/openid-configuration (OpenID Connect Discovery 1.0 §4.1).
	MetadataOIDCAppend MetadataLocation = "oidc-append"
)

// validate checks the options other than the clients.
func (o Options) validate() error {
	if o.IssuerPath != "" {
		u, err := url.Parse(o.IssuerPath)
		if err != nil || u.Scheme != "" || u.Host != "" || u.RawQuery != "" || u.Fragment != "" ||
			o.IssuerPath == "/" || path.Clean(o.IssuerPath) != o.IssuerPath || o.IssuerPath[0] != '/' {
			return fmt.Errorf("oauthtest: issuer path %q is not a clean absolute path such as /tenant1", o.IssuerPath)
		}
	}
	for _, l := range o.MetadataLocations {
		switch l {
		case MetadataOAuth, MetadataOIDC, MetadataOIDCAppend:
		default:
			return fmt.Errorf("oauthtest: unknown metadata location %q", l)
		}
	}
	for _, sc := range o.ScopesSupported {
		if !validScopeToken(sc) {
			return fmt.Errorf("oauthtest: invalid scope %q in ScopesSupported", sc)
		}
	}
	return nil
}

// defaultClients returns the clients registered when Options.Clients is empty.
func defaultClients() []Client {
	return []Client{
		{ID: DefaultClientID, Secret: DefaultClientSecret},
		{ID: DefaultPublicClientID},
	}
}

// clientRegistry validates the configured clients and indexes them by ID.
func (o Options) clientRegistry() (map[string]Client, error) {
	clients := o.Clients
	if len(clients) == 0 {
		clients = defaultClients()
	}
	registry := make(map[string]Client, len(clients))
	for _, c := range clients {
		if c.ID == "" {
			return nil, errors.New("oauthtest: client with empty ID")
		}
		if _, dup := registry[c.ID]; dup {
			return nil, fmt.Errorf("oauthtest: duplicate client ID %q", c.ID)
		}
		for _, uri := range c.RedirectURIs {
			if !validRedirectURI(uri) {
				return nil, fmt.Errorf("oauthtest: client %q: redirect URI %q is not an absolute URI without fragment", c.ID, uri)
			}
		}
		if c.PublicKey != nil {
			if err := checkPublicKey(c.PublicKey); err != nil {
				return nil, fmt.Errorf("oauthtest: client %q: %w", c.ID, err)
			}
		}
		c.RedirectURIs = append([]string(nil), c.RedirectURIs...)
		registry[c.ID] = c
	}
	return registry, nil
}
