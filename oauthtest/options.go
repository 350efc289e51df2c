package oauthtest

import (
	"errors"
	"fmt"
	"io"
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
}

// Options configures a Server. The zero value is usable.
type Options struct {
	// Addr is the TCP listen address; default "127.0.0.1:0".
	Addr string
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
		c.RedirectURIs = append([]string(nil), c.RedirectURIs...)
		registry[c.ID] = c
	}
	return registry, nil
}
