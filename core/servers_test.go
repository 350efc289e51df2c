package core

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// resources lists the RFC 8707 resource of each token request, in order.
func resources(as *oauthtest.Server) []string {
	var out []string
	for _, r := range as.TokenRequests() {
		out = append(out, r.Form.Get("resource"))
	}
	return out
}

func TestOneManagerTwoServersOfOneAuthorizationServer(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  func(srv *mcptest.Server) *Config
	}{
		{"configured client", func(srv *mcptest.Server) *Config {
			return &Config{ServerURL: srv.StreamableURL(), ClientID: oauthtest.DefaultClientID,
				ClientSecret: oauthtest.DefaultClientSecret, Issuer: srv.AS().URL}
		}},
		{"registered client", func(srv *mcptest.Server) *Config {
			return &Config{ServerURL: srv.StreamableURL(), GrantType: GrantClientCredentials}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := mcptest.StartT(t, mcptest.Options{})
			m := newManager(t, tc.cfg(srv))
			for _, u := range []struct {
				url string
				sse bool
			}{
				{srv.StreamableURL(), false}, {srv.SSEURL(), true},
			} {
				s, err := sdkConnect(context.Background(), t, m, u.url, u.sse)
				require.NoError(t, err, u.url)
				assert.Equal(t, "hi", sdkEcho(t, s, "hi"))
				s.Close()
			}
			assert.Equal(t, []string{srv.StreamableURL(), srv.SSEURL()}, resources(srv.AS()),
				"one token per resource, each asked for its own")
			assert.LessOrEqual(t, srv.AS().Counts().Register, 1, "one registration per authorization server")
			assert.Equal(t, 2, srv.Counts().Unauthorized, "one tokenless probe per server, no token sent where it does not belong")
		})
	}
}

func TestAServerOfAnotherAuthorizationServerIsRefusedBeforeAnyToken(t *testing.T) {
	first := mcptest.StartT(t, mcptest.Options{})
	other := mcptest.StartT(t, mcptest.Options{})
	m := newManager(t, &Config{ServerURL: first.StreamableURL(), ClientID: oauthtest.DefaultClientID,
		ClientSecret: oauthtest.DefaultClientSecret, Issuer: first.AS().URL})
	s, err := sdkConnect(context.Background(), t, m, first.StreamableURL(), false)
	require.NoError(t, err)
	defer s.Close()

	_, err = sdkConnect(context.Background(), t, m, other.StreamableURL(), false)
	var mismatch *ClientIssuerMismatchError
	require.ErrorAs(t, err, &mismatch, "the secret is bound to the first issuer")
	assert.Equal(t, first.AS().URL, mismatch.ClientIssuer)
	assert.Equal(t, other.AS().URL, mismatch.ServerIssuer)
	assert.Zero(t, other.AS().Counts().Token, "nothing asked of the other authorization server")
	// What went over the wire: no Authorization header.
	spy := &authSpy{}
	rt, err := NewTransport(m, other.StreamableURL(), spy)
	require.NoError(t, err)
	req, _ := http.NewRequest(http.MethodPost, other.StreamableURL(), strings.NewReader(`{}`))
	_, err = rt.RoundTrip(req)
	require.ErrorAs(t, err, &mismatch)
	assert.Equal(t, []string{""}, spy.seen, "one tokenless probe, then the refusal")
	assert.Equal(t, "hi", sdkEcho(t, s, "hi"), "the first server's session is unaffected")
}

