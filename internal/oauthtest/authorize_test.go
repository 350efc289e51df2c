package oauthtest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAuthorizeErrorPages(t *testing.T) {
	s := StartT(t, Options{Clients: []Client{
		{ID: "registered", RedirectURIs: []string{"https://app.example/cb"}},
		{ID: DefaultPublicClientID},
	}})
	tests := []struct {
		name   string
		modify func(q url.Values)
	}{
		{"missing client_id", func(q url.Values) { q.Del("client_id") }},
		{"unknown client_id", func(q url.Values) { q.Set("client_id", "nobody") }},
		{"repeated client_id", func(q url.Values) { q.Add("client_id", DefaultPublicClientID) }},
		{"missing redirect_uri", func(q url.Values) { q.Del("redirect_uri") }},
		{"https redirect for loopback-only client", func(q url.Values) { q.Set("redirect_uri", "https://127.0.0.1/cb") }},
		{"non-loopback redirect", func(q url.Values) { q.Set("redirect_uri", "http://evil.example/cb") }},
		{"redirect with fragment", func(q url.Values) { q.Set("redirect_uri", testRedirect+"#f") }},
		{"unregistered redirect", func(q url.Values) {
			q.Set("client_id", "registered")
			q.Set("redirect_uri", "https://app.example/cb2")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := authorizeQuery()
			tt.modify(q)
			resp := authorize(t, s, q)
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
			assert.Empty(t, resp.Header.Get("Location"))
		})
	}
}

func TestAuthorizeErrorRedirects(t *testing.T) {
	s := StartT(t, Options{})
	tests := []struct {
		name      string
		modify    func(q url.Values)
		wantError string
	}{
		{"missing response_type", func(q url.Values) { q.Del("response_type") }, "invalid_request"},
		{"token response_type", func(q url.Values) { q.Set("response_type", "token") }, "unsupported_response_type"},
		{"missing code_challenge", func(q url.Values) { q.Del("code_challenge") }, "invalid_request"},
		{"missing code_challenge_method", func(q url.Values) { q.Del("code_challenge_method") }, "invalid_request"},
		{"plain method", func(q url.Values) {
			q.Set("code_challenge_method", "plain")
			q.Set("code_challenge", testVerifier)
		}, "invalid_request"},
		{"malformed challenge", func(q url.Values) { q.Set("code_challenge", "short") }, "invalid_request"},
		{"repeated state", func(q url.Values) { q.Add("state", "again") }, "invalid_request"},
		{"bad scope", func(q url.Values) { q.Set("scope", "a  b") }, "invalid_scope"},
		{"relative resource", func(q url.Values) { q.Set("resource", "api") }, "invalid_target"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := authorizeQuery()
			tt.modify(q)
			params := redirectParams(t, authorize(t, s, q))
			assert.Equal(t, tt.wantError, params.Get("error"))
			assert.NotEmpty(t, params.Get("error_description"))
			assert.Equal(t, s.Issuer(), params.Get("iss"))
			assert.NotEmpty(t, params.Get("state"))
			assert.Empty(t, params.Get("code"))
		})
	}
}

func TestAuthorizationCodeFlow(t *testing.T) {
	s := StartT(t, Options{})
	q := authorizeQuery()
	q.Set("redirect_uri", "http://localhost:9/cb?keep=1")
	q.Set("resource", "https://api.example/")
	resp := authorize(t, s, q)
	require.Equal(t, http.StatusFound, resp.StatusCode)
	assert.True(t, strings.HasPrefix(resp.Header.Get("Location"), "http://localhost:9/cb?keep=1&"), resp.Header.Get("Location"))
	params := redirectParams(t, resp)
	assert.Equal(t, "xyz", params.Get("state"))
	assert.Equal(t, s.Issuer(), params.Get("iss"))
	assert.Equal(t, "1", params.Get("keep"))

	form := exchangeForm(params.Get("code"))
	form.Set("redirect_uri", "http://localhost:9/cb?keep=1")
	status, body, _ := postToken(t, s, tokenCall{form: form})
	require.Equal(t, http.StatusOK, status, body)
	assert.Equal(t, "read write", body["scope"])
	assert.Equal(t, "Bearer", body["token_type"])
	assert.True(t, strings.HasPrefix(body["refresh_token"].(string), "rt_"))

	r, prot := getProtected(t, s, "Bearer "+body["access_token"].(string))
	require.Equal(t, http.StatusOK, r.StatusCode)
	assert.Equal(t, map[string]any{"ok": true, "client_id": DefaultPublicClientID, "scope": "read write", "resource": []any{"https://api.example/"}}, prot)

	reqs := s.TokenRequests()
	require.Len(t, reqs, 1)
	assert.Equal(t, TokenRequest{Grant: "authorization_code", ClientID: DefaultPublicClientID, AuthMethod: authNone, Form: form, Time: reqs[0].Time}, reqs[0])
	assert.Equal(t, 1, s.Counts().Authorize)
}

func TestAuthorizationCodeConfidentialClient(t *testing.T) {
	s := StartT(t, Options{})
	q := authorizeQuery()
	q.Set("client_id", DefaultClientID)
	form := exchangeForm(authorizationCode(t, s, q))
	form.Del("client_id")
	status, body, _ := postToken(t, s, tokenCall{form: form, basicID: DefaultClientID, basicSecret: DefaultClientSecret})
	assert.Equal(t, http.StatusOK, status, body)
}

