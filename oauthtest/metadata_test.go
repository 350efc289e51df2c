package oauthtest

import (
	"net/http"
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
			assert.Equal(t, []any{"authorization_code", "client_credentials", "refresh_token"}, md["grant_types_supported"])
			assert.Equal(t, []any{"S256"}, md["code_challenge_methods_supported"])
			assert.Equal(t, []any{"client_secret_basic", "client_secret_post", "none"}, md["token_endpoint_auth_methods_supported"])
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
