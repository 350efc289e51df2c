package main

// The C ABI's error JSON (out_error) carries the server's error,
// error_description and error_uri: it must quote no credential either, even
// from an authorization server that echoes the request back (security rule
// "no secret in any error message"; the core side is
// core.TestSecurityNoSecretInErrors).

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

func TestErrorJSONCarriesNoSecret(t *testing.T) {
	srv := oauthtest.StartT(t, oauthtest.Options{})
	echoes := []oauthtest.Failure{
		{Mode: oauthtest.ModeEcho},
		{Mode: oauthtest.ModeEcho, Status: 200, Body: `{"error":"{{request}}","error_uri":"https://as.example/?{{client_secret}}"}`},
		{Mode: oauthtest.ModeEcho, ContentType: "application/x-www-form-urlencoded", Body: "error=invalid_client&error_description={{request}}"},
		{Mode: oauthtest.ModeEcho, Status: 200, Body: `{"access_token":"at-echo-0123456789","token_type":"tt-{{client_secret}}"}`},
	}
	for _, method := range []string{core.AuthClientSecretBasic, core.AuthClientSecretPost} {
		for i, f := range echoes {
			cfg, err := core.ParseConfig([]byte(`{"client_id":"` + oauthtest.DefaultClientID + `","client_secret":"` +
				oauthtest.DefaultClientSecret + `","token_url":"` + srv.TokenURL() + `","token_endpoint_auth_method":"` + method + `"}`))
			require.NoError(t, err)
			m, err := core.NewTokenManager(cfg)
			require.NoError(t, err)
			srv.FailNext(1, f)
			_, err = m.Token(context.Background())
			m.Close()
			require.Error(t, err)
			d := detailsOf(err)
			js, err := json.Marshal(d)
			require.NoError(t, err)
			assert.NotEqual(t, int(statusOf(core.KindInternal)), d.Code, "a typed error: %s", js)
			for _, secret := range []string{oauthtest.DefaultClientSecret, "dGVzdC1jbGllbnQ6dGVzdC1zZWNyZXQ", "at-echo-0123456789"} {
				assert.False(t, strings.Contains(string(js), secret), "%s echo %d: %s contains %q", method, i, js, secret)
			}
		}
	}
}

// TestStatusOfEveryKind: core's error kinds and the header's MCP_OAUTH_E_*
// codes correspond one to one, kind k to code -k (the header's order).
func TestStatusOfEveryKind(t *testing.T) {
	kinds := core.ErrorKinds()
	require.Len(t, kinds, 21, "a kind was added: give it a code in include/mcp_oauth.h and statusOf")
	for _, k := range kinds {
		assert.Equal(t, -int(k), int(statusOf(k)), "kind %d", k)
	}
}
