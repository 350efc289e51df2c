package core

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"
)

// Foreground retries. A caller holding no valid token waits for the token
// request; when it fails transiently — the server could not be reached or
// the connection broke (not a timeout), or it answered 429 or 5xx without
// an OAuth error — the request is tried again, at most maxAttempts times in
// all, after an exponential backoff with jitter, or after the server's
// Retry-After (RFC 9110 §10.2.3, RFC 6585 §4) when it gave one. Every retry
// must fit in the configured timeout (http_timeout_seconds) counted from the
// first attempt, so a caller gets its answer within that timeout whatever
// the server does; a Retry-After longer than what is left ends the retries
// at once, and the error carries it. Errors the server meant (OAuth errors,
// malformed responses) and timeouts are not retried.
//
// Background refreshes (a valid token is still cached) are not retried
// here: their failures are spaced out by the refresh backoff instead.
//
// The waits and the deadline use the manager's clock (m.now, m.sleep), so
// tests observe the backoff without waiting it out.
const (
	maxAttempts      = 3
	firstRetryDelay  = 100 * time.Millisecond
	retryDelayFactor = 3
)

// obtainRetrying is obtainRegistered with the foreground retries
// described above.
func (m *TokenManager) obtainRetrying(ctx context.Context) (Snapshot, error) {
	deadline := m.now().Add(m.cfg.HTTPTimeout())
	delay := firstRetryDelay
	for attempt := 1; ; attempt++ {
		snap, err := m.obtainRegistered(ctx)
		if err == nil || attempt == maxAttempts {
			return snap, err
		}
		wait, ok := retryDelay(err, delay)
		if !ok || deadline.Sub(m.now()) < wait {
			return snap, err
		}
		logEvent(ctx, slog.LevelInfo, EventRetry, "transient failure: retrying", "attempt", attempt,
			"delay", wait, "error", logErr(err))
		if m.sleep(ctx, wait) != nil {
			return snap, err
		}
		delay *= retryDelayFactor
	}
}

// retryDelay says whether err is transient and how long to wait before the
// next attempt: the server's Retry-After when it sent one, else a delay
// drawn uniformly from [backoff/2, backoff] ("equal jitter"), so that many
// clients failing together do not retry together.
func retryDelay(err error, backoff time.Duration) (time.Duration, bool) {
	var ne *NetworkError
	if errors.As(err, &ne) {
		return jitter(backoff), !ne.Timeout
	}
	var se *ServerError
	if !errors.As(err, &se) {
		return 0, false
	}
	switch se.StatusCode {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		if se.RetryAfter > 0 {
			return se.RetryAfter, true
		}
		return jitter(backoff), true
	}
	return 0, false
}

func jitter(d time.Duration) time.Duration {
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}
