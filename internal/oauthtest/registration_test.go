package oauthtest

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// register posts a registration request and returns the status and body.
func register(t *testing.T, s *Server, body string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Post(s.RegistrationURL(), "application/json", strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return resp.StatusCode, nil
	}
	assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
	return resp.StatusCode, decodeBody(t, resp.Body)
}

func TestRegister(t *testing.T) {
	s := StartT(t, Options{})
	jwks := mustJSON(jwksOf(testECKey()))
	tests := []struct {
		name       string
		body       string
		wantError  string
		wantSecret bool
		wantAuth   string
	}{
		{"public native client", `{"redirect_uris":["http://127.0.0.1:3000/cb"],"token_endpoint_auth_method":"none","client_name":"n","application_type":"native","grant_types":["authorization_code","refresh_token"]}`, "", false, "none"},
		{"default auth method", `{"redirect_uris":["https://app.example/cb"]}`, "", true, "client_secret_basic"},
		{"client_secret_post", `{"redirect_uris":["https://app.example/cb"],"token_endpoint_auth_method":"client_secret_post"}`, "", true, "client_secret_post"},
		{"private_key_jwt", `{"grant_types":["client_credentials"],"response_types":[],"token_endpoint_auth_method":"private_key_jwt","jwks":` + jwks + `}`, "", false, "private_key_jwt"},
		{"private-use scheme", `{"redirect_uris":["com.example.app:/cb"],"token_endpoint_auth_method":"none"}`, "", false, "none"},
		{"unknown fields ignored", `{"redirect_uris":["https://app.example/cb"],"x_custom":1}`, "", true, "client_secret_basic"},
		{"no redirect URIs", `{"token_endpoint_auth_method":"none"}`, "invalid_redirect_uri", false, ""},
		{"relative redirect URI", `{"redirect_uris":["/cb"]}`, "invalid_redirect_uri", false, ""},
		{"redirect URI with fragment", `{"redirect_uris":["https://app.example/cb#f"]}`, "invalid_redirect_uri", false, ""},
		{"non-loopback http", `{"redirect_uris":["http://app.example/cb"]}`, "invalid_redirect_uri", false, ""},
		{"unknown auth method", `{"redirect_uris":["https://app.example/cb"],"token_endpoint_auth_method":"tls_client_auth"}`, "invalid_client_metadata", false, ""},
		{"unknown grant type", `{"redirect_uris":["https://app.example/cb"],"grant_types":["implicit"]}`, "invalid_client_metadata", false, ""},
		{"token response type", `{"redirect_uris":["https://app.example/cb"],"response_types":["token"]}`, "invalid_client_metadata", false, ""},
		{"code grant without code response", `{"redirect_uris":["https://app.example/cb"],"grant_types":["authorization_code"],"response_types":[]}`, "", true, "client_secret_basic"},
		{"code response without code grant", `{"grant_types":["client_credentials"],"response_types":["code"]}`, "invalid_client_metadata", false, ""},
		{"public client_credentials", `{"grant_types":["client_credentials"],"response_types":[],"token_endpoint_auth_method":"none"}`, "invalid_client_metadata", false, ""},
		{"bad application_type", `{"redirect_uris":["https://app.example/cb"],"application_type":"desktop"}`, "invalid_client_metadata", false, ""},
		{"bad scope", `{"redirect_uris":["https://app.example/cb"],"scope":"a  b"}`, "invalid_client_metadata", false, ""},
		{"private_key_jwt without keys", `{"redirect_uris":["https://app.example/cb"],"token_endpoint_auth_method":"private_key_jwt"}`, "invalid_client_metadata", false, ""},
		{"jwks and jwks_uri", `{"redirect_uris":["https://app.example/cb"],"token_endpoint_auth_method":"private_key_jwt","jwks_uri":"https://app.example/jwks","jwks":` + jwks + `}`, "invalid_client_metadata", false, ""},
		{"bad jwks", `{"redirect_uris":["https://app.example/cb"],"token_endpoint_auth_method":"private_key_jwt","jwks":{"keys":[]}}`, "invalid_client_metadata", false, ""},
		{"http jwks_uri", `{"redirect_uris":["https://app.example/cb"],"token_endpoint_auth_method":"private_key_jwt","jwks_uri":"http://app.example/jwks"}`, "invalid_client_metadata", false, ""},
		{"not JSON", `redirect_uris=x`, "invalid_client_metadata", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := register(t, s, tt.body)
			if tt.wantError != "" {
				assert.Equal(t, http.StatusBadRequest, status)
				assert.Equal(t, tt.wantError, body["error"], body)
				return
			}
			require.Equal(t, http.StatusCreated, status, body)
			assert.NotEmpty(t, body["client_id"])
			assert.NotZero(t, body["client_id_issued_at"])
			assert.Equal(t, tt.wantAuth, body["token_endpoint_auth_method"])
			assert.NotEmpty(t, body["grant_types"])
			if tt.wantSecret {
				assert.NotEmpty(t, body["client_secret"])
				assert.Equal(t, float64(0), body["client_secret_expires_at"])
			} else {
				assert.NotContains(t, body, "client_secret")
				assert.NotContains(t, body, "client_secret_expires_at")
			}
		})
	}
	assert.Equal(t, len(tests), s.Counts().Register)
}

