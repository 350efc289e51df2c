package oauthtest

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScopesSupportedEnforced(t *testing.T) {
	s := StartT(t, Options{ScopesSupported: []string{"mcp:read", "mcp:write", "offline_access"}})
	tests := []struct {
		scope     string
		wantError string
	}{
		{"", ""},
		{"mcp:read", ""},
		{"mcp:read mcp:write offline_access", ""},
		{"mcp:admin", "invalid_scope"},
		{"mcp:read read", "invalid_scope"},
	}
	for _, tt := range tests {
		t.Run("scope "+tt.scope, func(t *testing.T) {
			q := authorizeQuery()
			q.Set("scope", tt.scope)
			params := redirectParams(t, authorize(t, s, q))
			assert.Equal(t, tt.wantError, params.Get("error"))

			form := url.Values{"grant_type": {"client_credentials"}, "scope": {tt.scope}}
			status, body, _ := postToken(t, s, tokenCall{form: form, basicID: DefaultClientID, basicSecret: DefaultClientSecret})
			if tt.wantError != "" {
				assert.Equal(t, tt.wantError, body["error"])
				return
			}
			require.Equal(t, http.StatusOK, status, body)
			info, ok := s.Introspect(body["access_token"].(string))
			require.True(t, ok)
			assert.Equal(t, tt.scope, info.Scope, "exactly the requested scope")
		})
	}
}

func TestAuthorizationCodeGrantsRequestedScope(t *testing.T) {
	s := StartT(t, Options{})
	q := authorizeQuery()
	q.Set("scope", "mcp:read")
	status, body, _ := postToken(t, s, tokenCall{form: exchangeForm(authorizationCode(t, s, q))})
	require.Equal(t, http.StatusOK, status, body)
	assert.Equal(t, "mcp:read", body["scope"])
	info, _ := s.Introspect(body["access_token"].(string))
	assert.Equal(t, "mcp:read", info.Scope)
}
