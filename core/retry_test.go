package core

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// retryClient is faultClient with a timeout roomy enough for every retry.
func retryClient(srv *oauthtest.Server, timeout time.Duration) *Config {
	c := faultClient(srv)
	c.HTTPTimeoutSeconds = timeout.Seconds()
	return c
}

// TestForegroundRetry: a caller without a token whose token request fails
// transiently gets a token from a later attempt; the attempts are bounded,
// spaced by a growing jittered backoff or the server's Retry-After, and fit
// in the configured timeout; failures the server meant are not retried. The
// manager runs on a pollClock, so each wait is recorded, not waited out.
func TestForegroundRetry(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	ms := time.Millisecond
	type span struct{ min, max time.Duration } // one wait's bounds
	retryAfter := func(status int, secs string) oauthtest.Failure {
		return oauthtest.Failure{Status: status, Header: map[string]string{"Retry-After": secs}}
	}
	for _, tc := range []struct {
		name     string
		failure  oauthtest.Failure
		failures int
		timeout  time.Duration
		requests int
		waits    []span                  // the waits before each retry
		check    func(*testing.T, error) // nil: the caller gets a token
	}{
		{"500 once", oauthtest.Failure{Status: 500}, 1, 5 * time.Second, 2, []span{{50 * ms, 100 * ms}}, nil},
		{"reset once", oauthtest.Failure{Mode: oauthtest.ModeReset}, 1, 5 * time.Second, 2, []span{{50 * ms, 100 * ms}}, nil},
		{"502 twice", oauthtest.Failure{Status: 502}, 2, 5 * time.Second, 3, []span{{50 * ms, 100 * ms}, {150 * ms, 300 * ms}}, nil},
		{"503 Retry-After 1", retryAfter(503, "1"), 1, 5 * time.Second, 2, []span{{time.Second, time.Second}}, nil},
		{"429 Retry-After 1", retryAfter(429, "1"), 1, 5 * time.Second, 2, []span{{time.Second, time.Second}}, nil},
		{"500 always: 3 attempts", oauthtest.Failure{Status: 500}, 10, 5 * time.Second, 3, []span{{50 * ms, 100 * ms}, {150 * ms, 300 * ms}}, isServerError(500)},
		{"Retry-After beyond the timeout", retryAfter(503, "30"), 1, 2 * time.Second, 1, nil,
			func(t *testing.T, err error) {
				var se *ServerError
				require.ErrorAs(t, err, &se)
				assert.Equal(t, 30*time.Second, se.RetryAfter, "the caller learns when to come back")
			}},
		{"the second Retry-After does not fit in what is left", retryAfter(503, "3"), 2, 5 * time.Second, 2, []span{{3 * time.Second, 3 * time.Second}}, isServerError(503)},
		{"hang: the timeout is spent", oauthtest.Failure{Mode: oauthtest.ModeHang}, 1, 500 * ms, 1, nil, isNetworkError(true)},
		{"400 invalid_client", oauthtest.Failure{Status: 400, Body: `{"error":"invalid_client"}`}, 1, 5 * time.Second, 1, nil, isOAuthError("invalid_client", 400)},
		{"429 OAuth error", oauthtest.Failure{Status: 429, Body: `{"error":"slow_down"}`}, 1, 5 * time.Second, 1, nil, isOAuthError("slow_down", 429)},
		{"malformed JSON", oauthtest.Failure{Status: 200, Body: `{"access_token":`}, 1, 5 * time.Second, 1, nil, isProtocolError("not a JSON object")},
		{"404", oauthtest.Failure{Status: 404}, 1, 5 * time.Second, 1, nil, isServerError(404)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv.Reset()
			m := newManager(t, retryClient(srv, tc.timeout))
			clock := usePollClock(m)
			srv.FailNext(tc.failures, tc.failure)
			snap, err := m.Token(context.Background())
			faultLog.err(err)
			if tc.check == nil {
				require.NoError(t, err)
				assert.NotEmpty(t, snap.AccessToken)
			} else {
				require.Error(t, err)
				tc.check(t, err)
			}
			assert.Equal(t, tc.requests, srv.Counts().Token)
			waits := clock.waits()
			require.Len(t, waits, len(tc.waits), "waits %v", waits)
			for i, w := range tc.waits {
				assert.GreaterOrEqual(t, waits[i], w.min, "wait %d", i)
				assert.LessOrEqual(t, waits[i], w.max, "wait %d", i)
			}
		})
	}
}

// TestForegroundRetrySharedByWaiters: 50 callers on a cold cache share the
// one request and its retries.
func TestForegroundRetrySharedByWaiters(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	m := newManager(t, retryClient(srv, 5*time.Second))
	srv.FailNext(2, oauthtest.Failure{Status: 503})
	errs := make(chan error, 50)
	for range 50 {
		go func() { _, err := m.Token(context.Background()); errs <- err }()
	}
	for range 50 {
		require.NoError(t, <-errs)
	}
	assert.Equal(t, 3, srv.Counts().Token)
}

// TestForegroundRetryStopsOnClose: closing the manager while a retry is
// waiting ends the wait at once (TestMain's goleak check sees no leftover).
func TestForegroundRetryStopsOnClose(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	m := newManager(t, retryClient(srv, 30*time.Second))
	srv.FailNext(1, oauthtest.Failure{Status: 503, Header: map[string]string{"Retry-After": "20"}})
	done := make(chan error, 1)
	go func() { _, err := m.Token(context.Background()); done <- err }()
	require.Eventually(t, func() bool { return srv.Counts().Token == 1 }, 5*time.Second, 5*time.Millisecond)
	m.Close()
	select {
	case err := <-done:
		assert.Error(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("the caller still waits after Close")
	}
	assert.Equal(t, 1, srv.Counts().Token)
}

// TestRetryDelay: which errors are transient, and the jittered delays.
func TestRetryDelay(t *testing.T) {
	for _, tc := range []struct {
		name  string
		err   error
		retry bool
	}{
		{"connection refused", &NetworkError{Endpoint: "token endpoint", Err: errors.New("refused")}, true},
		{"timeout", &NetworkError{Endpoint: "token endpoint", Timeout: true}, false},
		{"500", &ServerError{StatusCode: 500}, true},
		{"502", &ServerError{StatusCode: 502}, true},
		{"503", &ServerError{StatusCode: 503}, true},
		{"504", &ServerError{StatusCode: 504}, true},
		{"429", &ServerError{StatusCode: 429}, true},
		{"501", &ServerError{StatusCode: 501}, false},
		{"404", &ServerError{StatusCode: 404}, false},
		{"oauth error", &OAuthError{ErrorCode: "invalid_grant", StatusCode: 400}, false},
		{"protocol", &ProtocolError{Reason: "x"}, false},
		{"authorization required", ErrAuthorizationRequired, false},
	} {
		_, ok := retryDelay(tc.err, time.Second)
		assert.Equal(t, tc.retry, ok, tc.name)
	}

	d, ok := retryDelay(&ServerError{StatusCode: 429, RetryAfter: 7 * time.Second}, time.Second)
	assert.True(t, ok)
	assert.Equal(t, 7*time.Second, d, "Retry-After wins over the backoff")

	seen := map[time.Duration]bool{}
	for range 200 {
		d, _ := retryDelay(&ServerError{StatusCode: 503}, time.Second)
		require.GreaterOrEqual(t, d, 500*time.Millisecond)
		require.LessOrEqual(t, d, time.Second)
		seen[d] = true
	}
	assert.Greater(t, len(seen), 100, "delays are jittered")
}