func TestRegisterWrongContentType(t *testing.T) {
	s := StartT(t, Options{})
	resp, err := http.Post(s.RegistrationURL(), "application/x-www-form-urlencoded", strings.NewReader(`{}`))
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Equal(t, "invalid_client_metadata", decodeBody(t, resp.Body)["error"])
}

func TestRegisteredClientsWork(t *testing.T) {
	s := StartT(t, Options{})

	// A confidential client: client_credentials with its issued secret.
	status, conf := register(t, s, `{"grant_types":["client_credentials"],"response_types":[],"client_name":"machine","scope":"read"}`)
	require.Equal(t, http.StatusCreated, status, conf)
	id, secret := conf["client_id"].(string), conf["client_secret"].(string)
	status, body, _ := postToken(t, s, tokenCall{form: url.Values{"grant_type": {"client_credentials"}}, basicID: id, basicSecret: secret})
	require.Equal(t, http.StatusOK, status, body)
	status, body, _ = postToken(t, s, tokenCall{form: url.Values{"grant_type": {"client_credentials"}}, basicID: id, basicSecret: "wrong"})
	assert.Equal(t, http.StatusUnauthorized, status, body)

	// A public client: the authorization code flow with its redirect URI.
	status, pub := register(t, s, `{"redirect_uris":["`+testRedirect+`"],"token_endpoint_auth_method":"none","application_type":"native"}`)
	require.Equal(t, http.StatusCreated, status, pub)
	q := authorizeQuery()
	q.Set("client_id", pub["client_id"].(string))
	code := authorizationCode(t, s, q)
	form := exchangeForm(code)
	form.Set("client_id", pub["client_id"].(string))
	status, body, _ = postToken(t, s, tokenCall{form: form})
	require.Equal(t, http.StatusOK, status, body)
	assert.NotEmpty(t, body["refresh_token"])

	// An unregistered redirect URI is refused.
	q.Set("redirect_uri", "http://127.0.0.1:1/other")
	assert.Equal(t, http.StatusBadRequest, authorize(t, s, q).StatusCode)

	// A private_key_jwt client.
	status, jwtClient := register(t, s, `{"grant_types":["client_credentials"],"response_types":[],"token_endpoint_auth_method":"private_key_jwt","jwks":`+mustJSON(jwksOf(testRSAKey()))+`}`)
	require.Equal(t, http.StatusCreated, status, jwtClient)
	jwtID := jwtClient["client_id"].(string)
	form = url.Values{
		"grant_type":            {"client_credentials"},
		"client_assertion_type": {clientAssertionType},
		"client_assertion":      {signJWT(t, testRSAKey(), nil, assertionClaimsFor(jwtID, s.Issuer()))},
	}
	status, body, _ = postToken(t, s, tokenCall{form: form})
	require.Equal(t, http.StatusOK, status, body)
	status, body, _ = postToken(t, s, tokenCall{form: url.Values{"grant_type": {"client_credentials"}, "client_id": {jwtID}, "client_secret": {"x"}}})
	assert.Equal(t, http.StatusUnauthorized, status, body)

	regs := s.Registrations()
	require.Len(t, regs, 3)
	assert.Equal(t, id, regs[0].ClientID)
	assert.Equal(t, "machine", regs[0].Metadata.ClientName)
	assert.Empty(t, regs[0].Metadata.TokenEndpointAuthMethod, "recorded as sent, before defaults")
	assert.Equal(t, "native", regs[1].Metadata.ApplicationType)

	s.RevokeRegistrations()
	status, body, _ = postToken(t, s, tokenCall{form: url.Values{"grant_type": {"client_credentials"}}, basicID: id, basicSecret: secret})
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Equal(t, "invalid_client", body["error"])
}

func TestRegistrationControl(t *testing.T) {
	s := StartT(t, Options{})
	const valid = `{"redirect_uris":["https://app.example/cb"],"application_type":"web"}`

	status, resp := controlCall(t, s, http.MethodPost, "/_test/deny_registration", `{"error":"invalid_client_metadata"}`)
	require.Equal(t, http.StatusOK, status, string(resp))
	status, body := register(t, s, valid)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "invalid_client_metadata", body["error"])

	status, _ = controlCall(t, s, http.MethodPost, "/_test/deny_registration", `{}`)
	assert.Equal(t, http.StatusBadRequest, status)
	s.Reset() // accepts registrations again
	status, body = register(t, s, valid)
	require.Equal(t, http.StatusCreated, status, body)

	status, resp = controlCall(t, s, http.MethodGet, "/_test/registrations", "")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, string(resp), `"application_type":"web"`)
	assert.Contains(t, string(resp), body["client_id"].(string))
	assert.False(t, bytes.Contains(resp, []byte(body["client_secret"].(string))), "no secret in the log")

	status, _ = controlCall(t, s, http.MethodPost, "/_test/revoke_registrations", "")
	require.Equal(t, http.StatusOK, status)
	status, tok, _ := postToken(t, s, tokenCall{form: url.Values{"grant_type": {"client_credentials"}}, basicID: body["client_id"].(string), basicSecret: body["client_secret"].(string)})
	assert.Equal(t, http.StatusUnauthorized, status, tok)
}

func TestRegistrationDisabled(t *testing.T) {
	s := StartT(t, Options{DisableRegistration: true})
	status, _ := register(t, s, `{"redirect_uris":["https://app.example/cb"]}`)
	assert.Equal(t, http.StatusNotFound, status)
	resp, err := http.Get(s.URL + metadataPath)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.NotContains(t, decodeBody(t, resp.Body), "registration_endpoint")
}
