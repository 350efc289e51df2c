package core

// Rule: tokens never put in URLs (RFC 6750 §2.3 is not used; MCP
// authorization "Token Requirements"). Every request the library makes — metadata,
// registration, token, MCP over both transports — and every authorization
// URL it builds is checked against every access token, refresh token, PKCE
// verifier and client secret of a whole session: discovery, dynamic
// registration, user authorization, MCP calls, a refresh, more MCP calls.

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// urlRecorder records the URL of every request sent through it.
type urlRecorder struct {
	base http.RoundTripper
	mu   sync.Mutex
	urls []string
}

func (r *urlRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.urls = append(r.urls, req.URL.String())
	r.mu.Unlock()
	return r.base.RoundTrip(req)
}

func (r *urlRecorder) all() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.urls...)
}

// recordingManager is a manager whose every request goes through rec.
func recordingManager(t *testing.T, cfg *Config, rec *urlRecorder) *TokenManager {
	t.Helper()
	m, err := NewTokenManager(cfg, WithHTTPClient(&http.Client{Transport: rec, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}))
	require.NoError(t, err)
	t.Cleanup(m.Close)
	return m
}

func TestSecurityTokensNeverInURLs(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	rec := &urlRecorder{base: http.DefaultTransport.(*http.Transport).Clone()}
	var secrets []string
	keep := func(m *TokenManager) {
		if s := m.cur.Load(); s != nil {
			secrets = append(secrets, s.AccessToken)
		}
		m.mu.Lock()
		secrets = append(secrets, m.refreshToken)
		m.mu.Unlock()
	}
	session := func(m *TokenManager, url string, sse bool, text string) {
		s, err := sdkConnect(context.Background(), t, m, url, sse)
		require.NoError(t, err)
		defer s.Close()
		_, err = s.ListTools(context.Background(), nil)
		require.NoError(t, err)
		assert.Equal(t, text, sdkEcho(t, s, text))
		keep(m)
	}

	// A user's session: discovery, registration, authorization, MCP calls.
	user := recordingManager(t, &Config{ServerURL: srv.StreamableURL()}, rec)
	_, err := sdkConnect(context.Background(), t, user, srv.StreamableURL(), false)
	require.ErrorIs(t, err, ErrAuthorizationRequired)
	var authURLs []string
	req, err := user.BeginAuthorization(context.Background(), "")
	require.NoError(t, err)
	authURLs = append(authURLs, req.URL)
	_, err = user.CompleteAuthorization(context.Background(), follow(t, req.URL))
	require.NoError(t, err)
	keep(user)
	session(user, srv.StreamableURL(), false, "one")

	// The token expires: a refresh (refresh token in the body), then MCP
	// calls with the new token.
	useClock(user).Advance(2 * time.Hour)
	_, err = user.Token(context.Background())
	require.NoError(t, err)
	keep(user)
	session(user, srv.StreamableURL(), false, "two")

	// A second authorization while tokens are held: its URL carries none.
	req, err = user.BeginAuthorization(context.Background(), "")
	require.NoError(t, err)
	authURLs = append(authURLs, req.URL)

	// A machine client over the SSE transport (its endpoint is another
	// resource, with tokens of its own).
	machine := recordingManager(t, &Config{ServerURL: srv.SSEURL(), ClientID: oauthtest.DefaultClientID,
		ClientSecret: oauthtest.DefaultClientSecret, Issuer: srv.AS().URL}, rec)
	session(machine, srv.SSEURL(), true, "four")

	for _, r := range srv.AS().TokenRequests() {
		secrets = append(secrets, r.Form.Get("refresh_token"), r.Form.Get("code_verifier"))
	}
	secrets = append(secrets, oauthtest.DefaultClientSecret)

	urls := append(rec.all(), authURLs...)
	var kinds []string
	for _, u := range urls {
		for _, k := range []string{"/.well-known/", "/register", "/token", "/mcp", "/sse", "/authorize"} {
			if strings.Contains(u, k) {
				kinds = append(kinds, k)
			}
		}
	}
	for _, k := range []string{"/.well-known/", "/register", "/token", "/mcp", "/sse", "/authorize"} {
		assert.Contains(t, kinds, k, "a %s request was made and checked", k)
	}
	checked := 0
	for _, s := range secrets {
		if len(s) < 8 {
			continue
		}
		checked++
		for _, u := range urls {
			assert.NotContains(t, u, s, "a credential in a URL")
		}
	}
	assert.GreaterOrEqual(t, checked, 8, "access and refresh tokens of several generations, verifiers, the secret")
	t.Logf("%d URLs checked against %d credentials", len(urls), checked)
}
