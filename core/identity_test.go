package core

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestChooseClientIdentity(t *testing.T) {
	const cimd = "https://app.example.com/oauth/client.json"
	full := &AuthServerMetadata{Issuer: "https://as.example.com", ClientIDMetadataDocumentSupported: true, RegistrationEndpoint: "https://as.example.com/register"}
	dcrOnly := &AuthServerMetadata{Issuer: "https://as.example.com", RegistrationEndpoint: "https://as.example.com/register"}
	cimdOnly := &AuthServerMetadata{Issuer: "https://as.example.com", ClientIDMetadataDocumentSupported: true}
	bare := &AuthServerMetadata{Issuer: "https://as.example.com"}
	defaulted := &AuthServerMetadata{Defaulted: true, RegistrationEndpoint: "https://mcp.example.com/register"}
	tests := []struct {
		name     string
		cfg      ClientIdentityConfig
		asm      *AuthServerMetadata
		want     IdentityKind
		clientID string
		err      func(t *testing.T, err error)
	}{
		{"pre-registered beats everything", ClientIdentityConfig{ClientID: "pre", ClientSecret: "s", ClientMetadataURL: cimd}, full, IdentityPreRegistered, "pre", nil},
		{"pre-registered bound to this issuer", ClientIdentityConfig{ClientID: "pre", ClientIssuer: "https://as.example.com"}, full, IdentityPreRegistered, "pre", nil},
		{"pre-registered without metadata", ClientIdentityConfig{ClientID: "pre"}, nil, IdentityPreRegistered, "pre", nil},
		{"pre-registered with defaulted metadata (no issuer to check)", ClientIdentityConfig{ClientID: "pre", ClientIssuer: "https://mcp.example.com"}, defaulted, IdentityPreRegistered, "pre", nil},
		{"pre-registered bound to another issuer", ClientIdentityConfig{ClientID: "pre", ClientIssuer: "https://old-as.example.com", ClientMetadataURL: cimd}, full, IdentityNone, "",
			func(t *testing.T, err error) {
				var me *ClientIssuerMismatchError
				require.ErrorAs(t, err, &me)
				assert.Equal(t, "https://as.example.com", me.ServerIssuer)
			}},
		{"CIMD when advertised", ClientIdentityConfig{ClientMetadataURL: cimd}, full, IdentityMetadataDocument, cimd, nil},
		{"CIMD only server", ClientIdentityConfig{ClientMetadataURL: cimd}, cimdOnly, IdentityMetadataDocument, cimd, nil},
		{"CIMD not advertised: DCR", ClientIdentityConfig{ClientMetadataURL: cimd}, dcrOnly, IdentityDynamicRegistration, "", nil},
		{"no CIMD configured: DCR", ClientIdentityConfig{}, full, IdentityDynamicRegistration, "", nil},
		{"legacy defaults: DCR at /register", ClientIdentityConfig{}, defaulted, IdentityDynamicRegistration, "", nil},
		{"DCR disabled", ClientIdentityConfig{DisableDynamicRegistration: true}, dcrOnly, IdentityNone, "",
			func(t *testing.T, err error) { require.ErrorIs(t, err, ErrNoClientIdentity) }},
		{"nothing at all", ClientIdentityConfig{ClientMetadataURL: cimd}, bare, IdentityNone, "",
			func(t *testing.T, err error) {
				require.ErrorIs(t, err, ErrNoClientIdentity)
				assert.Contains(t, err.Error(), "no way to identify the client")
			}},
		{"no metadata, no client", ClientIdentityConfig{}, nil, IdentityNone, "",
			func(t *testing.T, err error) { require.ErrorIs(t, err, ErrNoClientIdentity) }},
		{"CIMD URL over http", ClientIdentityConfig{ClientMetadataURL: "http://app.example.com/client.json"}, full, IdentityNone, "", configErrorOn("client_metadata_url")},
		{"CIMD URL without path", ClientIdentityConfig{ClientMetadataURL: "https://app.example.com/"}, full, IdentityNone, "", configErrorOn("client_metadata_url")},
		{"CIMD URL with dot segment", ClientIdentityConfig{ClientMetadataURL: "https://app.example.com/a/../client.json"}, full, IdentityNone, "", configErrorOn("client_metadata_url")},
		{"CIMD URL with fragment", ClientIdentityConfig{ClientMetadataURL: "https://app.example.com/client.json#x"}, full, IdentityNone, "", configErrorOn("client_metadata_url")},
		{"CIMD URL with credentials", ClientIdentityConfig{ClientMetadataURL: "https://u:p@app.example.com/client.json"}, full, IdentityNone, "", configErrorOn("client_metadata_url")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ChooseClientIdentity(tc.cfg, tc.asm)
			assert.Equal(t, tc.want, got.Kind, "kind %v", got.Kind)
			assert.Equal(t, tc.clientID, got.ClientID)
			if tc.err != nil {
				tc.err(t, got.Err)
				return
			}
			require.NoError(t, got.Err)
			switch got.Kind {
			case IdentityDynamicRegistration:
				assert.Equal(t, tc.asm.RegistrationEndpoint, got.RegistrationEndpoint)
			case IdentityPreRegistered:
				assert.Equal(t, tc.cfg.ClientSecret, got.ClientSecret)
			}
		})
	}
}

func configErrorOn(field string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var ce *ConfigError
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, field, ce.Field)
	}
}

func TestIdentityChoiceHidesSecret(t *testing.T) {
	c := ChooseClientIdentity(ClientIdentityConfig{ClientID: "pre", ClientSecret: "cs-SECRET"}, nil)
	require.Equal(t, "cs-SECRET", c.ClientSecret)
	printed := fmt.Sprintf("%v %+v %#v %s", c, c, c, &c)
	assert.NotContains(t, printed, "SECRET")
	assert.Contains(t, printed, `pre-registered, client_id="pre"`)
	assert.Contains(t, ChooseClientIdentity(ClientIdentityConfig{}, nil).String(), "no way to identify")
}

func TestIdentityKindString(t *testing.T) {
	for k, want := range map[IdentityKind]string{
		IdentityNone: "none", IdentityPreRegistered: "pre-registered",
		IdentityMetadataDocument: "client ID metadata document", IdentityDynamicRegistration: "dynamic client registration",
		IdentityKind(99): "none",
	} {
		assert.Equal(t, want, k.String())
	}
}
