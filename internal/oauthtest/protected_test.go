package oauthtest

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProtected(t *testing.T) {
	s := StartT(t, Options{})
	token := ccToken(t, s, url.Values{"scope": {"read"}})["access_token"].(string)
	tests := []struct {
		name          string
		authorization string
		wantStatus    int
		wantChallenge string
	}{
		{"valid", "Bearer " + token, 200, ""},
		{"lower-case scheme", "bearer " + token, 200, ""},
		{"no token", "", 401, "Bearer"},
		{"other scheme", "Basic dTpw", 401, "Bearer"},
		{"unknown token", "Bearer at_unknown", 401, `Bearer error="invalid_token"`},
		{"scheme only", "Bearer", 401, "Bearer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := getProtected(t, s, tt.authorization)
			assert.Equal(t, tt.wantStatus, resp.StatusCode)
			assert.Equal(t, tt.wantChallenge, resp.Header.Get("WWW-Authenticate"))
			if tt.wantStatus == http.StatusOK {
				assert.Equal(t, map[string]any{"ok": true, "client_id": DefaultClientID, "scope": "read"}, body)
			}
		})
	}
	assert.Equal(t, len(tests), s.Counts().Protected)
}

func TestProtectedRefusesQueryToken(t *testing.T) {
	s := StartT(t, Options{})
	token := ccToken(t, s, url.Values{})["access_token"].(string)
	resp, err := http.Get(s.ProtectedURL() + "?access_token=" + url.QueryEscape(token))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Equal(t, `Bearer error="invalid_request"`, resp.Header.Get("WWW-Authenticate"))
}

func TestProtectedExpiryAndRevocation(t *testing.T) {
	s := StartT(t, Options{TokenLifetime: 50 * time.Millisecond})
	expiring := ccToken(t, s, url.Values{})
	assert.Equal(t, float64(0), expiring["expires_in"], "rounded down to whole seconds")
	s.SetTokenLifetime(0)
	lasting := ccToken(t, s, url.Values{})
	assert.Equal(t, float64(3600), lasting["expires_in"])

	assert.Eventually(t, func() bool {
		resp, _ := getProtected(t, s, "Bearer "+expiring["access_token"].(string))
		return resp.StatusCode == http.StatusUnauthorized
	}, 2*time.Second, 20*time.Millisecond)

	resp, _ := getProtected(t, s, "Bearer "+lasting["access_token"].(string))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	s.RevokeAccessTokens()
	resp, _ = getProtected(t, s, "Bearer "+lasting["access_token"].(string))
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Equal(t, `Bearer error="invalid_token"`, resp.Header.Get("WWW-Authenticate"))
}
