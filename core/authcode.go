package core

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"log/slog"
	"net/url"
	"slices"
	"time"

	"golang.org/x/oauth2"
)

// Bounds on pending authorizations.
const (
	pendingLifetime = 10 * time.Minute
	maxPending      = 256
)

// pendingAuth is an authorization request awaiting its response.
type pendingAuth struct {
	verifier    string
	redirectURI string
	created     time.Time
	params      *authParams // the authorization server the request went to
}

// AuthorizationRequest is a started authorization code flow: the URL to send
// the user's browser to and the state that identifies it.
type AuthorizationRequest struct {
	URL   string
	State string
}

// BeginAuthorization starts an authorization code flow (RFC 6749 §4.1.1)
// with PKCE S256 (RFC 7636 §4.3), a fresh random state (RFC 6749 §10.12) and
// the RFC 8707 resource. redirectURI "" uses the configured redirect_uri. In
// discovery mode the first call discovers the authorization server.
func (m *TokenManager) BeginAuthorization(ctx context.Context, redirectURI string) (AuthorizationRequest, error) {
	if m.closed.Load() {
		return AuthorizationRequest{}, ErrClosed
	}
	if m.cfg.GrantType != GrantAuthorizationCode {
		return AuthorizationRequest{}, ErrUnsupported
	}
	p, err := m.authParams(ctx)
	if err != nil {
		return AuthorizationRequest{}, err
	}
	if p.authCode.Endpoint.AuthURL == "" {
		return AuthorizationRequest{}, ErrUnsupported
	}
	if redirectURI == "" {
		redirectURI = m.cfg.RedirectURI
		if m.cfg.Discovering() {
			redirectURI = m.redirectURI()
		}
	}
	if redirectURI == "" {
		return AuthorizationRequest{}, &ConfigError{Field: "redirect_uri", Reason: "required: pass one or configure redirect_uri"}
	}
	if err := checkRedirectURI("redirect_uri", redirectURI); err != nil {
		return AuthorizationRequest{}, err
	}
	state := randomState()
	verifier := GenerateCodeVerifier()
	cfg := *p.authCode
	cfg.RedirectURL = redirectURI
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(verifier)}
	if p.endpoint.resource != "" {
		opts = append(opts, oauth2.SetAuthURLParam("resource", p.endpoint.resource))
	}
	if slices.Contains(cfg.Scopes, ScopeOfflineAccess) {
		// OpenID Connect Core §11: without prompt=consent an OpenID provider
		// drops offline_access and issues no refresh token.
		opts = append(opts, oauth2.SetAuthURLParam("prompt", "consent"))
	}
	authURL := cfg.AuthCodeURL(state, opts...)

	m.mu.Lock()
	defer m.mu.Unlock()
	if m.pending == nil {
		return AuthorizationRequest{}, ErrClosed
	}
	m.prunePendingLocked()
	m.pending[state] = pendingAuth{verifier: verifier, redirectURI: redirectURI, created: m.now(), params: p}
	logEvent(ctx, slog.LevelInfo, EventAuthorizeBegin, "authorization started (PKCE S256)",
		"authorization_endpoint", logURL(p.authCode.Endpoint.AuthURL), "redirect_uri", logURL(redirectURI),
		"scopes", cfg.Scopes)
	return AuthorizationRequest{URL: authURL, State: state}, nil
}

// prunePendingLocked forgets expired flows and, past maxPending, the oldest.
func (m *TokenManager) prunePendingLocked() {
	now := m.now()
	oldest, oldestAt := "", now
	for s, p := range m.pending {
		if now.Sub(p.created) > pendingLifetime {
			delete(m.pending, s)
		} else if p.created.Before(oldestAt) {
			oldest, oldestAt = s, p.created
		}
	}
	if len(m.pending) >= maxPending {
		delete(m.pending, oldest)
	}
}

// CompleteAuthorization finishes a flow from the URL the browser was
// redirected to (RFC 6749 §4.1.2): state must name a pending flow (each is
// usable once), iss must match a configured issuer (RFC 9207 §2.4), an error
// response becomes an [AuthorizationDeniedError], and the code is exchanged
// with the PKCE verifier (RFC 6749 §4.1.3, RFC 7636 §4.5). The tokens are
// then cached and refreshed like any other.
func (m *TokenManager) CompleteAuthorization(ctx context.Context, redirectURL string) (Snapshot, error) {
	tok, err := m.exchangeAuthorization(ctx, redirectURL)
	if err != nil {
		return Snapshot{}, err
	}
	m.countAuthorization()
	return m.store(tok)
}

// exchangeAuthorization checks an authorization response and exchanges its
// code for tokens, which it returns without keeping them.
func (m *TokenManager) exchangeAuthorization(ctx context.Context, redirectURL string) (*Token, error) {
	if m.closed.Load() {
		return nil, ErrClosed
	}
	u, err := url.Parse(redirectURL)
	if err != nil {
		return nil, &ProtocolError{Reason: "redirect URL is not a valid URL"}
	}
	q := u.Query()
	for _, name := range []string{"state", "code", "iss", "error"} {
		if len(q[name]) > 1 { // RFC 6749 §3.1: parameters MUST NOT repeat
			return nil, &ProtocolError{Reason: "authorization response repeats " + name}
		}
	}
	p, ok := m.takePending(q.Get("state"))
	if !ok {
		logEvent(ctx, slog.LevelWarn, EventAuthorizeComplete, "authorization response for no pending flow (state mismatch)")
		return nil, ErrStateMismatch
	}
	logEvent(ctx, slog.LevelInfo, EventAuthorizeComplete, "authorization response received",
		"has_code", q.Has("code"), "error", Printable(q.Get("error")))
	if want := p.params.issuer; want != "" && (q.Has("iss") || p.params.issRequired) && q.Get("iss") != want {
		return nil, &IssuerMismatchError{Expected: want, Got: q.Get("iss")}
	}
	if code := q.Get("error"); code != "" {
		return nil, &AuthorizationDeniedError{
			ErrorCode: Printable(code), ErrorDescription: Printable(q.Get("error_description")), ErrorURI: Printable(q.Get("error_uri")),
		}
	}
	code := q.Get("code")
	if code == "" {
		return nil, &ProtocolError{Reason: "authorization response has neither code nor error"}
	}
	tok, err := p.params.endpoint.request(ctx, url.Values{
		"grant_type":    {GrantAuthorizationCode},
		"code":          {code},
		"redirect_uri":  {p.redirectURI},
		"code_verifier": {p.verifier},
	})
	if err != nil {
		return nil, err
	}
	return tok, nil
}

// takePending removes and returns the pending flow for state, if it exists
// and has not expired.
func (m *TokenManager) takePending(state string) (pendingAuth, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.pending[state]
	if !ok || state == "" {
		return pendingAuth{}, false
	}
	delete(m.pending, state)
	return p, m.now().Sub(p.created) <= pendingLifetime
}

// randomState returns 128 bits from crypto/rand, base64url-encoded.
func randomState() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}
