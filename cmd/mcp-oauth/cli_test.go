package main

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

func TestLoginThenToken(t *testing.T) {
	s := startServer(t, mcptest.Options{})
	e := newEnv(t)

	r := e.login(s.StreamableURL())
	assert.Empty(t, r.stdout, "login prints nothing on stdout without --json")
	assert.Contains(t, r.stderr, "Discovering the authorization server")
	assert.Contains(t, r.stderr, "Logged in to "+s.StreamableURL())
	counts := s.AS().Counts()
	assert.Equal(t, 1, counts.Register, "dynamic client registration")
	assert.Equal(t, 1, counts.TokenByGrant["authorization_code"])

	first := e.mustRun("token", s.StreamableURL())
	token := strings.TrimSuffix(first.stdout, "\n")
	assert.Regexp(t, `^[A-Za-z0-9._~+/=-]+$`, token, "stdout is the token and nothing else")
	_, ok := s.AS().Introspect(token)
	assert.True(t, ok, "the printed token is one the server issued")
	assert.NotContains(t, first.stderr, token, "no token on stderr")

	second := e.mustRun("token", s.StreamableURL())
	assert.Equal(t, first.stdout, second.stdout, "the stored token is reused")
	assert.Equal(t, counts.Token, s.AS().Counts().Token, "token makes no token request while the stored token is valid")

	var js struct {
		AccessToken string    `json:"access_token"`
		TokenType   string    `json:"token_type"`
		ExpiresAt   time.Time `json:"expires_at"`
	}
	require.NoError(t, json.Unmarshal([]byte(e.mustRun("token", "--json", s.StreamableURL()).stdout), &js))
	assert.Equal(t, token, js.AccessToken)
	assert.Equal(t, "Bearer", js.TokenType)
	assert.WithinDuration(t, time.Now().Add(time.Hour), js.ExpiresAt, time.Minute)

	// The token works with any HTTP client, as with curl -H "Authorization: Bearer $(mcp-oauth token URL)".
	req, err := http.NewRequest(http.MethodPost, s.StreamableURL(), strings.NewReader(
		`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}`))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

// TestTokenFollowsTheRefreshWindow: token prints the stored token without
// a request until the library's refresh window (the last 30 s of a 60 s
// token, counted from when it was obtained), and refreshes it in the window
// — not, as before, any token expiring within a minute at every call.
func TestTokenFollowsTheRefreshWindow(t *testing.T) {
	s := startServer(t, mcptest.Options{})
	s.AS().SetTokenLifetime(time.Minute)
	e := newEnv(t)
	e.login(s.StreamableURL())
	stored := s.AS().Counts()

	first := e.mustRun("token", s.StreamableURL()).stdout
	assert.Equal(t, first, e.mustRun("token", s.StreamableURL()).stdout)
	assert.Equal(t, stored.Token, s.AS().Counts().Token, "no token request before the window")

	// 40 s later, as far as the store knows: in the window.
	ageStoredTokens(t, e.store, 40*time.Second)
	token := strings.TrimSpace(e.mustRun("token", s.StreamableURL()).stdout)
	assert.NotEqual(t, strings.TrimSpace(first), token)
	assert.Equal(t, stored.TokenByGrant["refresh_token"]+1, s.AS().Counts().TokenByGrant["refresh_token"])
	_, ok := s.AS().Introspect(token)
	assert.True(t, ok)
	assert.Equal(t, token, strings.TrimSpace(e.mustRun("token", s.StreamableURL()).stdout), "the new token is stored")
}

// ageStoredTokens moves the tokens of every entry of the file store dir
// back in time by d, as if they had been obtained d earlier.
func ageStoredTokens(t *testing.T, dir string, d time.Duration) {
	t.Helper()
	store := &core.FileStore{Dir: dir}
	entries, err := store.List()
	require.NoError(t, err)
	require.NotEmpty(t, entries)
	for _, c := range entries {
		if c.AccessToken == "" || c.Expiry.IsZero() {
			continue // a registration's entry
		}
		c.UpdatedAt, c.Expiry = c.UpdatedAt.Add(-d), c.Expiry.Add(-d)
		require.NoError(t, store.Save(c))
	}
}

func TestLoginWithoutBrowser(t *testing.T) {
	s := startServer(t, mcptest.Options{})
	e := newEnv(t)
	delete(e.vars, "BROWSER")
	e.vars["DISPLAY"] = ":0" // --no-browser must win over a graphical session

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := e.command(ctx, "login", "--no-browser", "--redirect-uri", e.redirect, s.StreamableURL())
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	var stdout strings.Builder
	cmd.Stdout = &stdout
	require.NoError(t, cmd.Start())
	r := bufio.NewReader(stderr)
	authURL := lineWith(t, r, s.AS().URL+"/authorize?")
	lineWith(t, r, "Waiting for the authorization")
	assert.Equal(t, 0, actAsBrowser([]string{authURL}), "the printed URL completes the login")
	assert.Contains(t, lineWith(t, r, "Logged in"), s.StreamableURL())
	require.NoError(t, cmd.Wait())
	assert.Empty(t, stdout.String())

	e.mustRun("token", s.StreamableURL())
}

func TestToolsAndCall(t *testing.T) {
	s := startServer(t, mcptest.Options{})
	cases := []struct {
		name      string
		url       func() string
		transport []string
		fallback  bool // to SSE after Streamable HTTP was refused
	}{
		{"streamable http", s.StreamableURL, []string{"--transport", "streamable_http"}, false},
		{"streamable http by its former name", s.StreamableURL, []string{"--transport", "http"}, false},
		{"sse", s.SSEURL, []string{"--transport", "sse"}, false},
		{"auto-detected streamable http", s.StreamableURL, nil, false},
		{"auto-detected sse", s.SSEURL, nil, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			server := tc.url()
			e.login(server)
			args := func(a ...string) []string { return append(append([]string{}, tc.transport...), a...) }

			tools := e.mustRun(args("tools", server)...)
			if tc.fallback {
				assert.Contains(t, tools.stderr, "trying the HTTP+SSE transport")
			} else {
				assert.Empty(t, tools.stderr)
			}
			assert.Contains(t, tools.stdout, "echo\tReturns its text.\n")
			assert.Contains(t, tools.stdout, "add\tAdds two numbers.\n")

			var list struct {
				Tools []struct {
					Name        string          `json:"name"`
					InputSchema json.RawMessage `json:"inputSchema"`
				} `json:"tools"`
			}
			require.NoError(t, json.Unmarshal([]byte(e.mustRun(args("tools", "--json", server)...).stdout), &list))
			var names []string
			for _, tl := range list.Tools {
				names = append(names, tl.Name)
				assert.NotEmpty(t, tl.InputSchema)
			}
			assert.ElementsMatch(t, []string{"echo", "add", "whoami", "ask", "write_note", "wait"}, names)

			echoes := s.Counts().ToolCalls["echo"]
			assert.Equal(t, "hello there\n", e.mustRun(args("call", server, "echo", `{"text":"hello there"}`)...).stdout)
			assert.Equal(t, echoes+1, s.Counts().ToolCalls["echo"])

			var res struct {
				Content    []struct{ Type, Text string } `json:"content"`
				Structured struct {
					Sum float64 `json:"sum"`
				} `json:"structuredContent"`
				IsError bool `json:"isError"`
			}
			require.NoError(t, json.Unmarshal([]byte(e.mustRun(args("call", "--json", server, "add", `{"a":2,"b":40}`)...).stdout), &res))
			assert.Equal(t, 42.0, res.Structured.Sum)
			assert.False(t, res.IsError)
		})
	}
}

