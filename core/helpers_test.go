package core

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fakeEndpoint is an httptest token endpoint whose answers a test scripts.
type fakeEndpoint struct {
	*httptest.Server
	requests atomic.Int64
	mu       sync.Mutex
	forms    []url.Values
	headers  []http.Header
	answer   func(n int64, form url.Values) (status int, body any)
}

// newFakeEndpoint starts an endpoint; answer gets the 1-based request
// number and the posted form.
func newFakeEndpoint(t *testing.T, answer func(n int64, form url.Values) (int, any)) *fakeEndpoint {
	t.Helper()
	f := &fakeEndpoint{answer: answer}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := f.requests.Add(1)
		_ = r.ParseForm()
		f.mu.Lock()
		f.forms = append(f.forms, r.PostForm)
		f.headers = append(f.headers, r.Header.Clone())
		f.mu.Unlock()
		status, body := f.answer(n, r.PostForm)
		if s, ok := body.(string); ok {
			w.WriteHeader(status)
			_, _ = w.Write([]byte(s))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(body)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeEndpoint) form(i int) url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.forms[i]
}

// bearer returns a successful token response.
func bearer(access string, expiresIn int, extra ...string) map[string]any {
	m := map[string]any{"access_token": access, "token_type": "Bearer", "expires_in": expiresIn}
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i]] = extra[i+1]
	}
	return m
}

// clientCredentials returns a confidential client config for url.
func clientCredentials(tokenURL string) *Config {
	return &Config{ClientID: "client", ClientSecret: "s3cr3t-value", TokenURL: tokenURL, Scopes: []string{"mcp:read"}}
}

func newManager(t *testing.T, cfg *Config, opts ...Option) *TokenManager {
	t.Helper()
	m, err := NewTokenManager(cfg, opts...)
	require.NoError(t, err)
	t.Cleanup(m.Close)
	return m
}

// fakeClock is a settable clock for schedule-dependent tests.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// noRetryWait makes m's foreground retries (and device polls) follow each
// other at once: for tests about what fails, not about when.
func noRetryWait(m *TokenManager) {
	m.sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
}

func useClock(m *TokenManager) *fakeClock {
	c := &fakeClock{now: time.Now()}
	m.now = c.Now
	m.params.Load().endpoint.now = c.Now
	return c
}
