package core

import (
	"context"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(lockHolderEnv); dir != "" {
		holdStoreLock(dir) // a child process of TestStoreLockHolderKilled
		return
	}
	if dir := os.Getenv(storeWriterEnv); dir != "" {
		writeStoreForever(dir) // a child process of TestSecurityTokenStoreLeavesNoTokenBehind
		return
	}
	goleak.VerifyTestMain(m)
}

// asServer starts the project's test authorization server.
func asServer(t *testing.T, opts oauthtest.Options) *oauthtest.Server {
	return oauthtest.StartT(t, opts)
}

func testClient(srv *oauthtest.Server) *Config {
	return &Config{ClientID: oauthtest.DefaultClientID, ClientSecret: oauthtest.DefaultClientSecret,
		TokenURL: srv.TokenURL(), Scopes: []string{"mcp:read"}, Resource: "https://mcp.example/mcp"}
}

func TestTokenIsCached(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	m := newManager(t, testClient(srv))
	first, err := m.Token(context.Background())
	require.NoError(t, err)
	for range 100 {
		s, err := m.Token(context.Background())
		require.NoError(t, err)
		assert.Equal(t, first.AccessToken, s.AccessToken)
	}
	assert.Equal(t, 1, srv.Counts().Token, "cached calls make no token request")
	assert.Equal(t, "mcp:read", first.Scope)
	req := srv.TokenRequests()[0]
	assert.Equal(t, "client_credentials", req.Grant)
	assert.Equal(t, "client_secret_basic", req.AuthMethod)
	assert.Equal(t, "https://mcp.example/mcp", req.Form.Get("resource"))
}

func TestExpiredTokenIsReplaced(t *testing.T) {
	srv := asServer(t, oauthtest.Options{TokenLifetime: time.Hour})
	m := newManager(t, testClient(srv))
	clock := useClock(m)
	first, err := m.Token(context.Background())
	require.NoError(t, err)
	clock.Advance(time.Hour)
	second, err := m.Token(context.Background())
	require.NoError(t, err)
	assert.NotEqual(t, first.AccessToken, second.AccessToken)
	assert.Equal(t, 2, srv.Counts().Token)
	assert.Greater(t, second.Generation, first.Generation)
}

func TestSchedule(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	for _, tc := range []struct {
		name                      string
		lifetime, margin          time.Duration
		wantRefresh, wantValidFor time.Duration
	}{
		{"one hour: last 10%", time.Hour, 30 * time.Second, 54 * time.Minute, time.Hour - 5*time.Second},
		{"five minutes: margin wins", 5 * time.Minute, 60 * time.Second, 4 * time.Minute, 5*time.Minute - 5*time.Second},
		{"three seconds: clamped to half", 3 * time.Second, 30 * time.Second, 1500 * time.Millisecond, 2850 * time.Millisecond},
		{"unknown lifetime: assumed one hour", 0, 30 * time.Second, 54 * time.Minute, time.Hour - 5*time.Second},
		{"zero margin", 100 * time.Second, 0, 90 * time.Second, 95 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			refreshAt, validUntil := schedule(now, tc.lifetime, tc.margin)
			assert.Equal(t, tc.wantRefresh, refreshAt.Sub(now), "refresh at")
			assert.Equal(t, tc.wantValidFor, validUntil.Sub(now), "valid until")
			assert.True(t, refreshAt.Before(validUntil))
		})
	}
}

// TestProactiveRefreshDoesNotBlockCallers holds the refresh request at the
// server and checks that callers in the refresh window get the still-valid
// token while it is held, then the new token once it lands.
func TestProactiveRefreshDoesNotBlockCallers(t *testing.T) {
	release := make(chan struct{})
	ep := newFakeEndpoint(t, func(n int64, _ url.Values) (int, any) {
		if n == 2 {
			<-release
		}
		return 200, bearer("at"+string(rune('0'+n)), 3600)
	})
	m := newManager(t, clientCredentials(ep.URL))
	clock := useClock(m)
	first, err := m.Token(context.Background())
	require.NoError(t, err)
	clock.Advance(55 * time.Minute) // inside the last 10%

	for range 50 {
		done := make(chan Snapshot, 1)
		go func() { s, _ := m.Token(context.Background()); done <- s }()
		select {
		case s := <-done:
			assert.Equal(t, first.AccessToken, s.AccessToken, "old token served during refresh")
		case <-time.After(5 * time.Second):
			t.Fatal("a caller holding a valid token waited for the refresh")
		}
	}
	require.Eventually(t, func() bool { return ep.requests.Load() == 2 }, 5*time.Second, time.Millisecond)
	close(release)
	require.Eventually(t, func() bool {
		s, err := m.Token(context.Background())
		return err == nil && s.AccessToken == "at2"
	}, 5*time.Second, time.Millisecond)
	assert.EqualValues(t, 2, ep.requests.Load(), "exactly one background refresh")
	assert.Equal(t, first.Generation+1, m.Generation())
}