func TestCallErrors(t *testing.T) {
	s := startServer(t, mcptest.Options{})
	e := newEnv(t)
	e.login(s.StreamableURL())

	r := e.run("call", s.StreamableURL(), "add", `{"a":"one","b":2}`)
	assert.Equal(t, exitMCPError, r.code, "a tool result with isError")
	assert.Empty(t, r.stdout)
	assert.Contains(t, r.stderr, "tool add reported an error")

	r = e.run("call", "--json", s.StreamableURL(), "add", `{"a":"one","b":2}`)
	assert.Equal(t, exitMCPError, r.code)
	var res struct {
		IsError bool `json:"isError"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &res), "--json still prints the result")
	assert.True(t, res.IsError)

	r = e.run("call", s.StreamableURL(), "no_such_tool")
	assert.Equal(t, exitMCPError, r.code, "an unknown tool")
	assert.Contains(t, r.stderr, "no_such_tool")
}

func TestStatusAndLogout(t *testing.T) {
	s := startServer(t, mcptest.Options{})
	e := newEnv(t)
	assert.Equal(t, "No stored credentials.\n", e.mustRun("status").stdout)
	e.login(s.StreamableURL())
	e.login(s.SSEURL())
	token := strings.TrimSpace(e.mustRun("token", s.StreamableURL()).stdout)
	assert.Equal(t, 1, s.AS().Counts().Register, "one registration for both servers of the authorization server")

	st := e.mustRun("status")
	assert.Contains(t, st.stdout, s.StreamableURL()+"\n  issuer:  "+s.AS().Issuer())
	assert.Contains(t, st.stdout, "(registered dynamically)")
	assert.Contains(t, st.stdout, "scopes:  mcp:read offline_access")
	assert.Contains(t, st.stdout, "refresh token held")
	assert.NotContains(t, st.stdout+st.stderr, token, "status never shows a token")

	var js struct {
		Credentials []core.Status `json:"credentials"`
	}
	raw := e.mustRun("status", "--json").stdout
	assert.NotContains(t, raw, token)
	assert.NotContains(t, raw, "secret")
	require.NoError(t, json.Unmarshal([]byte(raw), &js))
	require.Len(t, js.Credentials, 2)
	for _, c := range js.Credentials {
		assert.Equal(t, s.AS().Issuer(), c.Issuer)
		assert.True(t, c.HasRefreshToken)
		assert.True(t, c.HasToken)
		assert.Equal(t, core.ClientRegistered, c.ClientSource)
		assert.Equal(t, "Bearer", c.TokenType)
		assert.NotEmpty(t, c.ExpiresAt)
		require.NotNil(t, c.ExpiresInSeconds)
		assert.Positive(t, *c.ExpiresInSeconds)
	}
	for _, stored := range e.storedSecrets() {
		assert.NotContains(t, raw+st.stdout, stored, "status never shows a stored token or secret")
	}

	info, err := os.Stat(e.store)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), info.Mode().Perm(), "the token store is private")

	r := e.mustRun("logout", s.StreamableURL())
	assert.Contains(t, r.stderr, "Removed the credentials for "+s.StreamableURL())
	r = e.run("token", s.StreamableURL())
	assert.Equal(t, exitLoginNeeded, r.code)
	e.mustRun("token", s.SSEURL()) // the other server's login stays

	e.mustRun("logout")
	assert.Equal(t, "No stored credentials.\n", e.mustRun("status").stdout)
	assert.Equal(t, exitLoginNeeded, e.run("token", s.SSEURL()).code)
}

func TestClientCredentialsFromEnvironment(t *testing.T) {
	s := startServer(t, mcptest.Options{})
	e := newEnv(t)
	e.vars[envClientID] = "test-client"
	e.vars[envClientSecret] = "test-secret"
	e.vars[envIssuer] = s.AS().URL

	first := e.mustRun("token", s.StreamableURL())
	assert.NotContains(t, first.stderr, "test-secret")
	assert.Equal(t, 1, s.AS().Counts().TokenByGrant["client_credentials"])
	assert.Zero(t, s.AS().Counts().Authorize, "no user involved")
	assert.Equal(t, first.stdout, e.mustRun("token", s.StreamableURL()).stdout, "the stored token is reused")
	assert.Equal(t, 1, s.AS().Counts().TokenByGrant["client_credentials"])

	assert.Contains(t, e.mustRun("call", s.StreamableURL(), "whoami").stdout, `"client_id":"test-client"`)

	var info core.Status
	raw := e.mustRun("login", "--json", s.StreamableURL()).stdout
	assert.NotContains(t, raw, strings.TrimSpace(first.stdout), "login --json shows no token")
	assert.NotContains(t, raw, "test-secret")
	require.NoError(t, json.Unmarshal([]byte(raw), &info))
	assert.Equal(t, s.StreamableURL(), info.ServerURL)
	assert.Equal(t, s.AS().Issuer(), info.Issuer)
	assert.Equal(t, "test-client", info.ClientID)
	assert.Equal(t, core.ClientConfigured, info.ClientSource)
	assert.Equal(t, core.GrantClientCredentials, info.GrantType)
	assert.Equal(t, []string{mcptest.ScopeRead}, info.Scopes, "the scope of the server's challenge")
	assert.True(t, info.HasToken)
	assert.NotEmpty(t, info.ExpiresAt)

	// --token-url skips discovery.
	e2 := newEnv(t)
	e2.vars[envClientSecret] = "test-secret"
	r := e2.mustRun("token", "--client-id", "test-client", "--token-url", s.AS().URL+"/token", "--scope", "mcp:read", s.StreamableURL())
	_, ok := s.AS().Introspect(strings.TrimSpace(r.stdout))
	assert.True(t, ok)

	e3 := newEnv(t)
	e3.vars[envClientID] = "test-client"
	e3.vars[envClientSecret] = "wrong"
	e3.vars[envIssuer] = s.AS().URL
	r = e3.run("token", s.StreamableURL())
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "invalid_client")
	assert.NotContains(t, r.stderr, "wrong")
}

// TestClientSecretGoesOnlyToItsIssuer: an MCP server whose metadata names
// an authorization server of its own (the attacker's, which accepts the
// client's credentials) receives no client secret: without an issuer the
// command refuses to run, with one it refuses the other authorization
// server before contacting it (issue 12 item 1).
func TestClientSecretGoesOnlyToItsIssuer(t *testing.T) {
	attacker := startServer(t, mcptest.Options{})
	legit := oauthtest.StartT(t, oauthtest.Options{})
	e := newEnv(t)
	e.vars[envClientID] = "test-client"
	e.vars[envClientSecret] = "test-secret"

	r := e.run("token", attacker.StreamableURL())
	assert.Equal(t, exitUsage, r.code, r.stderr)
	assert.Contains(t, r.stderr, "issuer: required")
	assert.Contains(t, r.stderr, "--issuer or $"+envIssuer)
	assert.Empty(t, r.stdout, "no token")

	e.vars[envIssuer] = legit.URL
	r = e.run("call", attacker.StreamableURL(), "whoami")
	assert.NotEqual(t, exitOK, r.code)
	assert.Contains(t, r.stderr, "registered with issuer")
	r = e.run("token", "--issuer", legit.URL, attacker.StreamableURL())
	assert.NotEqual(t, exitOK, r.code)
	assert.Empty(t, r.stdout, "no token")

	c := attacker.AS().Counts()
	assert.Zero(t, c.Token+c.Metadata, "the attacker's authorization server was not contacted")
	assert.Zero(t, legit.Counts().Token)
}

func TestSlowTokenRequestShowsProgress(t *testing.T) {
	s := startServer(t, mcptest.Options{})
	s.AS().SetLatency(1500 * time.Millisecond)
	e := newEnv(t)
	e.vars[envClientID] = "test-client"
	e.vars[envClientSecret] = "test-secret"
	r := e.mustRun("token", "--issuer", s.AS().URL, s.StreamableURL())
	assert.Equal(t, "Getting a token for "+s.StreamableURL()+" ...\n", r.stderr)
	_, ok := s.AS().Introspect(strings.TrimSpace(r.stdout))
	assert.True(t, ok, "stdout is the token alone")

	s.AS().SetLatency(0)
	assert.Empty(t, e.mustRun("token", "--issuer", s.AS().URL, s.StreamableURL()).stderr, "a quick command says nothing")
}

func TestNotLoggedIn(t *testing.T) {
	s := startServer(t, mcptest.Options{})
	e := newEnv(t)
	for _, args := range [][]string{
		{"token", s.StreamableURL()},
		{"tools", s.StreamableURL()},
		{"call", s.StreamableURL(), "echo", `{"text":"x"}`},
	} {
		r := e.run(args...)
		assert.Equal(t, exitLoginNeeded, r.code, "%v", args)
		assert.Empty(t, r.stdout)
		assert.Contains(t, r.stderr, "not logged in to "+s.StreamableURL()+": run `mcp-oauth login")
	}
	assert.Zero(t, s.AS().Counts().Token)
}

