package oauthtest

import (
	"net/http"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMetadata(t *testing.T) {
	s := StartT(t, Options{})
	for _, path := range []string{metadataPath, openIDConfigurationPath} {
		t.Run(path, func(t *testing.T) {
			resp, err := http.Get(s.URL + path)
			require.NoError(t, err)
			defer resp.Body.Close()
			require.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
			md := decodeBody(t, resp.Body)
			assert.Equal(t, s.Issuer(), md["issuer"])
			assert.Equal(t, s.URL, s.Issuer())
			assert.Equal(t, s.AuthorizeURL(), md["authorization_endpoint"])
			assert.Equal(t, s.TokenURL(), md["token_endpoint"])
			assert.Equal(t, []any{"code"}, md["response_types_supported"])
			assert.Equal(t, []any{"authorization_code", "client_credentials", "refresh_token", GrantDeviceCode}, md["grant_types_supported"])
			assert.Equal(t, s.DeviceAuthorizationURL(), md["device_authorization_endpoint"])
			assert.Equal(t, []any{"S256"}, md["code_challenge_methods_supported"])
			assert.Equal(t, []any{"client_secret_basic", "client_secret_post", "none", "private_key_jwt"}, md["token_endpoint_auth_methods_supported"])
			assert.Equal(t, true, md["authorization_response_iss_parameter_supported"])
			assert.NotEmpty(t, md["scopes_supported"])
		})
	}
	assert.Equal(t, 2, s.Counts().Metadata)
}

func TestStartOptions(t *testing.T) {
	tests := []struct {
		name string
		opts Options
	}{
		{"empty client ID", Options{Clients: []Client{{ID: ""}}}},
		{"duplicate client", Options{Clients: []Client{{ID: "a"}, {ID: "a", Secret: "x"}}}},
		{"relative redirect URI", Options{Clients: []Client{{ID: "a", RedirectURIs: []string{"/cb"}}}}},
		{"redirect URI with fragment", Options{Clients: []Client{{ID: "a", RedirectURIs: []string{"https://app.example/cb#x"}}}}},
		{"bad address", Options{Addr: "256.0.0.1:0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Start(tt.opts)
			if s != nil {
				s.Close()
			}
			assert.Error(t, err)
		})
	}
}

// getMetadata fetches a metadata location and returns the status and, for
// a 200, the document.
func getMetadata(t *testing.T, url string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, nil
	}
	return resp.StatusCode, decodeBody(t, resp.Body)
}

func TestMetadataLocations(t *testing.T) {
	const (
		oauthRoot = "/.well-known/oauth-authorization-server"
		oidcRoot  = "/.well-known/openid-configuration"
		oauthIns  = "/.well-known/oauth-authorization-server/tenant1"
		oidcIns   = "/.well-known/openid-configuration/tenant1"
		oidcApp   = "/tenant1/.well-known/openid-configuration"
	)
	all := []string{oauthRoot, oidcRoot, oauthIns, oidcIns, oidcApp}
	tests := []struct {
		name string
		opts Options
		want []string // the paths that serve metadata
	}{
		{"default", Options{}, []string{oauthRoot, oidcRoot}},
		{"OAuth only", Options{MetadataLocations: []MetadataLocation{MetadataOAuth}}, []string{oauthRoot}},
		{"OIDC only", Options{MetadataLocations: []MetadataLocation{MetadataOIDC, MetadataOIDCAppend}}, []string{oidcRoot}},
		{"issuer path", Options{IssuerPath: "/tenant1"}, []string{oauthIns, oidcIns, oidcApp}},
		{"issuer path, OIDC insertion", Options{IssuerPath: "/tenant1", MetadataLocations: []MetadataLocation{MetadataOIDC}}, []string{oidcIns}},
		{"issuer path, OIDC appended", Options{IssuerPath: "/tenant1", MetadataLocations: []MetadataLocation{MetadataOIDCAppend}}, []string{oidcApp}},
		{"no metadata", Options{NoMetadata: true}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := StartT(t, tt.opts)
			for _, p := range all {
				status, md := getMetadata(t, s.URL+p)
				if !slices.Contains(tt.want, p) {
					assert.Equal(t, http.StatusNotFound, status, p)
					continue
				}
				require.Equal(t, http.StatusOK, status, p)
				assert.Equal(t, s.Issuer(), md["issuer"], p)
			}
			assert.Equal(t, s.URL+tt.opts.IssuerPath, s.Issuer())
		})
	}
}

func TestMetadataOptions(t *testing.T) {
	s := StartT(t, Options{})
	_, md := getMetadata(t, s.URL+metadataPath)
	assert.Equal(t, s.RegistrationURL(), md["registration_endpoint"])
	assert.Equal(t, true, md["client_id_metadata_document_supported"])
	assert.Equal(t, []any{"ES256", "RS256"}, md["token_endpoint_auth_signing_alg_values_supported"])
	assert.Equal(t, []any{"read", "write"}, md["scopes_supported"])

	s = StartT(t, Options{OmitCodeChallengeMethods: true, ScopesSupported: []string{"mcp:read", "offline_access"}})
	_, md = getMetadata(t, s.URL+metadataPath)
	assert.NotContains(t, md, "code_challenge_methods_supported")
	assert.Equal(t, []any{"mcp:read", "offline_access"}, md["scopes_supported"])

	s = StartT(t, Options{ScopesSupported: []string{}})
	_, md = getMetadata(t, s.URL+metadataPath)
	assert.NotContains(t, md, "scopes_supported")
}

func TestIssuerPathInAuthorizationResponse(t *testing.T) {
	s := StartT(t, Options{IssuerPath: "/realms/test"})
	params := redirectParams(t, authorize(t, s, authorizeQuery()))
	assert.Equal(t, s.URL+"/realms/test", params.Get("iss"))
}

func TestStartValidatesOptions(t *testing.T) {
	for _, opts := range []Options{
		{IssuerPath: "tenant1"},
		{IssuerPath: "/"},
		{IssuerPath: "/tenant1/"},
		{IssuerPath: "/a/../b"},
		{IssuerPath: "/t?x=1"},
		{MetadataLocations: []MetadataLocation{"webfinger"}},
		{ScopesSupported: []string{"a b"}},
		{ScopesSupported: []string{""}},
	} {
		_, err := Start(opts)
		assert.Error(t, err, "%+v", opts)
	}
}
