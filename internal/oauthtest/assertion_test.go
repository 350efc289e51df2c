package oauthtest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPrivateKeyJWT(t *testing.T) {
	otherKey := must(ecdsa.GenerateKey(elliptic.P256(), rand.Reader))
	s := StartT(t, Options{Clients: []Client{
		{ID: "ec-client", PublicKey: testECKey().Public()},
		{ID: "rsa-client", PublicKey: testRSAKey().Public()},
		{ID: DefaultClientID, Secret: DefaultClientSecret},
	}})
	claims := func(id string, edit func(map[string]any)) map[string]any {
		c := assertionClaimsFor(id, s.Issuer())
		if edit != nil {
			edit(c)
		}
		return c
	}
	set := func(k string, v any) func(map[string]any) { return func(c map[string]any) { c[k] = v } }
	del := func(k string) func(map[string]any) { return func(c map[string]any) { delete(c, k) } }

	tests := []struct {
		name      string
		key       crypto.Signer
		header    map[string]any
		claims    map[string]any
		form      url.Values // added to the request
		wantError string
	}{
		{"ES256", testECKey(), nil, claims("ec-client", nil), nil, ""},
		{"RS256", testRSAKey(), nil, claims("rsa-client", nil), nil, ""},
		{"aud token endpoint", testECKey(), nil, claims("ec-client", set("aud", s.TokenURL())), nil, ""},
		{"aud array", testECKey(), nil, claims("ec-client", set("aud", []string{"x", s.Issuer()})), nil, ""},
		{"with matching client_id", testECKey(), nil, claims("ec-client", nil), url.Values{"client_id": {"ec-client"}}, ""},
		{"with kid", testECKey(), map[string]any{"kid": "k1"}, claims("ec-client", nil), nil, ""},
		{"other client_id", testECKey(), nil, claims("ec-client", nil), url.Values{"client_id": {"rsa-client"}}, "invalid_client"},
		{"wrong key", otherKey, nil, claims("ec-client", nil), nil, "invalid_client"},
		{"RSA key for EC client", testRSAKey(), nil, claims("ec-client", nil), nil, "invalid_client"},
		{"alg none", testECKey(), map[string]any{"alg": "none"}, claims("ec-client", nil), nil, "invalid_client"},
		{"alg HS256", testECKey(), map[string]any{"alg": "HS256"}, claims("ec-client", nil), nil, "invalid_client"},
		{"critical header", testECKey(), map[string]any{"crit": []string{"x"}}, claims("ec-client", nil), nil, "invalid_client"},
		{"wrong aud", testECKey(), nil, claims("ec-client", set("aud", "https://other.example")), nil, "invalid_client"},
		{"iss differs", testECKey(), nil, claims("ec-client", set("iss", "someone")), nil, "invalid_client"},
		{"expired", testECKey(), nil, claims("ec-client", set("exp", time.Now().Add(-time.Second).Unix())), nil, "invalid_client"},
		{"no exp", testECKey(), nil, claims("ec-client", del("exp")), nil, "invalid_client"},
		{"not yet valid", testECKey(), nil, claims("ec-client", set("nbf", time.Now().Add(time.Hour).Unix())), nil, "invalid_client"},
		{"no jti", testECKey(), nil, claims("ec-client", del("jti")), nil, "invalid_client"},
		{"client without key", testECKey(), nil, claims(DefaultClientID, nil), nil, "invalid_client"},
		{"unknown client", testECKey(), nil, claims("nobody", nil), nil, "invalid_client"},
		{"wrong assertion type", testECKey(), nil, claims("ec-client", nil), url.Values{"client_assertion_type": {"jwt"}}, "invalid_request"},
		{"also a secret", testECKey(), nil, claims("ec-client", nil), url.Values{"client_secret": {"x"}}, "invalid_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.ResetCounts()
			form := url.Values{
				"grant_type":            {"client_credentials"},
				"client_assertion_type": {clientAssertionType},
				"client_assertion":      {signJWT(t, tt.key, tt.header, tt.claims)},
			}
			for k, v := range tt.form {
				form[k] = v
			}
			status, body, _ := postToken(t, s, tokenCall{form: form})
			if tt.wantError == "" {
				require.Equal(t, http.StatusOK, status, body)
				assert.NotEmpty(t, body["access_token"])
			} else {
				assert.Equal(t, tt.wantError, body["error"], body)
			}
			reqs := s.TokenRequests()
			require.Len(t, reqs, 1)
			assert.Equal(t, authJWT, reqs[0].AuthMethod)
		})
	}
}

func TestPrivateKeyJWTReplay(t *testing.T) {
	s := StartT(t, Options{Clients: []Client{{ID: "ec-client", PublicKey: testECKey().Public()}}})
	form := url.Values{
		"grant_type":            {"client_credentials"},
		"client_assertion_type": {clientAssertionType},
		"client_assertion":      {signJWT(t, testECKey(), nil, assertionClaimsFor("ec-client", s.Issuer()))},
	}
	status, body, _ := postToken(t, s, tokenCall{form: form})
	require.Equal(t, http.StatusOK, status, body)
	status, body, _ = postToken(t, s, tokenCall{form: form})
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Equal(t, "invalid_client", body["error"])
	assert.Contains(t, body["error_description"], "jti")
}

func TestStartRejectsBadPublicKey(t *testing.T) {
	p384 := must(ecdsa.GenerateKey(elliptic.P384(), rand.Reader))
	for _, key := range []crypto.PublicKey{p384.Public(), "not a key"} {
		_, err := Start(Options{Clients: []Client{{ID: "c", PublicKey: key}}})
		assert.Error(t, err)
	}
}

func TestParseJWKS(t *testing.T) {
	tests := []struct {
		name    string
		jwks    string
		wantErr bool
	}{
		{"EC and RSA", mustJSON(jwksOf(testECKey(), testRSAKey())), false},
		{"encryption key skipped", `{"keys":[` + mustJSON(map[string]any{"kty": "EC", "use": "enc"}) + `,` + mustJSON(publicJWK(testECKey(), "a")) + `]}`, false},
		{"no keys", `{"keys":[]}`, true},
		{"not JSON", `{`, true},
		{"private key", mustJSON(map[string]any{"keys": []any{map[string]any{"kty": "EC", "crv": "P-256", "d": "AA"}}}), true},
		{"unknown kty", `{"keys":[{"kty":"oct","k":"AA"}]}`, true},
		{"P-384", `{"keys":[{"kty":"EC","crv":"P-384","x":"AA","y":"AA"}]}`, true},
		{"short coordinate", `{"keys":[{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}]}`, true},
		{"small RSA", `{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseJWKS([]byte(tt.jwks))
			if tt.wantErr {
				assert.Error(t, err)
			} else {
				assert.NoError(t, err)
			}
		})
	}
}
