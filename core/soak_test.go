package core

// Soak test: many goroutines calling TokenManager.Token for a long time
// while access tokens expire every two seconds and refresh tokens rotate on
// every use (RFC 6749 §6, RFC 9700 §4.14.2). Run by `make soak` under -race
// with MCP_OAUTH_SOAK=60s; skipped otherwise so that `make test` stays fast.

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

const (
	soakCallers  = 64
	soakLifetime = 2 * time.Second
	soakMargin   = 500 * time.Millisecond // refresh_margin_seconds of the soak client
)

// soakDuration reads MCP_OAUTH_SOAK: "1" means 60 s, else a Go duration.
func soakDuration(t *testing.T) time.Duration {
	v := os.Getenv("MCP_OAUTH_SOAK")
	switch v {
	case "":
		t.Skip("soak test: set MCP_OAUTH_SOAK=1 (60 s) or a duration such as MCP_OAUTH_SOAK=10s")
	case "1":
		return 60 * time.Second
	}
	d, err := time.ParseDuration(v)
	require.NoError(t, err, "MCP_OAUTH_SOAK")
	require.Greater(t, d, 3*soakLifetime, "MCP_OAUTH_SOAK must span several token lifetimes")
	return d
}

// soakResult is what the soak callers saw.
type soakResult struct {
	calls    atomic.Int64
	failures atomic.Int64
	invalid  atomic.Int64
	mu       sync.Mutex
	problems []string // the first few failures, for the report
}

func (r *soakResult) problem(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.problems) < 10 {
		r.problems = append(r.problems, fmt.Sprintf(format, args...))
	}
}

func TestSoakTokenRotation(t *testing.T) {
	duration := soakDuration(t)
	srv := asServer(t, oauthtest.Options{TokenLifetime: soakLifetime})
	cfg := publicClient(srv)
	margin := soakMargin.Seconds()
	cfg.RefreshMarginSeconds = &margin
	m := newManager(t, cfg)

	// The schedule the expectation rests on: with a 2 s lifetime and a 0.5 s
	// margin, the refresh window is max(10% of 2 s, 0.5 s) = 0.5 s (at most
	// half the lifetime), so a token is refreshed 1.5 s after its request was
	// sent.
	refreshAt, _ := schedule(time.Time{}, soakLifetime, m.cfg.RefreshMargin())
	period := refreshAt.Sub(time.Time{})
	require.Equal(t, 1500*time.Millisecond, period)

	// Run for a whole number of refresh periods and a half, so that the
	// count does not hinge on whether the last refresh, due exactly at the
	// end, starts a few milliseconds before or after it.
	periods := time.Duration(duration/period) * period
	end := time.Now().Add(periods + period/2)
	authorize(t, srv, m) // the authorization_code grant; every later token is a refresh
	ctx, cancel := context.WithDeadline(context.Background(), end)
	defer cancel()
	var res soakResult
	var wg sync.WaitGroup
	for range soakCallers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				soakCall(m, srv, &res)
			}
		}()
	}
	wg.Wait()
	stop := time.Now()

	reqs := srv.TokenRequests()
	require.NotEmpty(t, reqs)
	require.Equal(t, "authorization_code", reqs[0].Grant)
	refreshes, longest := 0, time.Duration(0)
	for i, r := range reqs[1:] {
		assert.Equal(t, "refresh_token", r.Grant, "request %d", i+1)
		refreshes++
		longest = max(longest, r.Time.Sub(reqs[i].Time))
	}
	// Each refresh starts one period after the previous request was sent:
	// the number that fit between the first request and the end.
	expected := int(stop.Sub(reqs[0].Time) / period)
	mean := reqs[len(reqs)-1].Time.Sub(reqs[0].Time) / time.Duration(max(refreshes, 1))
	t.Logf("soak: %d goroutines, %v: %d Token calls, %d failures, %d invalid tokens; "+
		"%d token requests (1 authorization_code + %d refresh_token), %d refreshes expected, "+
		"interval between requests mean %v, longest %v",
		soakCallers, stop.Sub(reqs[0].Time).Round(time.Millisecond), res.calls.Load(), res.failures.Load(), res.invalid.Load(),
		len(reqs), refreshes, expected, mean.Round(time.Millisecond), longest.Round(time.Millisecond))
	for _, p := range res.problems {
		t.Log(p)
	}
	assert.Zero(t, res.failures.Load(), "failed Token calls")
	assert.Zero(t, res.invalid.Load(), "tokens served that the server did not consider valid")
	assert.InDelta(t, expected, refreshes, 1, "refresh requests")
	assert.Less(t, longest, soakLifetime, "a refresh came later than the token expired")
}

// soakCall makes one Token call and checks the token against the server:
// issued by it, not yet expired when the call began, and never held by the
// manager for longer than the server's expiry.
func soakCall(m *TokenManager, srv *oauthtest.Server, res *soakResult) {
	start := time.Now()
	snap, err := m.Token(context.Background())
	res.calls.Add(1)
	if err != nil {
		res.failures.Add(1)
		res.problem("Token: %v", err)
		return
	}
	info, _ := srv.Introspect(snap.AccessToken)
	switch {
	case info.ClientID == "":
		res.invalid.Add(1)
		res.problem("token unknown to the server (revoked or never issued)")
	case !start.Before(info.Expiry):
		res.invalid.Add(1)
		res.problem("token served %v after it expired", start.Sub(info.Expiry))
	case snap.ValidUntil.After(info.Expiry):
		res.invalid.Add(1)
		res.problem("token considered valid %v past its expiry", snap.ValidUntil.Sub(info.Expiry))
	}
}