func TestRevokedRefreshTokenNeedsLogin(t *testing.T) {
	s := startServer(t, mcptest.Options{})
	e := newEnv(t)
	e.login(s.StreamableURL())
	s.AS().RevokeAccessTokens()
	s.AS().RevokeRefreshTokens()
	// The stored token looks valid for another hour, but the MCP server
	// rejects it and its refresh token is refused: the user must log in.
	r := e.run("tools", s.StreamableURL())
	assert.Equal(t, exitLoginNeeded, r.code, "stderr: %s", r.stderr)
	assert.Contains(t, r.stderr, "has expired or was revoked: run `mcp-oauth login "+s.StreamableURL()+"`")
	assert.Equal(t, 1, s.AS().Counts().TokenByGrant["refresh_token"])
}

func TestAuthorizationDenied(t *testing.T) {
	s := startServer(t, mcptest.Options{})
	s.AS().DenyAuthorization("access_denied")
	e := newEnv(t)
	r := e.run("login", "--redirect-uri", e.redirect, s.StreamableURL())
	assert.Equal(t, exitAuthDenied, r.code)
	assert.Contains(t, r.stderr, `authorization failed with "access_denied"`)
	assert.Equal(t, exitLoginNeeded, e.run("token", s.StreamableURL()).code)
}

