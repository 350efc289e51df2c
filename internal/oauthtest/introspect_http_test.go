package oauthtest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func introspect(t *testing.T, s *Server, token string) (int, introspectionResponse) {
	t.Helper()
	resp, err := http.PostForm(s.URL+"/introspect", url.Values{"token": {token}})
	require.NoError(t, err)
	defer resp.Body.Close()
	var got introspectionResponse
	if resp.StatusCode == http.StatusOK {
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&got))
	}
	return resp.StatusCode, got
}

func TestIntrospectionEndpoint(t *testing.T) {
	s := StartT(t, Options{})
	tok := ccToken(t, s, url.Values{"scope": {"mcp:read"}, "resource": {"https://mcp.example/mcp"}})["access_token"].(string)

	status, got := introspect(t, s, tok)
	assert.Equal(t, http.StatusOK, status)
	assert.True(t, got.Active)
	assert.Equal(t, DefaultClientID, got.ClientID)
	assert.Equal(t, "mcp:read", got.Scope)
	assert.Equal(t, []string{"https://mcp.example/mcp"}, got.Audience)
	assert.NotZero(t, got.ExpiresAt)

	s.RevokeAccessTokens()
	status, got = introspect(t, s, tok)
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, introspectionResponse{}, got) // only active:false
	status, _ = introspect(t, s, "")
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, 3, s.Counts().Introspect)
}
