package core

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Interoperability with the project's reusable fake authorization server.

// plainClient is a client with its own transport, closed after the test.
func plainClient(t *testing.T) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 5 * time.Second}
}

func TestDiscoverAuthServerAgainstOAuthTest(t *testing.T) {
	tests := []struct {
		name  string
		opts  oauthtest.Options
		check func(t *testing.T, srv *oauthtest.Server, m *AuthServerMetadata, err error)
	}{
		{"root issuer", oauthtest.Options{}, func(t *testing.T, srv *oauthtest.Server, m *AuthServerMetadata, err error) {
			require.NoError(t, err)
			assert.Equal(t, srv.Issuer()+oauthRoot, m.MetadataURL)
			assert.Equal(t, srv.TokenURL(), m.TokenEndpoint)
			assert.Equal(t, srv.RegistrationURL(), m.RegistrationEndpoint)
			assert.True(t, m.ClientIDMetadataDocumentSupported)
			assert.NoError(t, m.RequirePKCES256())
		}},
		{"path issuer, OIDC path appending only", oauthtest.Options{IssuerPath: "/tenant1", MetadataLocations: []oauthtest.MetadataLocation{oauthtest.MetadataOIDCAppend}},
			func(t *testing.T, srv *oauthtest.Server, m *AuthServerMetadata, err error) {
				require.NoError(t, err)
				assert.Equal(t, srv.URL+oidcAppended, m.MetadataURL)
			}},
		{"path issuer, OIDC path insertion only", oauthtest.Options{IssuerPath: "/tenant1", MetadataLocations: []oauthtest.MetadataLocation{oauthtest.MetadataOIDC}},
			func(t *testing.T, srv *oauthtest.Server, m *AuthServerMetadata, err error) {
				require.NoError(t, err)
				assert.Equal(t, srv.URL+oidcInserted, m.MetadataURL)
			}},
		{"no PKCE advertised", oauthtest.Options{OmitCodeChallengeMethods: true},
			func(t *testing.T, _ *oauthtest.Server, m *AuthServerMetadata, err error) {
				require.NoError(t, err)
				require.ErrorIs(t, m.RequirePKCES256(), ErrPKCES256Unsupported)
			}},
		{"no metadata", oauthtest.Options{NoMetadata: true},
			func(t *testing.T, _ *oauthtest.Server, _ *AuthServerMetadata, err error) {
				require.ErrorIs(t, err, ErrMetadataNotFound)
			}},
		{"no registration, no CIMD", oauthtest.Options{DisableRegistration: true, DisableClientIDMetadataDocuments: true},
			func(t *testing.T, _ *oauthtest.Server, m *AuthServerMetadata, err error) {
				require.NoError(t, err)
				require.ErrorIs(t, ChooseClientIdentity(ClientIdentityConfig{ClientMetadataURL: "https://app.example.com/c.json"}, m).Err, ErrNoClientIdentity)
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := oauthtest.StartT(t, tc.opts)
			m, err := DiscoverAuthServer(context.Background(), plainClient(t), srv.Issuer())
			tc.check(t, srv, m, err)
		})
	}
}

func TestLegacyDefaultsAgainstOAuthTest(t *testing.T) {
	srv := oauthtest.StartT(t, oauthtest.Options{NoMetadata: true})
	m, err := LegacyAuthServerMetadata(context.Background(), plainClient(t), srv.URL+"/mcp")
	require.NoError(t, err)
	assert.True(t, m.Defaulted)
	assert.Equal(t, srv.TokenURL(), m.TokenEndpoint)
	assert.Equal(t, srv.AuthorizeURL(), m.AuthorizationEndpoint)
	assert.Equal(t, srv.RegistrationURL(), m.RegistrationEndpoint)
}

func TestRegisterClientAgainstOAuthTest(t *testing.T) {
	srv := oauthtest.StartT(t, oauthtest.Options{})
	ctx := context.Background()

	t.Run("public native client", func(t *testing.T) {
		rc, err := RegisterClient(ctx, plainClient(t), srv.RegistrationURL(), ClientRegistration{
			RedirectURIs: []string{"http://127.0.0.1:33418/callback"}, ClientName: "mcp-oauth test",
		})
		require.NoError(t, err)
		assert.Equal(t, AuthNone, rc.TokenEndpointAuthMethod)
		assert.Empty(t, rc.ClientSecret)
		regs := srv.Registrations()
		require.NotEmpty(t, regs)
		sent := regs[len(regs)-1].Metadata
		assert.Equal(t, "native", sent.ApplicationType)
		assert.Equal(t, []string{"authorization_code", "refresh_token"}, sent.GrantTypes)
		assert.Equal(t, []string{"code"}, sent.ResponseTypes)
	})

	t.Run("confidential machine client gets a token", func(t *testing.T) {
		rc, err := RegisterClient(ctx, plainClient(t), srv.RegistrationURL(), ClientRegistration{
			GrantTypes: []string{GrantClientCredentials}, Confidential: true, ClientName: "machine",
		})
		require.NoError(t, err)
		require.NotEmpty(t, rc.ClientSecret)
		m := newManager(t, &Config{ClientID: rc.ClientID, ClientSecret: rc.ClientSecret, TokenURL: srv.TokenURL(), TokenEndpointAuthMethod: rc.TokenEndpointAuthMethod})
		snap, err := m.Token(ctx)
		require.NoError(t, err)
		assert.NotEmpty(t, snap.AccessToken)
	})

	t.Run("rejection", func(t *testing.T) {
		srv.DenyRegistration("invalid_redirect_uri")
		t.Cleanup(func() { srv.DenyRegistration("") })
		_, err := RegisterClient(ctx, plainClient(t), srv.RegistrationURL(), ClientRegistration{RedirectURIs: []string{"http://127.0.0.1/cb"}})
		var re *RegistrationError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, "invalid_redirect_uri", re.ErrorCode)
		assert.Equal(t, http.StatusBadRequest, re.StatusCode)
	})
}

func TestJWTAssertionAgainstOAuthTest(t *testing.T) {
	k := testKeys()
	srv := oauthtest.StartT(t, oauthtest.Options{Clients: []oauthtest.Client{
		{ID: "ec-client", PublicKey: &k.ec256.PublicKey},
		{ID: "rsa-client", PublicKey: &k.rsa2048.PublicKey},
	}})
	tests := []struct {
		name, client, alg, aud string
		key                    []byte
	}{
		{"ES256, aud = issuer", "ec-client", AlgES256, srv.Issuer(), pkcs8PEM(t, k.ec256)},
		{"ES256, aud = token endpoint", "ec-client", AlgES256, srv.TokenURL(), pkcs8PEM(t, k.ec256)},
		{"RS256", "rsa-client", AlgRS256, srv.Issuer(), pkcs8PEM(t, k.rsa2048)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assertion, err := NewJWTAssertion(tc.client, tc.aud, tc.key, tc.alg, time.Now())
			require.NoError(t, err)
			form := url.Values{
				"grant_type":            {GrantClientCredentials},
				"client_assertion_type": {ClientAssertionType},
				"client_assertion":      {assertion},
			}
			resp, err := plainClient(t).Post(srv.TokenURL(), "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
			require.NoError(t, err)
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			require.Equal(t, http.StatusOK, resp.StatusCode, "body: %s", body)
			var tok map[string]any
			require.NoError(t, json.Unmarshal(body, &tok))
			assert.NotEmpty(t, tok["access_token"])
		})
	}
}