func TestLoginTimesOut(t *testing.T) {
	s := startServer(t, mcptest.Options{})
	e := newEnv(t)
	delete(e.vars, "BROWSER")
	r := e.run("login", "--timeout", "300ms", "--redirect-uri", e.redirect, s.StreamableURL())
	assert.Equal(t, exitAuthDenied, r.code)
	assert.Contains(t, r.stderr, "Open this URL in a browser")
	assert.Contains(t, r.stderr, "no authorization response reached the redirect listener in time")
}

func TestServerDown(t *testing.T) {
	s, err := mcptest.Start(mcptest.Options{})
	require.NoError(t, err)
	t.Cleanup(s.Close)
	e := newEnv(t)
	e.login(s.StreamableURL())
	s.Close()

	// The stored token is still valid: printing it needs no server.
	r := e.run("token", s.StreamableURL())
	assert.Equal(t, exitOK, r.code, "stderr %s", r.stderr)
	assert.NotEmpty(t, r.stdout)

	for _, args := range [][]string{
		{"tools", s.StreamableURL()},
		{"call", s.StreamableURL(), "echo"},
	} {
		r := e.run(args...)
		assert.Equal(t, exitUnreachable, r.code, "%v: stderr %s", args, r.stderr)
		assert.Empty(t, r.stdout)
		assert.Contains(t, r.stderr, "connection refused", "%v", args)
	}
	r = e.run("login", "--redirect-uri", e.redirect, "http://127.0.0.1:1/mcp")
	assert.Equal(t, exitUnreachable, r.code)
}

