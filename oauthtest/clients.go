package oauthtest

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Client authentication methods, as named by RFC 8414 §2 and recorded in
// TokenRequest.AuthMethod.
const (
	authBasic = "client_secret_basic"
	authPost  = "client_secret_post"
	authNone  = "none"
)

// public reports whether c is a public client (RFC 6749 §2.1).
func (c Client) public() bool { return c.Secret == "" }

// redirectAllowed reports whether uri is an acceptable redirection endpoint
// for c: one of the registered URIs by simple string comparison (RFC 6749
// §3.1.2.3), or, when none is registered, any loopback http URI whatever its
// port (RFC 8252 §7.3).
func (c Client) redirectAllowed(uri string) bool {
	if len(c.RedirectURIs) > 0 {
		return slices.Contains(c.RedirectURIs, uri)
	}
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "http" || u.User != nil || strings.Contains(uri, "#") {
		return false
	}
	switch u.Hostname() {
	case "127.0.0.1", "localhost", "::1":
		return true
	}
	return false
}

// validRedirectURI reports whether uri may be registered as a redirection
// endpoint: an absolute URI without fragment (RFC 6749 §3.1.2).
func validRedirectURI(uri string) bool {
	u, err := url.Parse(uri)
	return err == nil && u.IsAbs() && !strings.Contains(uri, "#")
}

// clientCredentials is the client identification and authentication carried
// by a token request (RFC 6749 §2.3).
type clientCredentials struct {
	method string // authBasic, authPost or authNone
	id     string
	secret string
}

// readClientCredentials extracts the client credentials of a token request:
// HTTP Basic, whose user name and password are form-urlencoded before being
// Base64-encoded (RFC 6749 §2.3.1), client_id and client_secret in the body,
// or client_id alone for public clients (RFC 6749 §3.2.1). The returned
// credentials describe what was read even when the request is malformed, so
// that it can be recorded.
func readClientCredentials(r *http.Request, form url.Values) (clientCredentials, *oauthError) {
	formID := firstValue(form, "client_id")
	formSecret := firstValue(form, "client_secret")
	if r.Header.Get("Authorization") == "" {
		if formSecret != "" {
			return clientCredentials{method: authPost, id: formID, secret: formSecret}, nil
		}
		return clientCredentials{method: authNone, id: formID}, nil
	}

	c := clientCredentials{method: authBasic, id: formID}
	user, pass, ok := r.BasicAuth()
	if !ok {
		return c, invalidClient("malformed or unsupported Authorization header", true)
	}
	id, errID := url.QueryUnescape(user)
	secret, errSecret := url.QueryUnescape(pass)
	if errID != nil || errSecret != nil {
		return c, invalidClient("Basic credentials are not form-urlencoded (RFC 6749 §2.3.1)", true)
	}
	c.id, c.secret = id, secret
	switch {
	case formSecret != "":
		return c, invalidRequest("more than one client authentication method used")
	case formID != "" && formID != id:
		return c, invalidRequest("client_id does not match the Basic credentials")
	}
	return c, nil
}

// authenticate identifies and authenticates the client of a token request
// (RFC 6749 §3.2.1). Confidential clients must present their secret; public
// clients must not present one.
func (s *Server) authenticate(c clientCredentials) (Client, *oauthError) {
	basic := c.method == authBasic
	if c.id == "" {
		return Client{}, invalidClient("client authentication required", basic)
	}
	client, ok := s.clients[c.id]
	switch {
	case !ok:
		return Client{}, invalidClient("unknown client", basic)
	case client.public() && c.secret != "":
		return Client{}, invalidClient("public client must not present a secret", basic)
	case client.public():
		return client, nil
	case c.method == authNone:
		return Client{}, invalidClient("client authentication required", false)
	case subtle.ConstantTimeCompare([]byte(c.secret), []byte(client.Secret)) != 1:
		return Client{}, invalidClient("client authentication failed", basic)
	}
	return client, nil
}
