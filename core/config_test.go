package core

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseConfigDefaults(t *testing.T) {
	c, err := ParseConfig([]byte(`{"client_id":"a","client_secret":"b","token_url":"https://as.example/token","scopes":["mcp:read","mcp:write"]}`))
	require.NoError(t, err)
	assert.Equal(t, GrantClientCredentials, c.GrantType)
	assert.Equal(t, AuthClientSecretBasic, c.TokenEndpointAuthMethod)
	assert.False(t, *c.PKCE)
	assert.Equal(t, 30*time.Second, c.HTTPTimeout(), "documented default")
	assert.Equal(t, 30*time.Second, c.RefreshMargin(), "documented default")

	c, err = ParseConfig([]byte(`{"client_id":"a","token_url":"http://127.0.0.1:9/token","authorize_url":"http://localhost:9/authorize","http_timeout_seconds":1.5,"refresh_margin_seconds":0}`))
	require.NoError(t, err)
	assert.Equal(t, GrantAuthorizationCode, c.GrantType)
	assert.Equal(t, AuthNone, c.TokenEndpointAuthMethod)
	assert.True(t, *c.PKCE)
	assert.Equal(t, "1.5s", c.HTTPTimeout().String())
	assert.Zero(t, c.RefreshMargin())
}

func TestParseConfigErrorsNameTheField(t *testing.T) {
	const ok = `"client_id":"a","client_secret":"b","token_url":"https://as.example/token"`
	for _, tc := range []struct {
		name, json, field string
	}{
		{"malformed", `{`, ""},
		{"not an object", `[]`, ""},
		{"trailing data", `{` + ok + `} {}`, ""},
		{"unknown field", `{` + ok + `,"client_secrt":"x"}`, "client_secrt"},
		{"wrong type string", `{"client_id":1,"token_url":"https://a/t"}`, "client_id"},
		{"wrong type array", `{` + ok + `,"scopes":"mcp:read"}`, "scopes"},
		{"wrong type bool", `{` + ok + `,"pkce":"yes"}`, "pkce"},
		{"missing client_id", `{"token_url":"https://a/t","client_secret":"b"}`, "client_id"},
		{"missing token_url", `{"client_id":"a","client_secret":"b"}`, "token_url"},
		{"http token_url", `{"client_id":"a","client_secret":"b","token_url":"http://as.example/token"}`, "token_url"},
		{"http authorize_url", `{` + ok + `,"authorize_url":"http://as.example/authorize"}`, "authorize_url"},
		{"relative token_url", `{"client_id":"a","client_secret":"b","token_url":"/token"}`, "token_url"},
		{"ftp token_url", `{"client_id":"a","client_secret":"b","token_url":"ftp://as.example/token"}`, "token_url"},
		{"fragment", `{"client_id":"a","client_secret":"b","token_url":"https://as.example/token#x"}`, "token_url"},
		{"userinfo", `{"client_id":"a","client_secret":"b","token_url":"https://u:p@as.example/token"}`, "token_url"},
		{"http issuer", `{` + ok + `,"issuer":"http://as.example"}`, "issuer"},
		{"http redirect", `{` + ok + `,"redirect_uri":"http://app.example/cb"}`, "redirect_uri"},
		{"resource fragment", `{` + ok + `,"resource":"https://mcp.example/#f"}`, "resource"},
		{"resource relative", `{` + ok + `,"resource":"mcp"}`, "resource"},
		{"bad scope", `{` + ok + `,"scopes":["a b"]}`, "scopes"},
		{"empty scope", `{` + ok + `,"scopes":[""]}`, "scopes"},
		{"bad grant", `{` + ok + `,"grant_type":"password"}`, "grant_type"},
		{"code without authorize_url", `{` + ok + `,"grant_type":"authorization_code"}`, "authorize_url"},
		{"client_credentials public", `{"client_id":"a","token_url":"https://a/t"}`, "client_secret"},
		{"basic without secret", `{"client_id":"a","token_url":"https://a/t","authorize_url":"https://a/a","token_endpoint_auth_method":"client_secret_basic"}`, "client_secret"},
		{"none with secret", `{` + ok + `,"token_endpoint_auth_method":"none"}`, "token_endpoint_auth_method"},
		{"bad auth method", `{` + ok + `,"token_endpoint_auth_method":"private_key"}`, "token_endpoint_auth_method"},
		{"pkce off with code flow", `{` + ok + `,"authorize_url":"https://a/a","pkce":false}`, "pkce"},
		{"negative timeout", `{` + ok + `,"http_timeout_seconds":-1}`, "http_timeout_seconds"},
		{"negative margin", `{` + ok + `,"refresh_margin_seconds":-1}`, "refresh_margin_seconds"},
		{"huge redirect_uri", `{` + ok + `,"redirect_uri":"http://127.0.0.1/` + strings.Repeat("a", 9000) + `"}`, "redirect_uri"},
		{"huge token_url", `{"client_id":"a","client_secret":"b","token_url":"https://a/` + strings.Repeat("a", 9000) + `"}`, "token_url"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(tc.json))
			var ce *ConfigError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, tc.field, ce.Field, "error: %v", err)
			assert.NotContains(t, err.Error(), `"b"`, "message leaks the secret")
		})
	}
}

func TestNewTokenManagerCAFile(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.pem")
	require.NoError(t, os.WriteFile(bad, []byte("not a certificate"), 0o600))
	for _, tc := range []struct{ name, path string }{
		{"missing", filepath.Join(dir, "missing.pem")},
		{"no PEM", bad},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := clientCredentials("https://as.example/token")
			cfg.CAFile = tc.path
			_, err := NewTokenManager(cfg)
			var ce *ConfigError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, "ca_file", ce.Field)
		})
	}
}