// A caller that read the token before a background refresh replaced it, and
// asks for a refresh only after that one finished, must not start another
// (found by the soak test: two refresh requests 90 ms apart).
func TestStaleCallerStartsNoSecondRefresh(t *testing.T) {
	ep := newFakeEndpoint(t, func(n int64, _ url.Values) (int, any) {
		return 200, bearer("at"+string(rune('0'+n)), 3600)
	})
	m := newManager(t, clientCredentials(ep.URL))
	clock := useClock(m)
	_, err := m.Token(context.Background())
	require.NoError(t, err)
	clock.Advance(55 * time.Minute) // inside the last 10%
	_, err = m.Token(context.Background())
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		s := m.cur.Load()
		return s != nil && s.AccessToken == "at2" && m.quietUntil.Load() == 0
	}, 5*time.Second, time.Millisecond)

	m.refreshInBackground() // what Token does for a caller holding at1
	m.mu.Lock()
	inFlight := m.flight != nil
	m.mu.Unlock()
	assert.False(t, inFlight, "a refresh started for a token already replaced")
	assert.EqualValues(t, 2, ep.requests.Load())
}

func TestSingleFlightColdCache(t *testing.T) {
	srv := asServer(t, oauthtest.Options{Latency: 50 * time.Millisecond})
	m := newManager(t, testClient(srv))
	const callers = 200
	var wg sync.WaitGroup
	tokens := make([]string, callers)
	errs := make([]error, callers)
	start := make(chan struct{})
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			s, err := m.Token(context.Background())
			tokens[i], errs[i] = s.AccessToken, err
		}()
	}
	close(start)
	wg.Wait()
	for i := range callers {
		require.NoError(t, errs[i])
		assert.Equal(t, tokens[0], tokens[i])
	}
	assert.Equal(t, 1, srv.Counts().Token)
}

func TestSingleFlightSharesTheError(t *testing.T) {
	srv := asServer(t, oauthtest.Options{Latency: 50 * time.Millisecond})
	srv.FailNext(1, oauthtest.Failure{Status: 400, Body: `{"error":"invalid_scope"}`})
	m := newManager(t, testClient(srv))
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := m.Token(context.Background())
			var oe *OAuthError
			assert.ErrorAs(t, err, &oe)
		}()
	}
	wg.Wait()
	assert.Equal(t, 1, srv.Counts().Token)
}

func TestRefreshTokenRotation(t *testing.T) {
	srv := asServer(t, oauthtest.Options{RefreshTokensForClientCredentials: true})
	m := newManager(t, testClient(srv))
	clock := useClock(m)
	for i := range 4 {
		_, err := m.Token(context.Background())
		require.NoError(t, err, "round %d", i)
		clock.Advance(time.Hour)
	}
	var grants []string
	for _, r := range srv.TokenRequests() {
		grants = append(grants, r.Grant)
		if r.Grant == "refresh_token" {
			assert.Equal(t, "https://mcp.example/mcp", r.Form.Get("resource"), "resource sent on refresh")
		}
	}
	assert.Equal(t, []string{"client_credentials", "refresh_token", "refresh_token", "refresh_token"}, grants,
		"each rotated refresh token is used once (a reused one would fail with invalid_grant)")
}

func TestRefreshKeepsOldRefreshTokenWhenNoneReturned(t *testing.T) {
	ep := newFakeEndpoint(t, func(n int64, form url.Values) (int, any) {
		if n == 1 {
			return 200, bearer("at1", 3600, "refresh_token", "rt1")
		}
		return 200, bearer("at"+string(rune('0'+n)), 3600)
	})
	m := newManager(t, clientCredentials(ep.URL))
	clock := useClock(m)
	for range 3 {
		_, err := m.Token(context.Background())
		require.NoError(t, err)
		clock.Advance(time.Hour)
	}
	assert.Equal(t, "rt1", ep.form(1).Get("refresh_token"))
	assert.Equal(t, "rt1", ep.form(2).Get("refresh_token"), "kept when the response had none")
}