func TestUsageErrors(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, "no command given"},
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"unknown flag", []string{"status", "--frob"}, "flag provided but not defined: -frob"},
		{"token without URL or default", []string{"token"}, "no server given: name its URL, or set $MCP_OAUTH_SERVER"},
		{"token with two URLs", []string{"token", "http://127.0.0.1:1/a", "http://127.0.0.1:1/b"}, "usage: mcp-oauth token"},
		{"not a URL", []string{"token", "example.com/mcp"}, "is not an http(s) URL"},
		{"call without tool", []string{"call", "http://127.0.0.1:1/mcp"}, "usage: mcp-oauth call"},
		{"call with an array", []string{"call", "http://127.0.0.1:1/mcp", "echo", `["x"]`}, "must be a JSON object"},
		{"call with bad JSON", []string{"call", "http://127.0.0.1:1/mcp", "echo", `{"text":`}, "must be a JSON object"},
		{"bad transport", []string{"tools", "--transport", "ws", "http://127.0.0.1:1/mcp"}, `--transport must be "streamable_http", "sse" or "auto"`},
		{"bad timeout", []string{"--timeout", "soon", "status"}, "invalid value"},
		{"secret without id", []string{"token", "--client-secret", "s", "http://127.0.0.1:1/mcp"}, "needs a client id"},
		{"token url without secret", []string{"token", "--token-url", "http://127.0.0.1:1/token", "http://127.0.0.1:1/mcp"}, "--token-url applies to client credentials"},
		{"device with a redirect", []string{"login", "--device", "--no-browser", "http://127.0.0.1:1/mcp"}, "--device takes no"},
		{"invalid scope", []string{"login", "--scope", `a"b`, "http://127.0.0.1:1/mcp"}, "invalid config: scopes"},
		{"plain http off loopback", []string{"login", "http://example.com/mcp"}, "server_url"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.run(tc.args...)
			assert.Equal(t, exitUsage, r.code, "stderr: %s", r.stderr)
			assert.Empty(t, r.stdout)
			assert.Contains(t, r.stderr, tc.want)
		})
	}
}

func TestHelpAndVersion(t *testing.T) {
	e := newEnv(t)
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		r := e.mustRun(args...)
		assert.Contains(t, r.stdout, "Exit codes:\n  0  success")
		assert.Contains(t, r.stdout, "  6  MCP error")
		for _, c := range commands {
			assert.Contains(t, r.stdout, "\n  "+c.name+" ")
		}
	}
	for _, c := range commands {
		r := e.mustRun(c.name, "--help")
		assert.Contains(t, r.stdout, "Usage: mcp-oauth "+c.name, c.name)
		assert.Contains(t, r.stdout, "--json")
	}
	assert.Contains(t, e.mustRun("login", "-h").stdout, "--no-browser")
	assert.Equal(t, "mcp-oauth "+version+"\n", e.mustRun("version").stdout)
	assert.JSONEq(t, `{"version":"`+version+`"}`, e.mustRun("--json", "version").stdout)
	assert.Equal(t, "mcp-oauth "+version+"\n", e.mustRun("--version").stdout)
	assert.JSONEq(t, `{"version":"`+version+`"}`, e.mustRun("--json", "--version").stdout)
}
