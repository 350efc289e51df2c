package oauthtest

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// refresh sends a refresh_token grant for the public client.
func refresh(t *testing.T, s *Server, token string, extra url.Values) (int, map[string]any) {
	t.Helper()
	form := url.Values{"grant_type": {"refresh_token"}, "client_id": {DefaultPublicClientID}, "refresh_token": {token}}
	for k, v := range extra {
		form[k] = v
	}
	status, body, _ := postToken(t, s, tokenCall{form: form})
	return status, body
}

// codeTokens runs the authorization code flow for the public client.
func codeTokens(t *testing.T, s *Server) map[string]any {
	t.Helper()
	q := authorizeQuery()
	q.Add("resource", "https://a.example/")
	q.Add("resource", "https://b.example/")
	status, body, _ := postToken(t, s, tokenCall{form: exchangeForm(authorizationCode(t, s, q))})
	require.Equal(t, http.StatusOK, status, body)
	return body
}

func TestRefreshRotation(t *testing.T) {
	s := StartT(t, Options{})
	first := codeTokens(t, s)
	old := first["refresh_token"].(string)

	status, second := refresh(t, s, old, nil)
	require.Equal(t, http.StatusOK, status, second)
	assert.NotEqual(t, old, second["refresh_token"])
	assert.NotEqual(t, first["access_token"], second["access_token"])
	assert.Equal(t, "read write", second["scope"])

	assert.Zero(t, s.Counts().RefreshReuse)
	status, body := refresh(t, s, old, nil)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "invalid_grant", body["error"])
	assert.Equal(t, 1, s.Counts().RefreshReuse, "a rotated refresh token presented again is counted")
	refresh(t, s, "never-issued", nil)
	assert.Equal(t, 1, s.Counts().RefreshReuse, "an unknown token is not a reuse")

	status, third := refresh(t, s, second["refresh_token"].(string), nil)
	assert.Equal(t, http.StatusOK, status, third)
	assert.Equal(t, 4, s.Counts().TokenByGrant["refresh_token"])
}

func TestRefreshErrors(t *testing.T) {
	s := StartT(t, Options{Clients: []Client{{ID: DefaultPublicClientID}, {ID: "other"}}})
	tests := []struct {
		name      string
		extra     url.Values
		wantError string
	}{
		{"wider scope", url.Values{"scope": {"read admin"}}, "invalid_scope"},
		{"other resource", url.Values{"resource": {"https://c.example/"}}, "invalid_target"},
		{"other client", url.Values{"client_id": {"other"}}, "invalid_grant"},
		{"unknown token", url.Values{"refresh_token": {"rt_unknown"}}, "invalid_grant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token := codeTokens(t, s)["refresh_token"].(string)
			status, body := refresh(t, s, token, tt.extra)
			assert.Equal(t, http.StatusBadRequest, status)
			assert.Equal(t, tt.wantError, body["error"])

			// A refused request does not consume the refresh token.
			status, body = refresh(t, s, token, nil)
			assert.Equal(t, http.StatusOK, status, body)
		})
	}
}

func TestRefreshNarrowing(t *testing.T) {
	s := StartT(t, Options{})
	token := codeTokens(t, s)["refresh_token"].(string)

	status, narrow := refresh(t, s, token, url.Values{"scope": {"read"}, "resource": {"https://b.example/"}})
	require.Equal(t, http.StatusOK, status, narrow)
	assert.Equal(t, "read", narrow["scope"])
	_, prot := getProtected(t, s, "Bearer "+narrow["access_token"].(string))
	assert.Equal(t, []any{"https://b.example/"}, prot["resource"])

	// The new refresh token keeps the original grant (RFC 6749 §6).
	status, full := refresh(t, s, narrow["refresh_token"].(string), nil)
	require.Equal(t, http.StatusOK, status, full)
	assert.Equal(t, "read write", full["scope"])
}

func TestRevokeRefreshTokens(t *testing.T) {
	s := StartT(t, Options{})
	tokens := codeTokens(t, s)
	s.RevokeRefreshTokens()
	status, body := refresh(t, s, tokens["refresh_token"].(string), nil)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "invalid_grant", body["error"])

	resp, _ := getProtected(t, s, "Bearer "+tokens["access_token"].(string))
	assert.Equal(t, http.StatusOK, resp.StatusCode, "access tokens stay valid")
}
