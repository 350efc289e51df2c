package core

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

const redirect = "http://127.0.0.1:8976/callback"

func publicClient(srv *oauthtest.Server) *Config {
	return &Config{ClientID: oauthtest.DefaultPublicClientID, TokenURL: srv.TokenURL(), AuthorizeURL: srv.AuthorizeURL(),
		Scopes: []string{"mcp:read"}, Resource: "https://mcp.example/mcp", Issuer: srv.Issuer()}
}

// follow performs the browser's part headlessly: GET the authorization URL
// and return the Location it redirects to.
func follow(t *testing.T, authURL string) string {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(authURL)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode)
	return resp.Header.Get("Location")
}

// authorize runs a whole authorization code flow on m.
func authorize(t *testing.T, srv *oauthtest.Server, m *TokenManager) Snapshot {
	t.Helper()
	req, err := m.BeginAuthorization(context.Background(), redirect)
	require.NoError(t, err)
	snap, err := m.CompleteAuthorization(context.Background(), follow(t, req.URL))
	require.NoError(t, err)
	return snap
}

func TestAuthorizationURL(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	m := newManager(t, publicClient(srv))
	req, err := m.BeginAuthorization(context.Background(), redirect)
	require.NoError(t, err)
	u, err := url.Parse(req.URL)
	require.NoError(t, err)
	q := u.Query()
	assert.Equal(t, srv.AuthorizeURL(), u.Scheme+"://"+u.Host+u.Path)
	assert.Equal(t, "code", q.Get("response_type"))
	assert.Equal(t, oauthtest.DefaultPublicClientID, q.Get("client_id"))
	assert.Equal(t, redirect, q.Get("redirect_uri"))
	assert.Equal(t, "mcp:read", q.Get("scope"))
	assert.Equal(t, req.State, q.Get("state"))
	assert.Len(t, req.State, 22)
	assert.Equal(t, "S256", q.Get("code_challenge_method"))
	assert.Len(t, q.Get("code_challenge"), 43)
	assert.Equal(t, "https://mcp.example/mcp", q.Get("resource"))

	other, err := m.BeginAuthorization(context.Background(), redirect)
	require.NoError(t, err)
	assert.NotEqual(t, req.State, other.State)
}

func TestAuthorizationCodeFlow(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	m := newManager(t, publicClient(srv))
	snap := authorize(t, srv, m)
	got, err := m.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, snap.AccessToken, got.AccessToken, "the flow's token is served by Token")

	reqs := srv.TokenRequests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "authorization_code", reqs[0].Grant)
	assert.Equal(t, "none", reqs[0].AuthMethod)
	assert.Equal(t, redirect, reqs[0].Form.Get("redirect_uri"))
	assert.Equal(t, "https://mcp.example/mcp", reqs[0].Form.Get("resource"))
	assert.NotEmpty(t, reqs[0].Form.Get("code_verifier"))

	useClock(m).Advance(2 * time.Hour)
	refreshed, err := m.Token(context.Background())
	require.NoError(t, err)
	assert.NotEqual(t, snap.AccessToken, refreshed.AccessToken)
	assert.Equal(t, "refresh_token", srv.TokenRequests()[1].Grant)
}

