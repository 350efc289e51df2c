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

func TestClientCredentials(t *testing.T) {
	const oddSecret = "s3:cr+t/ü %" // must survive RFC 6749 §2.3.1 encoding
	s := StartT(t, Options{Clients: []Client{
		{ID: DefaultClientID, Secret: DefaultClientSecret},
		{ID: "odd:client", Secret: oddSecret},
		{ID: DefaultPublicClientID},
	}})
	form := func(kv ...string) url.Values {
		v := url.Values{"grant_type": {"client_credentials"}}
		for i := 0; i < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		return v
	}
	tests := []struct {
		name       string
		call       tokenCall
		wantStatus int
		wantError  string
		wantMethod string
		basicAuth  bool // expect WWW-Authenticate: Basic
	}{
		{"basic", tokenCall{form: form(), basicID: DefaultClientID, basicSecret: DefaultClientSecret}, 200, "", authBasic, false},
		{"basic with encoded characters", tokenCall{form: form(), basicID: "odd:client", basicSecret: oddSecret}, 200, "", authBasic, false},
		{"post", tokenCall{form: form("client_id", DefaultClientID, "client_secret", DefaultClientSecret)}, 200, "", authPost, false},
		{"basic wrong secret", tokenCall{form: form(), basicID: DefaultClientID, basicSecret: "nope"}, 401, "invalid_client", authBasic, true},
		{"post wrong secret", tokenCall{form: form("client_id", DefaultClientID, "client_secret", "nope")}, 401, "invalid_client", authPost, false},
		{"unknown client", tokenCall{form: form(), basicID: "nobody", basicSecret: "x"}, 401, "invalid_client", authBasic, true},
		{"confidential client without secret", tokenCall{form: form("client_id", DefaultClientID)}, 401, "invalid_client", authNone, false},
		{"no client", tokenCall{form: form()}, 401, "invalid_client", authNone, false},
		{"unencoded Basic credentials", tokenCall{form: form(), extraHeaders: map[string]string{"Authorization": "Basic dGVzdC1jbGllbnQ6JXp6"}}, 401, "invalid_client", authBasic, true},
		{"two authentication methods", tokenCall{form: form("client_secret", DefaultClientSecret), basicID: DefaultClientID, basicSecret: DefaultClientSecret}, 400, "invalid_request", authBasic, false},
		{"public client", tokenCall{form: form("client_id", DefaultPublicClientID)}, 400, "unauthorized_client", authNone, false},
		{"invalid scope", tokenCall{form: form("scope", `a "b"`), basicID: DefaultClientID, basicSecret: DefaultClientSecret}, 400, "invalid_scope", authBasic, false},
		{"relative resource", tokenCall{form: form("resource", "/api"), basicID: DefaultClientID, basicSecret: DefaultClientSecret}, 400, "invalid_target", authBasic, false},
		{"resource with fragment", tokenCall{form: form("resource", "https://api.example/#x"), basicID: DefaultClientID, basicSecret: DefaultClientSecret}, 400, "invalid_target", authBasic, false},
		{"repeated parameter", tokenCall{form: form("scope", "a", "scope", "b"), basicID: DefaultClientID, basicSecret: DefaultClientSecret}, 400, "invalid_request", authBasic, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.ResetCounts()
			status, body, resp := postToken(t, s, tt.call)
			assert.Equal(t, tt.wantStatus, status, body)
			assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
			assert.Equal(t, "no-cache", resp.Header.Get("Pragma"))
			if tt.wantError != "" {
				assert.Equal(t, tt.wantError, body["error"])
				assert.NotEmpty(t, body["error_description"])
				assert.NotContains(t, body, "access_token")
			} else {
				assert.True(t, strings.HasPrefix(body["access_token"].(string), "at_"), body)
				assert.Equal(t, "Bearer", body["token_type"])
				assert.Equal(t, float64(3600), body["expires_in"])
				assert.NotContains(t, body, "refresh_token")
				assert.NotContains(t, body, "scope")
			}
			if tt.basicAuth {
				assert.Equal(t, `Basic realm="oauthtest"`, resp.Header.Get("WWW-Authenticate"))
			} else {
				assert.Empty(t, resp.Header.Get("WWW-Authenticate"))
			}
			reqs := s.TokenRequests()
			require.Len(t, reqs, 1)
			assert.Equal(t, tt.wantMethod, reqs[0].AuthMethod)
			assert.Equal(t, "client_credentials", reqs[0].Grant)
			assert.NotContains(t, reqs[0].Form, "client_secret")
		})
	}
}

