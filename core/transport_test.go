package core

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// resourceServer is a protected resource that checks bearer tokens against
// the test authorization server and records what it saw.
type resourceServer struct {
	*httptest.Server
	auth   atomic.Value // last Authorization header
	bodies atomic.Value // last body
	calls  atomic.Int64
}

func newResourceServer(t *testing.T, as *oauthtest.Server, redirectTo string) *resourceServer {
	rs := &resourceServer{}
	rs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rs.calls.Add(1)
		rs.auth.Store(r.Header.Get("Authorization"))
		body, _ := io.ReadAll(r.Body)
		rs.bodies.Store(string(body))
		if redirectTo != "" && r.URL.Path == "/redirect" {
			http.Redirect(w, r, redirectTo, http.StatusFound)
			return
		}
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if info, ok := as.Introspect(tok); !ok || !info.Active {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_, _ = io.WriteString(w, "ok")
	}))
	t.Cleanup(rs.Close)
	return rs
}

func TestTransportInjectsBearerAndRetriesOnceAfter401(t *testing.T) {
	as := asServer(t, oauthtest.Options{})
	rs := newResourceServer(t, as, "")
	m := newManager(t, testClient(as))
	tr, err := NewTransport(m, rs.URL+"/mcp", nil)
	require.NoError(t, err)
	client := &http.Client{Transport: tr}

	resp, err := client.Post(rs.URL+"/mcp", "application/json", strings.NewReader(`{"a":1}`))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	first := rs.auth.Load().(string)
	assert.True(t, strings.HasPrefix(first, "Bearer at_"))

	as.RevokeAccessTokens() // the resource server now rejects the cached token
	resp, err = client.Post(rs.URL+"/mcp", "application/json", io.MultiReader(strings.NewReader(`{"b":2}`)))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode, "retried with a new token")
	assert.NotEqual(t, first, rs.auth.Load())
	assert.Equal(t, `{"b":2}`, rs.bodies.Load(), "the body is replayed")
	assert.EqualValues(t, 3, rs.calls.Load())
	assert.Equal(t, 2, as.Counts().Token)
}

func TestTransportDoesNotRetryWithTheSameToken(t *testing.T) {
	always401 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
	}))
	defer always401.Close()
	ep := newFakeEndpoint(t, func(int64, url.Values) (int, any) { return 200, bearer("same-token", 3600) })
	m := newManager(t, clientCredentials(ep.URL))
	tr, err := NewTransport(m, always401.URL, nil)
	require.NoError(t, err)
	resp, err := (&http.Client{Transport: tr}).Get(always401.URL)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.EqualValues(t, 2, ep.requests.Load(), "a new token was asked for once, and was the same: no retry")
}

func TestTransportNeverSendsTheTokenToAnotherOrigin(t *testing.T) {
	as := asServer(t, oauthtest.Options{})
	var leaked atomic.Value
	leaked.Store("")
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked.Store(r.Header.Get("Authorization"))
	}))
	defer other.Close()
	rs := newResourceServer(t, as, other.URL+"/landing")
	m := newManager(t, testClient(as))
	tr, err := NewTransport(m, rs.URL, nil)
	require.NoError(t, err)
	client := &http.Client{Transport: tr}

	resp, err := client.Get(rs.URL + "/redirect")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.NotEmpty(t, rs.auth.Load(), "the resource server got the token")
	assert.Empty(t, leaked.Load(), "the redirect target did not")

	resp, err = client.Get(other.URL)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Empty(t, leaked.Load(), "a direct request to another origin has no token")
}

func TestOrigin(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"https://mcp.example/mcp", "https://MCP.example:443/other", true},
		{"http://127.0.0.1:80/x", "http://127.0.0.1/y", true},
		{"https://mcp.example", "http://mcp.example", false},
		{"https://mcp.example", "https://mcp.example:8443", false},
		{"https://mcp.example", "https://evil.mcp.example", false},
	} {
		ua, _ := url.Parse(tc.a)
		ub, _ := url.Parse(tc.b)
		assert.Equal(t, tc.same, origin(ua) == origin(ub), "%s vs %s", tc.a, tc.b)
	}
}

// TestTransportTokenRejected: a server that refuses a newly obtained token
// too (here: issued for another resource, RFC 8707) is reported as
// TokenRejectedError with its challenge, not as a bare 401, and the error
// quotes no token.
func TestTransportTokenRejected(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	m := newManager(t, &Config{ServerURL: srv.StreamableURL(), ClientID: oauthtest.DefaultClientID,
		ClientSecret: oauthtest.DefaultClientSecret, Resource: "https://other.example/mcp", Issuer: srv.AS().URL})
	_, err := sdkConnect(context.Background(), t, m, srv.StreamableURL(), false)
	var rejected *TokenRejectedError
	require.ErrorAs(t, err, &rejected)
	assert.Equal(t, "invalid_token", rejected.ErrorCode)
	// One new token per refused request: the SDK's connect sends a second
	// request after the first fails, which repeats the 401, new token, 401.
	assert.LessOrEqual(t, srv.AS().Counts().Token, 3)
	for _, r := range srv.AS().TokenRequests() {
		assert.Equal(t, "https://other.example/mcp", r.Form.Get("resource"))
	}
	snap, tokErr := m.Token(context.Background())
	require.NoError(t, tokErr)
	assert.NotContains(t, err.Error(), snap.AccessToken)
}

// TestRejectedByRedactsTokens: a resource server echoing the token in its
// challenge does not get it into the error.
func TestRejectedByRedactsTokens(t *testing.T) {
	challenge := []string{`Bearer error="invalid_token", error_description="token at-0123456789abcdef is not for me` + strings.Repeat("é", 300) + `"`}
	err := rejectedBy(challenge, "at-0123456789abcdef")
	assert.NotContains(t, err.Error(), "at-0123456789abcdef")
	assert.LessOrEqual(t, len(err.ErrorDescription), maxQuoted)
	assert.True(t, utf8.ValidString(err.ErrorDescription))
}
