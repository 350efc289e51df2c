package oauthtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testProof signs a DPoP proof with key; claims override the defaults.
func testProof(t *testing.T, key *ecdsa.PrivateKey, claims map[string]any) string {
	t.Helper()
	enc := base64.RawURLEncoding.EncodeToString
	jwk := map[string]string{"kty": "EC", "crv": "P-256",
		"x": enc(key.X.FillBytes(make([]byte, 32))), "y": enc(key.Y.FillBytes(make([]byte, 32)))}
	header, _ := json.Marshal(map[string]any{"typ": "dpop+jwt", "alg": "ES256", "jwk": jwk})
	c := map[string]any{"jti": rand.Text(), "htm": "POST", "iat": time.Now().Unix()}
	for k, v := range claims {
		c[k] = v
	}
	payload, _ := json.Marshal(c)
	input := enc(header) + "." + enc(payload)
	digest := sha256.Sum256([]byte(input))
	r, s, err := ecdsa.Sign(rand.Reader, key, digest[:])
	require.NoError(t, err)
	return input + "." + enc(append(r.FillBytes(make([]byte, 32)), s.FillBytes(make([]byte, 32))...))
}

func TestDPoPTokenRequests(t *testing.T) {
	s := StartT(t, Options{DPoP: true, DPoPRequireNonce: true})
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	call := func(proof string) (int, map[string]any, *http.Response) {
		return postToken(t, s, tokenCall{form: url.Values{"grant_type": {"client_credentials"}},
			basicID: DefaultClientID, basicSecret: DefaultClientSecret, extraHeaders: map[string]string{"DPoP": proof}})
	}

	status, body, resp := call(testProof(t, key, map[string]any{"htu": s.TokenURL()}))
	require.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "use_dpop_nonce", body["error"])
	nonce := resp.Header.Get("DPoP-Nonce")
	require.NotEmpty(t, nonce)

	proof := testProof(t, key, map[string]any{"htu": s.TokenURL(), "nonce": nonce})
	status, body, _ = call(proof)
	require.Equal(t, http.StatusOK, status, body)
	assert.Equal(t, "DPoP", body["token_type"])
	info, ok := s.Introspect(body["access_token"].(string))
	require.True(t, ok)
	assert.NotEmpty(t, info.JKT, "the token is bound to the proof's key")

	for _, tc := range []struct {
		name  string
		proof string
	}{
		{"replayed jti", proof},
		{"wrong htu", testProof(t, key, map[string]any{"htu": s.URL + "/other", "nonce": nonce})},
		{"wrong htm", testProof(t, key, map[string]any{"htu": s.TokenURL(), "htm": "GET", "nonce": nonce})},
		{"old iat", testProof(t, key, map[string]any{"htu": s.TokenURL(), "nonce": nonce, "iat": time.Now().Add(-time.Hour).Unix()})},
		{"ath without a token", testProof(t, key, map[string]any{"htu": s.TokenURL(), "nonce": nonce, "ath": "x"})},
		{"not a JWT", "garbage"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body, _ := call(tc.proof)
			assert.Equal(t, http.StatusBadRequest, status)
			assert.Equal(t, "invalid_dpop_proof", body["error"])
		})
	}
	assert.Equal(t, 1, s.Counts().DPoPProofs)
}

func TestWorkloadGrant(t *testing.T) {
	s := StartT(t, Options{IssueWorkloadTokens: true})
	grant := func(assertion string) (int, map[string]any) {
		status, body, _ := postToken(t, s, tokenCall{form: url.Values{
			"grant_type": {grantJWTBearer}, "assertion": {assertion}, "resource": {"https://mcp.example.com/mcp"}}})
		return status, body
	}
	good, err := s.WorkloadToken("job", time.Hour)
	require.NoError(t, err)
	status, body := grant(good)
	require.Equal(t, http.StatusOK, status, body)
	info, ok := s.Introspect(body["access_token"].(string))
	require.True(t, ok)
	assert.Equal(t, "workload:job", info.ClientID)
	assert.Equal(t, []string{"https://mcp.example.com/mcp"}, info.Resource)

	expired, err := s.WorkloadToken("job", -time.Minute)
	require.NoError(t, err)
	other := StartT(t, Options{IssueWorkloadTokens: true})
	foreign, err := other.WorkloadToken("job", time.Hour) // another key, another audience
	require.NoError(t, err)
	for _, bad := range []string{expired, foreign, "a.b.c"} {
		status, body := grant(bad)
		assert.Equal(t, http.StatusBadRequest, status)
		assert.Equal(t, "invalid_grant", body["error"])
	}
	assert.Equal(t, 1, s.Counts().WorkloadGrants)
}
