package oauthtest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// control sends a control API request and returns the status and body.
func controlCall(t *testing.T, s *Server, method, path, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, bytes.NewBufferString(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, err = buf.ReadFrom(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, buf.Bytes()
}

func TestControlAPI(t *testing.T) {
	s := StartT(t, Options{})
	post := func(path, body string) {
		t.Helper()
		status, resp := controlCall(t, s, http.MethodPost, path, body)
		require.Equal(t, http.StatusOK, status, string(resp))
		assert.JSONEq(t, `{"ok":true}`, string(resp))
	}

	ccToken(t, s, url.Values{"scope": {"read"}})
	status, body := controlCall(t, s, http.MethodGet, "/_test/counts", "")
	require.Equal(t, http.StatusOK, status)
	assert.JSONEq(t, `{"token":1,"token_by_grant":{"client_credentials":1},"authorize":0,"metadata":0,"protected":0,"register":0,"device_authorization":0,"device_verification":0,"cimd_fetch":0,"introspect":0,"dpop_proofs":0,"workload_grants":0,"refresh_reuse":0}`, string(body))

	status, body = controlCall(t, s, http.MethodGet, "/_test/token_requests", "")
	require.Equal(t, http.StatusOK, status)
	var reqs []map[string]any
	require.NoError(t, json.Unmarshal(body, &reqs))
	require.Len(t, reqs, 1)
	assert.Equal(t, "client_credentials", reqs[0]["grant"])
	assert.Equal(t, DefaultClientID, reqs[0]["client_id"])
	assert.Equal(t, "client_secret_basic", reqs[0]["auth_method"])
	assert.Equal(t, map[string]any{"grant_type": []any{"client_credentials"}, "scope": []any{"read"}}, reqs[0]["form"])
	assert.NotContains(t, string(body), DefaultClientSecret)

	post("/_test/config", `{"token_lifetime_ms":-1,"latency_ms":5,"refresh_tokens_for_client_credentials":true}`)
	tok := ccToken(t, s, url.Values{})
	assert.NotContains(t, tok, "expires_in")
	assert.Contains(t, tok, "refresh_token")

	post("/_test/fail", `{"count":2,"status":429,"body":"{}","header":{"Retry-After":"3"}}`)
	for range 2 {
		status, _, resp := postToken(t, s, ccCall)
		assert.Equal(t, 429, status)
		assert.Equal(t, "3", resp.Header.Get("Retry-After"))
	}
	post("/_test/fail", `{"mode":"hang"}`) // count defaults to 1
	_, _, err := rawToken(&http.Client{Timeout: 100 * time.Millisecond}, s)
	assert.Error(t, err)

	post("/_test/deny", `{"error":"access_denied"}`)
	assert.Equal(t, "access_denied", redirectParams(t, authorize(t, s, authorizeQuery())).Get("error"))
	post("/_test/deny", `{"error":""}`)
	authorizationCode(t, s, authorizeQuery())

	post("/_test/revoke_access_tokens", "")
	resp, _ := getProtected(t, s, "Bearer "+tok["access_token"].(string))
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	post("/_test/revoke_refresh_tokens", "")
	status, _, _ = postToken(t, s, tokenCall{
		form:    url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok["refresh_token"].(string)}},
		basicID: DefaultClientID, basicSecret: DefaultClientSecret,
	})
	assert.Equal(t, http.StatusBadRequest, status)

	// Reset restores the startup configuration and zeroes the counts.
	s.FailNext(1, Failure{Status: 500})
	s.DenyAuthorization("access_denied")
	post("/_test/reset", "")
	assert.Equal(t, Counts{TokenByGrant: map[string]int{}}, s.Counts())
	assert.Empty(t, s.TokenRequests())
	assert.Contains(t, ccToken(t, s, url.Values{}), "expires_in")
	authorizationCode(t, s, authorizeQuery())
}

func TestControlAPIErrors(t *testing.T) {
	s := StartT(t, Options{})
	tests := []struct {
		method, path, body string
		wantStatus         int
	}{
		{http.MethodPost, "/_test/config", `{"latency":5}`, 400},
		{http.MethodPost, "/_test/config", `{"latency_ms":-5}`, 400},
		{http.MethodPost, "/_test/config", `not json`, 400},
		{http.MethodPost, "/_test/fail", `{"mode":"explode"}`, 400},
		{http.MethodPost, "/_test/fail", `{"count":-1}`, 400},
		{http.MethodPost, "/_test/deny", `{}`, 400},
		{http.MethodGet, "/_test/reset", ``, 405},
		{http.MethodPost, "/_test/counts", ``, 405},
	}
	for _, tt := range tests {
		t.Run(tt.path+" "+tt.body, func(t *testing.T) {
			status, body := controlCall(t, s, tt.method, tt.path, tt.body)
			assert.Equal(t, tt.wantStatus, status, string(body))
		})
	}
	// Nothing was changed by the refused requests.
	status, _, _ := postToken(t, s, ccCall)
	assert.Equal(t, http.StatusOK, status)
}

func TestTokenRequestsAreCopies(t *testing.T) {
	s := StartT(t, Options{})
	ccToken(t, s, url.Values{"scope": {"read"}})
	reqs := s.TokenRequests()
	reqs[0].Form.Set("scope", "changed")
	assert.Equal(t, "read", s.TokenRequests()[0].Form.Get("scope"))

	c := s.Counts()
	c.TokenByGrant["client_credentials"] = 99
	assert.Equal(t, 1, s.Counts().TokenByGrant["client_credentials"])
}
