package core

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jwtBearerConfig is a cross-app access client of an AS at asURL, with an
// IdP at idpURL.
func jwtBearerConfig(asURL, idpURL string) *Config {
	return &Config{
		ClientID: "xaa-client", ClientSecret: "xaa-secret", TokenURL: asURL + "/token", Issuer: asURL,
		Resource: "https://mcp.example/mcp", Scopes: []string{"mcp:read"},
		IDPTokenEndpoint: idpURL + "/token", IDPClientID: "idp-client", IDPIDToken: "the-id-token",
	}
}

func TestJWTBearerExchangesTheIDTokenThenPresentsTheIDJAG(t *testing.T) {
	idp := newFakeEndpoint(t, func(int64, url.Values) (int, any) {
		return 200, map[string]any{"access_token": "the-id-jag", "issued_token_type": tokenTypeIDJAG, "token_type": "N_A"}
	})
	as := newFakeEndpoint(t, func(int64, url.Values) (int, any) { return 200, bearer("at-1", 3600) })
	m := newManager(t, jwtBearerConfig(as.URL, idp.URL))
	assert.Equal(t, GrantJWTBearer, m.Config().GrantType, "the default with idp_id_token")

	snap, err := m.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "at-1", snap.AccessToken)

	ex := idp.form(0)
	assert.Equal(t, grantTypeTokenExchange, ex.Get("grant_type"))
	assert.Equal(t, "the-id-token", ex.Get("subject_token"))
	assert.Equal(t, tokenTypeIDToken, ex.Get("subject_token_type"))
	assert.Equal(t, tokenTypeIDJAG, ex.Get("requested_token_type"))
	assert.Equal(t, as.URL, ex.Get("audience"), "the AS issuer")
	assert.Equal(t, "https://mcp.example/mcp", ex.Get("resource"))
	assert.Equal(t, "idp-client", ex.Get("client_id"), "public client at the IdP")

	jb := as.form(0)
	assert.Equal(t, grantTypeJWTBearer, jb.Get("grant_type"))
	assert.Equal(t, "the-id-jag", jb.Get("assertion"))
	assert.Equal(t, "mcp:read", jb.Get("scope"))
	assert.Equal(t, "https://mcp.example/mcp", jb.Get("resource"))
	user, pass, ok := (&http.Request{Header: as.headers[0]}).BasicAuth()
	require.True(t, ok, "client_secret_basic at the AS")
	assert.Equal(t, []string{"xaa-client", "xaa-secret"}, []string{user, pass})
}

func TestJWTBearerRefusals(t *testing.T) {
	t.Run("IdP error", func(t *testing.T) {
		idp := newFakeEndpoint(t, func(int64, url.Values) (int, any) {
			return 400, map[string]any{"error": "invalid_grant", "error_description": "expired"}
		})
		as := newFakeEndpoint(t, func(int64, url.Values) (int, any) { return 200, bearer("at", 3600) })
		_, err := newManager(t, jwtBearerConfig(as.URL, idp.URL)).Token(context.Background())
		var oe *OAuthError
		require.ErrorAs(t, err, &oe)
		assert.Equal(t, "invalid_grant", oe.ErrorCode)
		assert.Zero(t, as.requests.Load())
	})
	t.Run("not an ID-JAG", func(t *testing.T) {
		idp := newFakeEndpoint(t, func(int64, url.Values) (int, any) {
			return 200, map[string]any{"access_token": "x", "issued_token_type": "urn:ietf:params:oauth:token-type:access_token"}
		})
		as := newFakeEndpoint(t, func(int64, url.Values) (int, any) { return 200, bearer("at", 3600) })
		_, err := newManager(t, jwtBearerConfig(as.URL, idp.URL)).Token(context.Background())
		var pe *ProtocolError
		require.ErrorAs(t, err, &pe)
		assert.Zero(t, as.requests.Load())
	})
}

func TestJWTBearerConfig(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(srv.Close)
	for _, tc := range []struct {
		name, field string
		edit        func(c *Config)
	}{
		{"no ID token", "idp_id_token", func(c *Config) { c.GrantType = GrantJWTBearer; c.IDPIDToken = "" }},
		{"no IdP endpoint", "idp_token_endpoint", func(c *Config) { c.IDPTokenEndpoint = "" }},
		{"no IdP client", "idp_client_id", func(c *Config) { c.IDPClientID = "" }},
		{"no issuer without discovery", "issuer", func(c *Config) { c.Issuer = "" }},
		{"IdP endpoint not https", "idp_token_endpoint", func(c *Config) { c.IDPTokenEndpoint = "http://idp.example/token" }},
		{"IdP members with another grant", "idp_token_endpoint", func(c *Config) { c.GrantType = GrantClientCredentials }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := jwtBearerConfig(srv.URL, srv.URL)
			tc.edit(c)
			var ce *ConfigError
			require.ErrorAs(t, c.Validate(), &ce)
			assert.Equal(t, tc.field, ce.Field)
		})
	}
}