func TestInvalidGrantFallsBackToPrimaryGrant(t *testing.T) {
	srv := asServer(t, oauthtest.Options{RefreshTokensForClientCredentials: true})
	m := newManager(t, testClient(srv))
	clock := useClock(m)
	_, err := m.Token(context.Background())
	require.NoError(t, err)
	srv.RevokeRefreshTokens()
	clock.Advance(time.Hour)
	_, err = m.Token(context.Background())
	require.NoError(t, err)
	var grants []string
	for _, r := range srv.TokenRequests() {
		grants = append(grants, r.Grant)
	}
	assert.Equal(t, []string{"client_credentials", "refresh_token", "client_credentials"}, grants)
}

func TestInvalidGrantWithoutPrimaryGrantNeedsAuthorization(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	m := newManager(t, publicClient(srv))
	_, err := m.Token(context.Background())
	assert.ErrorIs(t, err, ErrAuthorizationRequired)
	authorize(t, srv, m)
	srv.RevokeRefreshTokens()
	useClock(m).Advance(2 * time.Hour)
	_, err = m.Token(context.Background())
	assert.ErrorIs(t, err, ErrAuthorizationRequired)
}

func TestInvalidate(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	m := newManager(t, testClient(srv))
	first, err := m.Token(context.Background())
	require.NoError(t, err)

	m.Invalidate("some-other-token")
	s, err := m.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, first.AccessToken, s.AccessToken, "a stale rejection does not drop the current token")

	gen := m.Generation()
	m.Invalidate(first.AccessToken)
	assert.Equal(t, gen+1, m.Generation(), "invalidation is visible in the generation counter")
	s, err = m.Token(context.Background())
	require.NoError(t, err)
	assert.NotEqual(t, first.AccessToken, s.AccessToken)
	assert.Equal(t, 2, srv.Counts().Token)
}

func TestBackgroundRefreshFailureKeepsServingAndBacksOff(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	m := newManager(t, testClient(srv))
	clock := useClock(m)
	first, err := m.Token(context.Background())
	require.NoError(t, err)
	srv.FailNext(100, oauthtest.Failure{Status: 503})
	clock.Advance(55 * time.Minute)
	for range 200 {
		s, err := m.Token(context.Background())
		require.NoError(t, err)
		assert.Equal(t, first.AccessToken, s.AccessToken)
	}
	require.Eventually(t, func() bool { return m.quietUntil.Load() != 0 && srv.Counts().Token == 2 }, 5*time.Second, time.Millisecond)
	for range 200 {
		_, _ = m.Token(context.Background())
	}
	assert.Equal(t, 2, srv.Counts().Token, "a failed refresh is not retried on every call")
}

func TestClose(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	m, err := NewTokenManager(testClient(srv))
	require.NoError(t, err)
	_, err = m.Token(context.Background())
	require.NoError(t, err)
	gen := m.Generation()
	m.Close()
	m.Close()
	_, err = m.Token(context.Background())
	assert.ErrorIs(t, err, ErrClosed)
	assert.Greater(t, m.Generation(), gen)
	_, err = m.BeginAuthorization(context.Background(), "http://127.0.0.1/cb")
	assert.ErrorIs(t, err, ErrClosed)
}

func TestCloseWhileRequestHangs(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	srv.FailNext(1, oauthtest.Failure{Mode: oauthtest.ModeHang})
	m, err := NewTokenManager(testClient(srv))
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() { _, err := m.Token(context.Background()); done <- err }()
	require.Eventually(t, func() bool { return srv.Counts().Token == 1 }, 5*time.Second, time.Millisecond)
	m.Close()
	select {
	case err := <-done:
		assert.ErrorIs(t, err, ErrClosed)
	case <-time.After(5 * time.Second):
		t.Fatal("waiter not released by Close")
	}
}

func TestOAuth2TokenSource(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	m := newManager(t, testClient(srv))
	tok, err := m.OAuth2TokenSource(context.Background()).Token()
	require.NoError(t, err)
	assert.True(t, tok.Valid())
	assert.Equal(t, "Bearer", tok.Type())
}