func TestClientCredentialsOptions(t *testing.T) {
	s := StartT(t, Options{TokenLifetime: 90 * time.Second})
	body := ccToken(t, s, url.Values{"scope": {"read"}, "resource": {"https://api.example/", "urn:example:other"}})
	assert.Equal(t, float64(90), body["expires_in"])
	assert.Equal(t, "read", body["scope"])
	assert.NotContains(t, body, "refresh_token")

	resp, prot := getProtected(t, s, "Bearer "+body["access_token"].(string))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, []any{"https://api.example/", "urn:example:other"}, prot["resource"])

	s.SetTokenLifetime(-1)
	s.SetRefreshTokensForClientCredentials(true)
	body = ccToken(t, s, url.Values{})
	assert.NotContains(t, body, "expires_in")
	assert.True(t, strings.HasPrefix(body["refresh_token"].(string), "rt_"), body)

	status, refreshed, _ := postToken(t, s, tokenCall{
		form:    url.Values{"grant_type": {"refresh_token"}, "refresh_token": {body["refresh_token"].(string)}},
		basicID: DefaultClientID, basicSecret: DefaultClientSecret,
	})
	require.Equal(t, http.StatusOK, status, refreshed)
	assert.NotEqual(t, body["access_token"], refreshed["access_token"])
}

func TestTokenRequestFormat(t *testing.T) {
	s := StartT(t, Options{})
	body := url.Values{"grant_type": {"client_credentials"}, "client_id": {DefaultClientID}, "client_secret": {DefaultClientSecret}}.Encode()
	tests := []struct {
		name        string
		method      string
		url         string
		contentType string
		wantStatus  int
		wantError   string
	}{
		{"JSON body", http.MethodPost, s.TokenURL(), "application/json", 400, "invalid_request"},
		{"parameters in query", http.MethodPost, s.TokenURL() + "?scope=read", "application/x-www-form-urlencoded", 400, "invalid_request"},
		{"charset accepted", http.MethodPost, s.TokenURL(), "application/x-www-form-urlencoded; charset=utf-8", 200, ""},
		{"GET", http.MethodGet, s.TokenURL(), "", 405, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, tt.url, strings.NewReader(body))
			require.NoError(t, err)
			req.Header.Set("Content-Type", tt.contentType)
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, tt.wantStatus, resp.StatusCode)
			if tt.wantError != "" {
				assert.Equal(t, tt.wantError, decodeBody(t, resp.Body)["error"])
			}
		})
	}
}

func TestGrantTypeErrors(t *testing.T) {
	s := StartT(t, Options{})
	tests := []struct {
		grant     string
		wantError string
	}{
		{"", "invalid_request"},
		{"password", "unsupported_grant_type"},
		{"authorization_code", "invalid_request"}, // no code
		{"refresh_token", "invalid_request"},      // no refresh_token
	}
	for _, tt := range tests {
		t.Run(tt.grant, func(t *testing.T) {
			status, body, _ := postToken(t, s, tokenCall{
				form:    url.Values{"grant_type": {tt.grant}},
				basicID: DefaultClientID, basicSecret: DefaultClientSecret,
			})
			assert.Equal(t, http.StatusBadRequest, status)
			assert.Equal(t, tt.wantError, body["error"])
		})
	}
	c := s.Counts()
	assert.Equal(t, 4, c.Token)
	assert.Equal(t, map[string]int{"password": 1, "authorization_code": 1, "refresh_token": 1}, c.TokenByGrant)
}
