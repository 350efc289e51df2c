package core

// The numbers the documentation promises, each stated literally here and
// exercised through behaviour, so that changing a constant fails a test
// instead of silently changing what the docs say.

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// TestBodyCapIsOneMiB: a token response of exactly 1 MiB (1,048,576 bytes)
// is read; one byte more is refused (docs: "capped at 1 MiB").
func TestBodyCapIsOneMiB(t *testing.T) {
	const mib = 1048576
	token := `{"access_token":"a","token_type":"Bearer","expires_in":3600}`
	for _, tc := range []struct {
		size int
		ok   bool
	}{{mib, true}, {mib + 1, false}} {
		t.Run(fmt.Sprint(tc.size), func(t *testing.T) {
			body := token + strings.Repeat(" ", tc.size-len(token)) // JSON allows trailing space
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(body))
			}))
			defer srv.Close()
			m := newManager(t, clientCredentials(srv.URL))
			_, err := m.params.Load().endpoint.request(context.Background(), url.Values{"grant_type": {"client_credentials"}})
			if tc.ok {
				assert.NoError(t, err)
			} else {
				protocolErr("exceeds 1 MiB")(t, err)
			}
		})
	}
}

// TestPendingLoginLifetimeIsTenMinutes: an authorization response is
// accepted exactly 10 minutes after the login began, and refused a
// nanosecond later (docs: a started login is kept for 10 minutes).
func TestPendingLoginLifetimeIsTenMinutes(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	for _, tc := range []struct {
		after time.Duration
		ok    bool
	}{{10 * time.Minute, true}, {10*time.Minute + time.Nanosecond, false}} {
		t.Run(tc.after.String(), func(t *testing.T) {
			m := newManager(t, &Config{ServerURL: srv.StreamableURL()})
			clock := &fakeClock{now: time.Now()}
			m.now = clock.Now
			req, err := m.BeginAuthorization(context.Background(), "")
			require.NoError(t, err)
			loc := follow(t, req.URL)
			clock.Advance(tc.after)
			_, err = m.CompleteAuthorization(context.Background(), loc)
			if tc.ok {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, ErrStateMismatch)
			}
		})
	}
}

// TestRefreshBackoffCeilingIsThirtySeconds: failed background refreshes are
// spaced 1 s, 2 s, 4 s, … apart (less up to a quarter of jitter), never more
// than 30 s (docs: "backing off up to 30 s").
func TestRefreshBackoffCeilingIsThirtySeconds(t *testing.T) {
	srv := asServer(t, oauthtest.Options{TokenLifetime: time.Hour})
	m := newManager(t, testClient(srv))
	clock := useClock(m)
	_, err := m.Token(context.Background())
	require.NoError(t, err)
	clock.Advance(55 * time.Minute) // in the refresh window, still valid
	srv.FailNext(100, oauthtest.Failure{Status: 500})
	for i, ceiling := range []time.Duration{1, 2, 4, 8, 16, 30, 30, 30} {
		ceiling *= time.Second
		_, err := m.Token(context.Background()) // answers from the cache, starts a refresh
		require.NoError(t, err)
		require.Eventually(t, func() bool { return m.quietUntil.Load() != math.MaxInt64 }, 10*time.Second, time.Millisecond)
		wait := time.Duration(m.quietUntil.Load() - clock.Now().UnixNano())
		assert.LessOrEqual(t, wait, ceiling, "failure %d", i+1)
		assert.Greater(t, wait, ceiling*3/4, "failure %d", i+1)
		clock.Advance(wait)
	}
	assert.Equal(t, 1+8, srv.Counts().Token, "one refresh per backoff")
}

// TestRefreshMarginDefaultIsThirtySeconds: without refresh_margin_seconds a
// token is refreshed in the last 10 % of its life or its last 30 s,
// whichever is longer, but at most in its second half.
func TestRefreshMarginDefaultIsThirtySeconds(t *testing.T) {
	for _, tc := range []struct {
		lifetime, refreshAfter time.Duration
	}{
		{1000 * time.Second, 900 * time.Second}, // 10 % (100 s) > 30 s
		{200 * time.Second, 170 * time.Second},  // 30 s > 10 % (20 s)
		{40 * time.Second, 20 * time.Second},    // 30 s capped at half the life
	} {
		t.Run(tc.lifetime.String(), func(t *testing.T) {
			srv := asServer(t, oauthtest.Options{TokenLifetime: tc.lifetime})
			m := newManager(t, testClient(srv))
			clock := useClock(m)
			snap, err := m.Token(context.Background())
			require.NoError(t, err)
			assert.Equal(t, tc.refreshAfter, snap.RefreshAt.Sub(clock.Now()))
		})
	}
}

// TestHTTPTimeoutDefaultIsThirtySeconds: without http_timeout_seconds each
// request is bounded by 30 s, and the foreground retries fit in 30 s: a
// Retry-After of 30 s is waited for, one of 31 s is not.
func TestHTTPTimeoutDefaultIsThirtySeconds(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	for _, tc := range []struct {
		retryAfter string
		requests   int
	}{{"30", 2}, {"31", 1}} {
		t.Run(tc.retryAfter, func(t *testing.T) {
			srv.Reset()
			m := newManager(t, testClient(srv))
			assert.Equal(t, 30*time.Second, m.client.Timeout)
			clock := usePollClock(m)
			srv.FailNext(1, oauthtest.Failure{Status: 503, Header: map[string]string{"Retry-After": tc.retryAfter}})
			_, _ = m.Token(context.Background())
			assert.Equal(t, tc.requests, srv.Counts().Token)
			if tc.requests == 2 {
				assert.Equal(t, []time.Duration{30 * time.Second}, clock.waits())
			}
		})
	}
}