func TestCompleteAuthorizationRefusals(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	for _, tc := range []struct {
		name  string
		setup func(m *TokenManager) string // returns the redirect URL to complete with
		check func(t *testing.T, err error)
	}{
		{"unknown state", func(m *TokenManager) string {
			req, _ := m.BeginAuthorization(context.Background(), redirect)
			loc, _ := url.Parse(follow(t, req.URL))
			q := loc.Query()
			q.Set("state", "forged")
			loc.RawQuery = q.Encode()
			return loc.String()
		}, func(t *testing.T, err error) { assert.ErrorIs(t, err, ErrStateMismatch) }},
		{"no state", func(m *TokenManager) string { return redirect + "?code=abc" },
			func(t *testing.T, err error) { assert.ErrorIs(t, err, ErrStateMismatch) }},
		{"state used twice", func(m *TokenManager) string {
			req, _ := m.BeginAuthorization(context.Background(), redirect)
			loc := follow(t, req.URL)
			snap, err := m.CompleteAuthorization(context.Background(), loc)
			require.NoError(t, err)
			m.Invalidate(snap.AccessToken) // forget this flow's tokens
			m.dropRefreshToken(m.refreshToken)
			return loc
		}, func(t *testing.T, err error) { assert.ErrorIs(t, err, ErrStateMismatch) }},
		{"access_denied", func(m *TokenManager) string {
			srv.DenyAuthorization("access_denied")
			defer srv.DenyAuthorization("")
			req, _ := m.BeginAuthorization(context.Background(), redirect)
			return follow(t, req.URL)
		}, func(t *testing.T, err error) {
			var de *AuthorizationDeniedError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, "access_denied", de.ErrorCode)
		}},
		{"iss mismatch", func(m *TokenManager) string {
			req, _ := m.BeginAuthorization(context.Background(), redirect)
			loc, _ := url.Parse(follow(t, req.URL))
			q := loc.Query()
			q.Set("iss", "https://evil.example")
			loc.RawQuery = q.Encode()
			return loc.String()
		}, func(t *testing.T, err error) {
			var ie *IssuerMismatchError
			require.ErrorAs(t, err, &ie)
		}},
		{"neither code nor error", func(m *TokenManager) string {
			req, _ := m.BeginAuthorization(context.Background(), redirect)
			return redirect + "?state=" + req.State
		}, func(t *testing.T, err error) {
			var pe *ProtocolError
			require.ErrorAs(t, err, &pe)
		}},
		{"repeated state", func(m *TokenManager) string {
			req, _ := m.BeginAuthorization(context.Background(), redirect)
			return follow(t, req.URL) + "&state=" + req.State
		}, func(t *testing.T, err error) {
			var pe *ProtocolError
			require.ErrorAs(t, err, &pe)
			assert.Contains(t, pe.Error(), "repeats state")
		}},
		{"wrong verifier at the server", func(m *TokenManager) string {
			req, _ := m.BeginAuthorization(context.Background(), redirect)
			other, _ := m.BeginAuthorization(context.Background(), redirect)
			loc, _ := url.Parse(follow(t, req.URL))
			q := loc.Query()
			q.Set("state", other.State) // code bound to req's challenge, verifier from other
			loc.RawQuery = q.Encode()
			return loc.String()
		}, func(t *testing.T, err error) {
			var oe *OAuthError
			require.ErrorAs(t, err, &oe)
			assert.Equal(t, "invalid_grant", oe.ErrorCode)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newManager(t, publicClient(srv))
			_, err := m.CompleteAuthorization(context.Background(), tc.setup(m))
			tc.check(t, err)
			_, err = m.Token(context.Background())
			assert.ErrorIs(t, err, ErrAuthorizationRequired, "no token after a refused response")
		})
	}
}

func TestBeginAuthorizationErrors(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	m := newManager(t, testClient(srv))
	_, err := m.BeginAuthorization(context.Background(), redirect)
	assert.ErrorIs(t, err, ErrUnsupported, "no authorize_url configured")

	p := newManager(t, publicClient(srv))
	_, err = p.BeginAuthorization(context.Background(), "")
	var ce *ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "redirect_uri", ce.Field)
	_, err = p.BeginAuthorization(context.Background(), "http://app.example/cb")
	require.ErrorAs(t, err, &ce)
}

// A token request that waited to start (here: for a slot of the token
// request limiter) while a login completed sends nothing: the login's token
// is the answer. Before, it refreshed the token obtained a moment ago — two
// tokens for one login (seen from Python as concurrent get_token calls
// returning different tokens).
func TestARequestThatWaitedWhileALoginCompletedSendsNothing(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	m := newManager(t, publicClient(srv))
	lim := newLimiter(1)
	m.limiter = lim
	hold, ok := lim.tryAcquire() // the only slot: the flight below waits for it
	require.True(t, ok)
	result := make(chan error, 1)
	go func() {
		_, err := m.Token(context.Background()) // no token yet: starts a flight, held at the limiter
		result <- err
	}()
	require.Eventually(t, func() bool { // the flight has started
		m.mu.Lock()
		defer m.mu.Unlock()
		return m.flight != nil
	}, 5*time.Second, time.Millisecond)
	snap := authorize(t, srv, m) // the login completes meanwhile
	hold()
	err := <-result
	if err == nil {
		got, tokErr := m.Token(context.Background())
		require.NoError(t, tokErr)
		assert.Equal(t, snap.AccessToken, got.AccessToken)
	}
	counts := srv.Counts()
	assert.Equal(t, 1, counts.Token, "the authorization code exchange only: no refresh of its token")
	assert.Zero(t, counts.TokenByGrant["refresh_token"])
}