func TestAuthorizationCodeErrors(t *testing.T) {
	s := StartT(t, Options{Clients: []Client{{ID: DefaultPublicClientID}, {ID: "other"}}})
	tests := []struct {
		name      string
		modify    func(form url.Values)
		wantError string
	}{
		{"wrong verifier", func(f url.Values) { f.Set("code_verifier", strings.Repeat("a", 43)) }, "invalid_grant"},
		{"missing verifier", func(f url.Values) { f.Del("code_verifier") }, "invalid_grant"},
		{"challenge as verifier", func(f url.Values) { f.Set("code_verifier", challengeOf(testVerifier)) }, "invalid_grant"},
		{"other redirect_uri", func(f url.Values) { f.Set("redirect_uri", "http://127.0.0.1:8765/other") }, "invalid_grant"},
		{"missing redirect_uri", func(f url.Values) { f.Del("redirect_uri") }, "invalid_grant"},
		{"other client", func(f url.Values) { f.Set("client_id", "other") }, "invalid_grant"},
		{"unknown code", func(f url.Values) { f.Set("code", "ac_unknown") }, "invalid_grant"},
		{"resource not authorized", func(f url.Values) { f.Set("resource", "https://elsewhere.example/") }, "invalid_target"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := authorizeQuery()
			q.Set("resource", "https://api.example/")
			form := exchangeForm(authorizationCode(t, s, q))
			tt.modify(form)
			status, body, _ := postToken(t, s, tokenCall{form: form})
			assert.Equal(t, http.StatusBadRequest, status)
			assert.Equal(t, tt.wantError, body["error"], body)

			// The failed attempt consumed the code.
			status, body, _ = postToken(t, s, tokenCall{form: exchangeForm(form.Get("code"))})
			assert.Equal(t, http.StatusBadRequest, status)
			assert.Equal(t, "invalid_grant", body["error"])
		})
	}
}

func TestAuthorizationCodeReuseRevokesTokens(t *testing.T) {
	s := StartT(t, Options{})
	form := exchangeForm(authorizationCode(t, s, authorizeQuery()))
	status, first, _ := postToken(t, s, tokenCall{form: form})
	require.Equal(t, http.StatusOK, status)

	status, body, _ := postToken(t, s, tokenCall{form: form})
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "invalid_grant", body["error"])

	// RFC 6749 §4.1.2: tokens issued from a replayed code are revoked.
	resp, _ := getProtected(t, s, "Bearer "+first["access_token"].(string))
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	status, body, _ = postToken(t, s, tokenCall{form: url.Values{
		"grant_type": {"refresh_token"}, "client_id": {DefaultPublicClientID}, "refresh_token": {first["refresh_token"].(string)},
	}})
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "invalid_grant", body["error"])
}

func TestAuthorizationCodeExpires(t *testing.T) {
	s := StartT(t, Options{})
	code := authorizationCode(t, s, authorizeQuery())
	s.mu.Lock()
	s.codes[code].expires = time.Now().Add(-time.Second)
	s.mu.Unlock()
	status, body, _ := postToken(t, s, tokenCall{form: exchangeForm(code)})
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "invalid_grant", body["error"])
}

func TestDenyAuthorization(t *testing.T) {
	s := StartT(t, Options{})
	s.DenyAuthorization("access_denied")
	params := redirectParams(t, authorize(t, s, authorizeQuery()))
	assert.Equal(t, "access_denied", params.Get("error"))
	assert.NotEmpty(t, params.Get("error_description"))
	assert.Equal(t, "xyz", params.Get("state"))
	assert.Equal(t, s.Issuer(), params.Get("iss"))
	assert.Empty(t, params.Get("code"))

	s.DenyAuthorization("")
	authorizationCode(t, s, authorizeQuery())
}

func TestLoopbackRedirects(t *testing.T) {
	c := Client{ID: "c"}
	tests := []struct {
		uri  string
		want bool
	}{
		{"http://127.0.0.1:1234/cb", true},
		{"http://127.0.0.1/", true},
		{"http://localhost:80/x?y=1", true},
		{"http://[::1]:5555/cb", true},
		{"https://127.0.0.1:1234/cb", false},
		{"http://127.0.0.2:1234/cb", false},
		{"http://localhost.evil.example/cb", false},
		{"http://user@127.0.0.1/cb", false},
		{"http://127.0.0.1/cb#frag", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.uri, func(t *testing.T) {
			assert.Equal(t, tt.want, c.redirectAllowed(tt.uri))
		})
	}
	registered := Client{ID: "r", RedirectURIs: []string{"https://app.example/cb"}}
	assert.True(t, registered.redirectAllowed("https://app.example/cb"))
	assert.False(t, registered.redirectAllowed("https://app.example/cb/"))
	assert.False(t, registered.redirectAllowed("http://127.0.0.1/cb"))
}

// TestRegisteredLoopbackRedirectAnyPort: a registered loopback IP redirect
// URI matches whatever port the request names (RFC 8252 §7.3), and nothing
// else that differs.
func TestRegisteredLoopbackRedirectAnyPort(t *testing.T) {
	c := Client{RedirectURIs: []string{"http://127.0.0.1/callback", "http://[::1]:8976/cb", "https://app.example/cb"}}
	for uri, want := range map[string]bool{
		"http://127.0.0.1/callback":       true,
		"http://127.0.0.1:49152/callback": true,
		"http://[::1]:1234/cb":            true,
		"http://127.0.0.1:49152/other":    false,
		"http://127.0.0.2:49152/callback": false,
		"http://localhost:49152/callback": false,
		"https://app.example:8443/cb":     false,
		"http://127.0.0.1:1/callback#f":   false,
	} {
		if got := c.redirectAllowed(uri); got != want {
			t.Errorf("redirectAllowed(%q) = %v, want %v", uri, got, want)
		}
	}
}