func TestServersShareARegistrationThroughTheStoreAndA020StoreLoads(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	dir := filepath.Join(t.TempDir(), "store")
	require.NoError(t, os.Mkdir(dir, 0o700))
	// A registration kept as 0.2.0 kept it: with the tokens, under the MCP
	// server's key.
	rc, err := RegisterClient(context.Background(), http.DefaultClient, srv.AS().RegistrationURL(),
		ClientRegistration{ClientName: "old", GrantTypes: []string{GrantClientCredentials}, Confidential: true})
	require.NoError(t, err)
	old := StoreKey{ServerURL: srv.StreamableURL(), Issuer: srv.AS().Issuer()}
	file := (&FileStore{Dir: dir}).path(old)
	require.NoError(t, os.WriteFile(file, fmt.Appendf(nil,
		`{"key":{"server_url":%q,"issuer":%q,"client_id":""},"registered_client_id":%q,`+
			`"token_endpoint_auth_method":%q,"client_secret":%q,"updated_at":"2026-01-02T03:04:05Z"}`,
		old.ServerURL, old.Issuer, rc.ClientID, rc.TokenEndpointAuthMethod, rc.ClientSecret), 0o600))

	for _, url := range []string{srv.StreamableURL(), srv.SSEURL()} {
		// A manager per server, sharing the store, and one for both.
		m := newManager(t, &Config{ServerURL: url, GrantType: GrantClientCredentials, TokenStoreDir: dir})
		s, err := sdkConnect(context.Background(), t, m, url, url == srv.SSEURL())
		require.NoError(t, err)
		s.Close()
	}
	assert.Equal(t, 1, srv.AS().Counts().Register, "only the 0.2.0 registration: no other")
	for _, r := range srv.AS().TokenRequests() {
		assert.Equal(t, rc.ClientID, r.ClientID)
	}
	moved, err := (&FileStore{Dir: dir}).Load(StoreKey{Issuer: srv.AS().Issuer()})
	require.NoError(t, err, "the registration is now kept per authorization server")
	assert.Equal(t, rc.ClientID, moved.RegisteredClientID)
}

// authSpy is a base transport recording the Authorization header of each
// request it sends.
type authSpy struct {
	mu   sync.Mutex
	seen []string
}

func (s *authSpy) RoundTrip(req *http.Request) (*http.Response, error) {
	s.mu.Lock()
	s.seen = append(s.seen, req.Header.Get("Authorization"))
	s.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

func TestForServer(t *testing.T) {
	m := newManager(t, &Config{ServerURL: "https://mcp.example/mcp"})
	for _, same := range []string{"https://mcp.example/mcp", "https://MCP.example:443/mcp/", "https://mcp.example/mcp?api_key=k"} {
		got, err := m.ForServer(same)
		require.NoError(t, err)
		assert.Same(t, m, got, same)
	}
	sse, err := m.ForServer("https://mcp.example/sse")
	require.NoError(t, err)
	assert.NotSame(t, m, sse)
	again, err := m.ForServer("https://mcp.example/sse/")
	require.NoError(t, err)
	assert.Same(t, sse, again, "one token set per server")
	assert.Equal(t, "https://mcp.example/sse", sse.Config().ServerURL)
	_, err = m.ForServer("http://mcp.example/sse")
	var ce *ConfigError
	require.ErrorAs(t, err, &ce, "a bearer token never travels in clear text")

	static := newManager(t, testClient(asServer(t, oauthtest.Options{})))
	got, err := static.ForServer("https://elsewhere.example/mcp")
	require.NoError(t, err)
	assert.Same(t, static, got, "configured endpoints: the configured resource's tokens, as before")

	m.Close()
	assert.True(t, sse.closed.Load(), "closed with the manager that made it")
	_, err = m.ForServer("https://mcp.example/other")
	require.ErrorIs(t, err, ErrClosed)
}

func TestAStoredRegistrationIsUsedOnlyForWhatItWasMadeFor(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	dir := filepath.Join(t.TempDir(), "store")
	machine := newManager(t, &Config{ServerURL: srv.StreamableURL(), GrantType: GrantClientCredentials, TokenStoreDir: dir})
	_, err := machine.Token(context.Background())
	require.NoError(t, err)
	require.Equal(t, 1, srv.AS().Counts().Register)

	// A login client sharing the store: the machine's registration (a secret,
	// no redirect URI) is not its own.
	user := newManager(t, &Config{ServerURL: srv.SSEURL(), TokenStoreDir: dir})
	req, err := user.BeginAuthorization(context.Background(), "")
	require.NoError(t, err)
	assert.Equal(t, 2, srv.AS().Counts().Register, "registered for a login")
	regs := srv.AS().Registrations()
	assert.Contains(t, req.URL, "client_id="+regs[1].ClientID)

	// The other way round: a machine finding a login client's registration
	// (no secret) in the store registers its own.
	other := filepath.Join(t.TempDir(), "other")
	user = newManager(t, &Config{ServerURL: srv.SSEURL(), TokenStoreDir: other})
	_, err = user.BeginAuthorization(context.Background(), "")
	require.NoError(t, err)
	machine = newManager(t, &Config{ServerURL: srv.StreamableURL(), GrantType: GrantClientCredentials, TokenStoreDir: other})
	_, err = machine.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 4, srv.AS().Counts().Register)
}

