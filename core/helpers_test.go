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

	"github.com/modelcontextprotocol/go-sdk/mcp"
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
	if p := m.params.Load(); p != nil { // discovery mode: set when discovered
		p.endpoint.now = c.Now
	}
	return c
}

// sdkConnect connects (within ctx) the MCP Go SDK to url (over HTTP+SSE when sse) through
// m's [Transport], the route docs/go.md documents: core's tests that need an
// MCP session use it, as the library's own client (core/mcpclient) sits
// above core.
func sdkConnect(ctx context.Context, t *testing.T, m *TokenManager, url string, sse bool) (*mcp.ClientSession, error) {
	t.Helper()
	rt, err := NewTransport(m, url, m.SessionTransport()) // the manager's pool: its CAs, proxy and dial guard
	require.NoError(t, err)
	hc := &http.Client{Transport: rt}
	var tr mcp.Transport = &mcp.StreamableClientTransport{Endpoint: url, HTTPClient: hc, DisableStandaloneSSE: true}
	if sse {
		tr = &mcp.SSEClientTransport{Endpoint: url, HTTPClient: hc}
	}
	s, err := mcp.NewClient(&mcp.Implementation{Name: "core-test", Version: "0"}, nil).Connect(ctx, tr, nil)
	if err == nil {
		t.Cleanup(func() { _ = s.Close() })
	}
	return s, err
}

// sdkEcho calls the test server's echo tool on s and returns its text.
func sdkEcho(t *testing.T, s *mcp.ClientSession, text string) string {
	t.Helper()
	res, err := s.CallTool(context.Background(), &mcp.CallToolParams{Name: "echo", Arguments: map[string]any{"text": text}})
	require.NoError(t, err)
	require.False(t, res.IsError)
	require.NotEmpty(t, res.Content)
	return res.Content[0].(*mcp.TextContent).Text
}
