package core

import (
	"context"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"golang.org/x/sync/semaphore"
)

// Token requests in flight at once, process-wide. A gateway holding 10,000
// managers whose tokens fall due in the same minute must not send 10,000
// token requests at once: every manager of the process takes a slot of one
// limiter for each token request (discovery and registration included).
//
// A background refresh (the caller still holds a valid token) never waits
// for a slot: when none is free it is put off by a random delay (see
// refreshDeferral), the callers keep the valid token, and a later call
// tries again — the refreshes spread out over the refresh window with
// jitter and no goroutine or timer waits. A caller holding no valid token
// waits for a slot (bounded by its own context, like any token wait).
//
// The limit is DefaultMaxTokenRequests, or the environment variable
// MCP_OAUTH_MAX_TOKEN_REQUESTS read when the library loads (for the C, Python
// and Node front ends), or [SetMaxTokenRequests].
const DefaultMaxTokenRequests = 32

// maxRefreshDeferral bounds how long a background refresh that found no
// free slot is put off.
const maxRefreshDeferral = time.Second

// tokenRequests is the process-wide limiter.
var tokenRequests = newLimiter(limitFromEnv(os.Getenv("MCP_OAUTH_MAX_TOKEN_REQUESTS")))

// limitFromEnv parses the environment's limit: a positive integer, else
// the default.
func limitFromEnv(s string) int {
	if n, err := strconv.Atoi(s); err == nil && n > 0 {
		return n
	}
	return DefaultMaxTokenRequests
}

// SetMaxTokenRequests sets how many token requests the process's managers
// may have in flight at once (n < 1 means 1). It applies to requests
// started after the call.
func SetMaxTokenRequests(n int) { tokenRequests.setLimit(n) }

// limiter is a FIFO counting semaphore (x/sync/semaphore: a release hands
// its slot to the longest waiter, so 10,000 waiters are not all woken)
// whose limit can change: a new limit takes a new semaphore, and each slot
// goes back to the one it came from.
type limiter struct {
	sem atomic.Pointer[semaphore.Weighted]
}

func newLimiter(n int) *limiter {
	l := &limiter{}
	l.setLimit(n)
	return l
}

func (l *limiter) setLimit(n int) { l.sem.Store(semaphore.NewWeighted(int64(max(n, 1)))) }

// tryAcquire takes a slot if one is free; release gives it back.
func (l *limiter) tryAcquire() (release func(), ok bool) {
	sem := l.sem.Load()
	if !sem.TryAcquire(1) {
		return nil, false
	}
	return func() { sem.Release(1) }, true
}

// acquire waits for a slot until ctx ends; release gives it back.
func (l *limiter) acquire(ctx context.Context) (release func(), err error) {
	sem := l.sem.Load()
	if err := sem.Acquire(ctx, 1); err != nil {
		return nil, err
	}
	return func() { sem.Release(1) }, nil
}

// refreshDeferral is how long a background refresh that found no free slot
// is put off, for a token still handed out for remaining: a random delay in
// [d/2, d] with d an eighth of remaining, at most maxRefreshDeferral, so
// that the refreshes of many tokens falling due together spread out and
// each still finds its turn before its token expires.
func refreshDeferral(remaining time.Duration) time.Duration {
	return jitter(max(min(remaining/8, maxRefreshDeferral), time.Millisecond))
}
