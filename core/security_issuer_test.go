package core

// Rule: a configured client secret or private key is sent only to the
// authorization server that issued it (MCP authorization, "Authorization
// Server Binding"; issue 12 item 1). An attacker's MCP server names its own
// authorization server in its protected resource metadata; the
// authorization server of mcptest is that attacker here, and it accepts the
// client's credentials, so a leak would show as a token request there.

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// TestSecurityDiscoveredCredentialsNeedIssuer: a secret or private key with
// server_url discovery and no issuer is a configuration error naming
// "issuer" and saying why, in every way a configuration is made; nothing is
// contacted.
func TestSecurityDiscoveredCredentialsNeedIssuer(t *testing.T) {
	attacker := mcptest.StartT(t, mcptest.Options{})
	key := string(pkcs8PEM(t, testKeys().ec256))
	for _, tc := range []struct {
		name string
		cfg  *Config
	}{
		{"client secret", &Config{ServerURL: attacker.StreamableURL(), ClientID: oauthtest.DefaultClientID,
			ClientSecret: oauthtest.DefaultClientSecret}},
		{"client secret, authorization code", &Config{ServerURL: attacker.StreamableURL(), ClientID: oauthtest.DefaultClientID,
			ClientSecret: oauthtest.DefaultClientSecret, GrantType: GrantAuthorizationCode}},
		{"private key", &Config{ServerURL: attacker.StreamableURL(), ClientID: oauthtest.DefaultClientID, PrivateKeyPEM: key}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := NewTokenManager(tc.cfg)
			if err == nil {
				_, _ = m.Token(context.Background())
				m.Close()
			}
			var ce *ConfigError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, "issuer", ce.Field)
			assert.Contains(t, ce.Reason, "only to the authorization server that issued them")
			assert.Zero(t, attacker.AS().Counts().Token, "the attacker's authorization server got no credential")
		})
	}
	t.Run("token_url configured: no discovery, no issuer needed", func(t *testing.T) {
		_, err := NewTokenManager(&Config{ServerURL: attacker.StreamableURL(), TokenURL: attacker.AS().TokenURL(),
			ClientID: oauthtest.DefaultClientID, ClientSecret: oauthtest.DefaultClientSecret})
		require.NoError(t, err)
	})
	t.Run("public client: nothing secret to leak", func(t *testing.T) {
		_, err := NewTokenManager(&Config{ServerURL: attacker.StreamableURL(), ClientID: "public-client"})
		require.NoError(t, err)
	})
}

// TestSecurityCredentialsOnlyToTheirIssuer: with issuer configured, an MCP
// server whose metadata names another authorization server is refused with
// a [*ClientIssuerMismatchError] before that server is contacted at all;
// one that lists the client's issuer among others gets it chosen.
func TestSecurityCredentialsOnlyToTheirIssuer(t *testing.T) {
	legit := asServer(t, oauthtest.Options{})
	t.Run("PRM names another authorization server", func(t *testing.T) {
		attacker := mcptest.StartT(t, mcptest.Options{})
		m := newManager(t, &Config{ServerURL: attacker.StreamableURL(), ClientID: oauthtest.DefaultClientID,
			ClientSecret: oauthtest.DefaultClientSecret, Issuer: legit.URL})
		_, err := m.Token(context.Background())
		var me *ClientIssuerMismatchError
		require.ErrorAs(t, err, &me)
		assert.Equal(t, legit.URL, me.ClientIssuer)
		assert.Equal(t, attacker.AS().URL, me.ServerIssuer)
		c := attacker.AS().Counts()
		assert.Zero(t, c.Token+c.Metadata+c.Register, "the other authorization server was not contacted")
		assert.Zero(t, legit.Counts().Token)
	})
	t.Run("2025-03-26 server without metadata answering tokens itself", func(t *testing.T) {
		attacker := mcptest.StartT(t, mcptest.Options{CoHostAS: true, NoPRM: true, AS: oauthtest.Options{NoMetadata: true}})
		m := newManager(t, &Config{ServerURL: attacker.StreamableURL(), ClientID: oauthtest.DefaultClientID,
			ClientSecret: oauthtest.DefaultClientSecret, Issuer: legit.URL})
		_, err := m.Token(context.Background())
		var me *ClientIssuerMismatchError
		require.ErrorAs(t, err, &me)
		assert.Zero(t, attacker.AS().Counts().Token, "the MCP server's own token endpoint got no credential")
	})
	t.Run("PRM lists the client's issuer after another", func(t *testing.T) {
		doc := newDocServer(t)
		server := doc.URL + "/mcp"
		doc.json("/.well-known/oauth-protected-resource/mcp", prmDoc(server, "https://as.other.invalid", legit.URL))
		m := newManager(t, &Config{ServerURL: server, ClientID: oauthtest.DefaultClientID,
			ClientSecret: oauthtest.DefaultClientSecret, Issuer: legit.URL})
		_, err := m.Token(context.Background())
		require.NoError(t, err)
		assert.Equal(t, 1, legit.Counts().Token)
	})
}

// TestSecurityRegisteredClientStaysWithItsIssuer: a dynamically registered
// client (its secret kept in the token store) is bound to the
// authorization server that registered it: when the MCP server later names
// another one, that one gets a registration of its own, never the first
// client's credentials.
func TestSecurityRegisteredClientStaysWithItsIssuer(t *testing.T) {
	// Tokens without expires_in are not served again from the store, so that
	// each run asks its authorization server.
	first := asServer(t, oauthtest.Options{TokenLifetime: -1})
	second := asServer(t, oauthtest.Options{TokenLifetime: -1})
	doc := newDocServer(t)
	server := doc.URL + "/mcp"
	store := filepath.Join(t.TempDir(), "store")
	run := func(as *oauthtest.Server) {
		// Not cached (metadatacache.go), so that each run sees the
		// authorization server the MCP server names now.
		doc.route("/.well-known/oauth-protected-resource/mcp", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cache-Control", "no-store")
			jsonAnswer(http.StatusOK, prmDoc(server, as.URL))(w, r)
		})
		m := newManager(t, &Config{ServerURL: server, GrantType: GrantClientCredentials, TokenStoreDir: store})
		_, err := m.Token(context.Background())
		require.NoError(t, err)
		m.Close()
	}
	run(first)
	run(second)
	require.Len(t, first.TokenRequests(), 1)
	require.Len(t, second.TokenRequests(), 1)
	assert.Equal(t, 1, second.Counts().Register, "the second authorization server registered a client of its own")
	assert.NotEqual(t, first.TokenRequests()[0].ClientID, second.TokenRequests()[0].ClientID)
	run(first) // and back: the first registration is reused where it belongs
	assert.Equal(t, 1, first.Counts().Register)
	assert.Equal(t, first.TokenRequests()[0].ClientID, first.TokenRequests()[len(first.TokenRequests())-1].ClientID)
}
