package core

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// maxReplayBody bounds a request body buffered so that the request can be
// sent again after a 401.
const maxReplayBody = 16 << 20

// Transport is an http.RoundTripper that authorizes requests to one
// protected resource with the manager's bearer token (RFC 6750 §2.1). On a
// 401 it invalidates the rejected token and, only if that yields a different
// token, sends the request once more. Requests to any other origin — including
// redirects followed by an http.Client — pass through without the token. No
// lock is held while a request is in flight.
type Transport struct {
	manager *TokenManager
	origin  string
	base    http.RoundTripper
}

var _ http.RoundTripper = (*Transport)(nil)

// NewTransport returns a Transport sending m's tokens for resourceURL
// ([TokenManager.ForServer]) to resourceURL's origin (scheme, host and port)
// only. resourceURL must be https, or http on a
// loopback host: a bearer token never travels in clear text (OAuth 2.1
// §1.5, RFC 6750 §5.3). base nil means http.DefaultTransport.
func NewTransport(m *TokenManager, resourceURL string, base http.RoundTripper) (*Transport, error) {
	if resourceURL == "" {
		return nil, &ConfigError{Field: "server_url", Reason: "must be an absolute URL"}
	}
	if err := checkEndpointURL("server_url", resourceURL); err != nil {
		return nil, err
	}
	u, _ := url.Parse(resourceURL)
	// The token set for this server (servers.go): never another server's.
	m, err := m.ForServer(resourceURL)
	if err != nil {
		return nil, err
	}
	m.reach.trust(resourceURL, true) // the caller's MCP server: its network is the server's
	if base == nil {
		base = http.DefaultTransport
	}
	return &Transport{manager: m, origin: origin(u), base: base}, nil
}

// origin is the RFC 6454 origin of u, with the default port made explicit.
func origin(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[strings.ToLower(u.Scheme)]
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Hostname()) + ":" + port
}

// RoundTrip implements http.RoundTripper: each response goes to
// [TokenManager.Respond], which decides whether to send the request again
// and with which token. In discovery mode the first request goes out
// without a token, so the resource server's 401 names its metadata and
// scope (MCP "Authorization Server Discovery"). The DELETE that ends an MCP
// session goes out with the token held, never after a token request
// (sessionend.go).
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if origin(req.URL) != t.origin {
		return t.base.RoundTrip(req)
	}
	if endsSession(req) {
		return t.endSession(req) // with the token held, never a new one (sessionend.go)
	}
	if err := makeReplayable(req); err != nil {
		return nil, err
	}
	token := ""
	if !t.manager.NeedsChallenge() {
		snap, err := t.manager.Token(req.Context())
		if err != nil {
			return nil, err
		}
		token = snap.AccessToken
	}
	previous := 0
	for {
		resp, err := t.send(req, token)
		if err != nil {
			return nil, err
		}
		next, err := t.manager.Respond(req.Context(), Response{
			Status: resp.StatusCode, WWWAuthenticate: resp.Header.Values("WWW-Authenticate"),
			Token: token, Previous: previous,
		})
		if err != nil {
			drain(resp)
			return nil, err
		}
		if next == "" {
			return resp, nil
		}
		drain(resp)
		if token != "" {
			previous = resp.StatusCode
		}
		token = next
	}
}

// rejectedBy describes a resource server's 401 to a token just obtained
// after it had refused the previous one, from its Bearer challenge (RFC 6750
// §3), quoting neither token.
func rejectedBy(wwwAuthenticate []string, tokens ...string) *TokenRejectedError {
	ch, _ := resourceChallenge(wwwAuthenticate)
	r := newRedactor(tokens...)
	desc := r.text(ch.ErrorDescription())
	if len(desc) > maxQuoted {
		desc = strings.ToValidUTF8(desc[:maxQuoted], "")
	}
	return &TokenRejectedError{ErrorCode: Printable(r.text(ch.ErrorCode())), ErrorDescription: Printable(desc)}
}

// resourceChallenge returns a resource server's Bearer challenge (RFC 6750
// §3), else its DPoP challenge (RFC 9449 §7.1), which carries the same
// parameters.
func resourceChallenge(wwwAuthenticate []string) (Challenge, bool) {
	chs := ParseWWWAuthenticate(wwwAuthenticate)
	if ch, ok := BearerChallenge(chs); ok {
		return ch, true
	}
	for _, c := range chs {
		if c.Is(TokenTypeDPoP) {
			return c, true
		}
	}
	return Challenge{}, false
}

// send sends a clone of req, with a fresh body, authorized with token
// (none when ""): Bearer, or for a DPoP-bound token the DPoP scheme and a
// proof. A DPoP-bound token's request is sent once more when the server
// demands a new DPoP nonce (RFC 9449 §9).
func (t *Transport) send(req *http.Request, token string) (*http.Response, error) {
	for attempt := 0; ; attempt++ {
		r := req.Clone(req.Context())
		if req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			r.Body = body
		}
		headers, err := t.manager.RequestHeaders(r.Method, r.URL.String(), token)
		if err != nil {
			return nil, err
		}
		for name, values := range headers {
			r.Header[name] = values
		}
		resp, err := t.base.RoundTrip(r)
		if err != nil || attempt > 0 || !t.manager.NoteDPoPNonce(r.URL.String(), token, resp.StatusCode,
			resp.Header.Values("WWW-Authenticate"), resp.Header.Get("DPoP-Nonce")) {
			return resp, err
		}
		drain(resp)
	}
}

// makeReplayable buffers a body that cannot be re-read, so that a request
// can be sent again.
func makeReplayable(req *http.Request) error {
	if req.Body == nil || req.Body == http.NoBody || req.GetBody != nil {
		return nil
	}
	data, err := io.ReadAll(io.LimitReader(req.Body, maxReplayBody+1))
	req.Body.Close()
	if err != nil {
		return err
	}
	if len(data) > maxReplayBody {
		return fmt.Errorf("mcp-oauth: request body over %d MiB cannot be replayed after a 401", maxReplayBody>>20)
	}
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	req.Body, _ = req.GetBody()
	return nil
}

// drain discards what is left of a response so its connection can be
// reused.
func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
}
