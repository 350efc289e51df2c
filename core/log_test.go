package core

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lockedBuffer is a buffer written from any goroutine.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// captureLog sends the process's events, at the most verbose level, to a
// buffer until the test ends.
func captureLog(t *testing.T) *lockedBuffer {
	buf := &lockedBuffer{}
	SetLogHandler(slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	t.Cleanup(func() { SetLogHandler(nil) })
	return buf
}

// assertNoSecret fails when log quotes one of secrets (each checked to be
// a real value first).
func assertNoSecret(t *testing.T, log string, secrets map[string]string) {
	t.Helper()
	for name, s := range secrets {
		require.NotEmpty(t, s, name)
		assert.NotContains(t, log, s, "the log quotes the %s", name)
	}
}

func TestLogTellsAFullFlowWithoutASecret(t *testing.T) {
	log := captureLog(t)
	srv := mcptest.StartT(t, mcptest.Options{AS: oauthtest.Options{RefreshTokensForClientCredentials: true}})
	ctx := context.Background()

	// Discovery, dynamic registration of a confidential client,
	// client_credentials, then the refresh_token grant.
	m := newManager(t, &Config{ServerURL: srv.StreamableURL(), GrantType: GrantClientCredentials})
	first, err := m.Token(ctx)
	require.NoError(t, err)
	secret := m.params.Load().endpoint.secret
	m.Invalidate(first.AccessToken)
	second, err := m.Token(ctx)
	require.NoError(t, err)
	reqs := srv.AS().TokenRequests()
	require.Len(t, reqs, 2)
	refreshToken := reqs[1].Form.Get("refresh_token")

	// The authorization code flow: code and PKCE verifier.
	ac := newManager(t, &Config{ServerURL: srv.StreamableURL()})
	req, err := ac.BeginAuthorization(ctx, redirect)
	require.NoError(t, err)
	third, err := ac.CompleteAuthorization(ctx, follow(t, req.URL))
	require.NoError(t, err)
	reqs = srv.AS().TokenRequests()
	code := reqs[len(reqs)-1].Form

	out := log.String()
	for _, event := range []string{EventDiscoveryStart, EventDiscoveryResource, EventDiscoveryAS, EventDiscoveryDone,
		EventRegistration, EventRegistered, EventTokenRequest, EventTokenResponse, EventRefresh,
		EventAuthorizeBegin, EventAuthorizeComplete, EventHTTPRequest} {
		assert.Contains(t, out, `"event":"`+event+`"`)
	}
	assert.Contains(t, out, `"grant_type":"refresh_token"`)
	assertNoSecret(t, out, map[string]string{
		"client secret": secret, "access token": first.AccessToken, "refreshed access token": second.AccessToken,
		"refresh token": refreshToken, "code's access token": third.AccessToken,
		"authorization code": code.Get("code"), "PKCE verifier": code.Get("code_verifier"),
		"state": req.State,
	})
}

func TestLogURLDropsWhatMayCarryACredential(t *testing.T) {
	assert.Equal(t, "https://mcp.example/mcp", logURL("https://user:pw@mcp.example/mcp?api_key=k#frag"))
	assert.Equal(t, "", logURL(""))
	assert.Equal(t, "(unparsable URL)", logURL("http://[::1"))
}

func TestLogOffCostsNothing(t *testing.T) {
	SetLogHandler(nil)
	assert.False(t, logEnabled(context.Background(), slog.LevelError))
	allocs := testing.AllocsPerRun(100, func() {
		logEvent(context.Background(), slog.LevelDebug, EventTokenRequest, "token request", "grant_type", "x")
	})
	assert.Zero(t, allocs)
}

func TestLogLevelFilters(t *testing.T) {
	var buf lockedBuffer
	SetLogHandler(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn}))
	t.Cleanup(func() { SetLogHandler(nil) })
	logEvent(context.Background(), slog.LevelInfo, EventRefresh, "quiet")
	logEvent(context.Background(), slog.LevelWarn, EventTokenError, "loud")
	assert.False(t, strings.Contains(buf.String(), "quiet"))
	assert.Contains(t, buf.String(), "event=token.error")
}
