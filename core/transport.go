package core

import (
	"bytes"
	"errors"
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

// NewTransport returns a Transport sending m's tokens to resourceURL's origin
// (scheme, host and port) only. resourceURL must be https, or http on a
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

// RoundTrip implements http.RoundTripper. In discovery mode the first
// request goes out without a token, so the resource server's 401 names its
// metadata and scope (MCP "Authorization Server Discovery").
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if origin(req.URL) != t.origin {
		return t.base.RoundTrip(req)
	}
	if err := makeReplayable(req); err != nil {
		return nil, err
	}
	if t.manager.NeedsChallenge() {
		resp, err := t.send(req, "")
		if err != nil || resp.StatusCode != http.StatusUnauthorized {
			return resp, err
		}
		t.observe(resp)
		drain(resp)
	}
	snap, err := t.manager.Token(req.Context())
	if err != nil {
		return nil, err
	}
	resp, err := t.send(req, snap.AccessToken)
	if err != nil {
		return nil, err
	}
	switch resp.StatusCode {
	case http.StatusUnauthorized:
		// RFC 6750 §3.1 invalid_token: drop the token, retry only with a new one.
		t.observe(resp)
		t.manager.Invalidate(snap.AccessToken)
	case http.StatusForbidden:
		ch, ok := BearerChallenge(ParseWWWAuthenticate(resp.Header.Values("WWW-Authenticate")))
		if !ok || ch.ErrorCode() != "insufficient_scope" {
			return resp, nil
		}
		// A token restored from the store before discovery: discover now,
		// so that the step-up widens the discovered scopes and drops the
		// stored refresh token too.
		if _, err := t.manager.authParams(req.Context()); err != nil {
			drain(resp)
			return nil, err
		}
		if err := t.manager.StepUp(ch); err != nil {
			drain(resp)
			return nil, err // ErrStepUpLimit
		}
	default:
		if resp.StatusCode < 400 {
			t.manager.StepUpSucceeded()
		}
		return resp, nil
	}
	fresh, err := t.manager.Token(req.Context())
	if errors.Is(err, ErrAuthorizationRequired) {
		drain(resp)
		return nil, err // a user must authorize (again): tell the caller
	}
	if err != nil || fresh.AccessToken == snap.AccessToken {
		return resp, nil
	}
	first := resp.StatusCode
	drain(resp)
	again, err := t.send(req, fresh.AccessToken)
	if err != nil || first != http.StatusUnauthorized || again.StatusCode != http.StatusUnauthorized {
		return again, err
	}
	t.observe(again)
	drain(again)
	return nil, rejectedBy(again, fresh.AccessToken, snap.AccessToken)
}

// rejectedBy describes a resource server's 401 to a token just obtained
// after it had refused the previous one, from its Bearer challenge (RFC 6750
// §3), quoting neither token.
func rejectedBy(resp *http.Response, tokens ...string) *TokenRejectedError {
	ch, _ := BearerChallenge(ParseWWWAuthenticate(resp.Header.Values("WWW-Authenticate")))
	r := newRedactor(tokens...)
	desc := r.text(ch.ErrorDescription())
	if len(desc) > maxQuoted {
		desc = strings.ToValidUTF8(desc[:maxQuoted], "")
	}
	return &TokenRejectedError{ErrorCode: Printable(r.text(ch.ErrorCode())), ErrorDescription: Printable(desc)}
}

// observe records a response's Bearer challenge with the manager.
func (t *Transport) observe(resp *http.Response) {
	if ch, ok := BearerChallenge(ParseWWWAuthenticate(resp.Header.Values("WWW-Authenticate"))); ok {
		t.manager.SetChallenge(ch)
	}
}

// send clones req with a fresh body and the bearer token, and sends it.
func (t *Transport) send(req *http.Request, token string) (*http.Response, error) {
	r := req.Clone(req.Context())
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		r.Body = body
	}
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	return t.base.RoundTrip(r)
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