func TestAnotherServerNeedingAUserSaysHowToLogIn(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	m := newManager(t, &Config{ServerURL: srv.StreamableURL()})
	req, err := m.BeginAuthorization(context.Background(), "")
	require.NoError(t, err)
	_, err = m.CompleteAuthorization(context.Background(), follow(t, req.URL))
	require.NoError(t, err)
	s, err := sdkConnect(context.Background(), t, m, srv.StreamableURL(), false)
	require.NoError(t, err)
	s.Close()

	_, err = sdkConnect(context.Background(), t, m, srv.SSEURL()+"?key=k", true)
	require.ErrorIs(t, err, ErrAuthorizationRequired)
	var other *OtherServerAuthorizationError
	require.ErrorAs(t, err, &other, "the explicit calls would log in for /mcp again: say so")
	assert.Contains(t, other.Error(), srv.SSEURL()+"?…")
	assert.NotContains(t, other.Error(), "key=k", "no query value in the library's own message")
	assert.Equal(t, KindAuthorizationRequired, Classify(err).Kind)
}

// A login made with one redirect URI, then a program of the same store with
// another (the CLI's `login --redirect-uri`, then `token`): the stored
// refresh token belongs to the login's client, so the second program
// refreshes with that client instead of registering one of its own that the
// authorization server would refuse it to (RFC 6749 §6: invalid_grant).
func TestStoredTokensAreRefreshedByTheClientTheyWereIssuedTo(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	dir := filepath.Join(t.TempDir(), "store")
	login := newManager(t, &Config{ServerURL: srv.StreamableURL(), TokenStoreDir: dir,
		RedirectURI: "http://127.0.0.1:9/login-callback"})
	req, err := login.BeginAuthorization(context.Background(), "")
	require.NoError(t, err)
	first, err := login.CompleteAuthorization(context.Background(), follow(t, req.URL))
	require.NoError(t, err)
	require.Equal(t, 1, srv.AS().Counts().Register)

	later := newManager(t, &Config{ServerURL: srv.StreamableURL(), TokenStoreDir: dir})
	restored, err := later.Token(context.Background())
	require.NoError(t, err)
	require.Equal(t, first.AccessToken, restored.AccessToken)
	later.Invalidate(restored.AccessToken) // e.g. expired: the refresh token is used
	refreshed, err := later.Token(context.Background())
	require.NoError(t, err, "refreshed by the client the refresh token was issued to")
	assert.NotEqual(t, first.AccessToken, refreshed.AccessToken)
	assert.Equal(t, 1, srv.AS().Counts().Register, "no registration of its own")
	reqs := srv.AS().TokenRequests()
	assert.Equal(t, "refresh_token", reqs[len(reqs)-1].Form.Get("grant_type"))
	assert.Equal(t, srv.AS().Registrations()[0].ClientID, reqs[len(reqs)-1].ClientID)
}
