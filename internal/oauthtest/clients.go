package oauthtest

import (
	"context"
	"crypto/subtle"
	"errors"
	"net"
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
	authJWT   = "private_key_jwt"
)

// public reports whether c is a public client (RFC 6749 §2.1), which has
// neither a secret nor a key.
func (c Client) public() bool {
	return c.Secret == "" && c.PublicKey == nil && len(c.jwks) == 0 && c.jwksURI == ""
}

// redirectAllowed reports whether uri is an acceptable redirection endpoint
// for c: one of the registered URIs by simple string comparison (RFC 6749
// §3.1.2.3) — for a registered loopback IP http URI, whatever the port
// (RFC 8252 §7.3) — or, when none is registered, any loopback http URI
// whatever its port.
func (c Client) redirectAllowed(uri string) bool {
	if len(c.RedirectURIs) > 0 {
		return slices.Contains(c.RedirectURIs, uri) || slices.ContainsFunc(c.RedirectURIs, func(r string) bool {
			return sameLoopbackRedirect(r, uri)
		})
	}
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "http" || u.User != nil || strings.Contains(uri, "#") {
		return false
	}
	return isLoopbackHost(u.Hostname())
}

// validRedirectURI reports whether uri may be registered as a redirection
// endpoint: an absolute URI without fragment (RFC 6749 §3.1.2).
func validRedirectURI(uri string) bool {
	u, err := url.Parse(uri)
	return err == nil && u.IsAbs() && !strings.Contains(uri, "#")
}

// lookupClient returns the client identified by id: a configured client, a
// dynamically registered one, or, for a URL, the client described by its
// Client ID Metadata Document.
func (s *Server) lookupClient(ctx context.Context, id string) (Client, error) {
	if c, ok := s.clients[id]; ok {
		return c, nil
	}
	s.mu.Lock()
	c, ok := s.registered[id]
	s.mu.Unlock()
	switch {
	case ok:
		return c, nil
	case !s.opts.DisableClientIDMetadataDocuments && isClientIDMetadataURL(id):
		return s.fetchClientMetadata(ctx, id)
	}
	return Client{}, errors.New("unknown client")
}

// clientCredentials is the client identification and authentication carried
// by a token request (RFC 6749 §2.3).
type clientCredentials struct {
	method    string // authBasic, authPost, authNone or authJWT
	id        string
	secret    string
	assertion string // JWT of authJWT
}

// readClientCredentials extracts the client credentials of a token request:
// HTTP Basic, whose user name and password are form-urlencoded before being
// Base64-encoded (RFC 6749 §2.3.1), client_id and client_secret in the body,
// a JWT client assertion (RFC 7523 §2.2), whose sub identifies the client
// when client_id is absent, or client_id alone for public clients (RFC 6749
// §3.2.1). The returned credentials describe what was read even when the
// request is malformed, so that it can be recorded.
func readClientCredentials(r *http.Request, form url.Values) (clientCredentials, *oauthError) {
	formID := firstValue(form, "client_id")
	formSecret := firstValue(form, "client_secret")
	if form.Has("client_assertion") || form.Has("client_assertion_type") {
		return readClientAssertion(r, form)
	}
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

// readClientAssertion reads JWT client authentication (RFC 7523 §2.2), which
// must be the only authentication method of the request.
func readClientAssertion(r *http.Request, form url.Values) (clientCredentials, *oauthError) {
	assertion := firstValue(form, "client_assertion")
	c := clientCredentials{method: authJWT, id: firstValue(form, "client_id"), assertion: assertion}
	if c.id == "" {
		c.id = assertionSubject(assertion)
	}
	switch {
	case firstValue(form, "client_assertion_type") != clientAssertionType:
		return c, invalidRequest("client_assertion_type must be " + clientAssertionType)
	case assertion == "":
		return c, invalidRequest("missing client_assertion")
	case r.Header.Get("Authorization") != "" || form.Has("client_secret"):
		return c, invalidRequest("more than one client authentication method used")
	}
	return c, nil
}

// authenticate identifies and authenticates the client of a token request
// (RFC 6749 §3.2.1). Confidential clients must present their secret or a
// client assertion signed with their key; public clients must present
// neither.
func (s *Server) authenticate(ctx context.Context, c clientCredentials) (Client, *oauthError) {
	basic := c.method == authBasic
	if c.id == "" {
		return Client{}, invalidClient("client authentication required", basic)
	}
	client, err := s.lookupClient(ctx, c.id)
	switch {
	case err != nil:
		return Client{}, invalidClient(err.Error(), basic)
	case c.method == authJWT:
		if err := s.verifyClientAssertion(ctx, client, c.assertion); err != nil {
			return Client{}, invalidClient(err.Error(), false)
		}
		return client, nil
	case client.public() && c.secret != "":
		return Client{}, invalidClient("public client must not present a secret", basic)
	case client.public():
		return client, nil
	case c.method == authNone:
		return Client{}, invalidClient("client authentication required", false)
	case client.Secret == "":
		return Client{}, invalidClient("client must authenticate with private_key_jwt", basic)
	case subtle.ConstantTimeCompare([]byte(c.secret), []byte(client.Secret)) != 1:
		return Client{}, invalidClient("client authentication failed", basic)
	}
	return client, nil
}

// sameLoopbackRedirect reports whether registered and requested are the
// same loopback IP literal http redirect URI but for the port: "The
// authorization server MUST allow any port to be specified at the time of
// the request for loopback IP redirect URIs" (RFC 8252 §7.3).
func sameLoopbackRedirect(registered, requested string) bool {
	a, errA := url.Parse(registered)
	b, errB := url.Parse(requested)
	if errA != nil || errB != nil || a.Scheme != "http" || b.Scheme != "http" || a.User != nil || b.User != nil {
		return false
	}
	ip := net.ParseIP(a.Hostname())
	if ip == nil || !ip.IsLoopback() || a.Hostname() != b.Hostname() {
		return false
	}
	a.Host, b.Host = a.Hostname(), b.Hostname()
	return a.String() == b.String() && !strings.Contains(requested, "#")
}
