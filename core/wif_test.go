package core

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// workloadServer is an MCP server whose authorization server trusts
// workload JWTs signed by the returned key.
func workloadServer(t *testing.T) (*mcptest.Server, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	srv := mcptest.StartT(t, mcptest.Options{AS: oauthtest.Options{
		WorkloadIdentityKey: &key.PublicKey, WorkloadIdentityIssuer: "https://k8s.example",
	}})
	return srv, key
}

// workloadJWT signs a workload identity token for the test AS.
func workloadJWT(t *testing.T, key *ecdsa.PrivateKey, aud, sub string, exp time.Time) string {
	t.Helper()
	header, _ := json.Marshal(map[string]string{"alg": "ES256", "typ": "JWT"})
	claims, _ := json.Marshal(map[string]any{"iss": "https://k8s.example", "sub": sub, "aud": aud, "exp": exp.Unix(), "iat": time.Now().Unix()})
	input := jwsB64(header) + "." + jwsB64(claims)
	sig, err := signJWS(key, AlgES256, []byte(input))
	require.NoError(t, err)
	return input + "." + jwsB64(sig)
}

func TestMCPWorkloadIdentityFromFileFollowsRotation(t *testing.T) {
	srv, key := workloadServer(t)
	file := filepath.Join(t.TempDir(), "token")
	require.NoError(t, os.WriteFile(file, []byte(workloadJWT(t, key, srv.AS().Issuer(), "pod-a", time.Now().Add(time.Hour))+"\n"), 0o600))
	m := newManager(t, &Config{ServerURL: srv.StreamableURL(), WorkloadIdentityTokenFile: file})
	assert.Equal(t, GrantJWTBearer, m.Config().GrantType, "a workload identity source selects the jwt-bearer grant")
	s, err := sdkConnect(context.Background(), t, m, srv.StreamableURL(), false)
	require.NoError(t, err)
	defer s.Close()
	assert.Equal(t, "a", sdkEcho(t, s, "a"))

	rotated := workloadJWT(t, key, srv.AS().Issuer(), "pod-a", time.Now().Add(2*time.Hour))
	require.NoError(t, os.WriteFile(file, []byte(rotated), 0o600))
	srv.AS().RevokeAccessTokens()
	assert.Equal(t, "b", sdkEcho(t, s, "b"), "a new token from the rotated file")

	reqs := srv.AS().TokenRequests()
	require.Len(t, reqs, 2)
	for _, r := range reqs {
		assert.Equal(t, grantTypeJWTBearer, r.Grant)
		assert.Equal(t, srv.StreamableURL(), r.Form.Get("resource"), "RFC 8707 resource")
		assert.Empty(t, r.ClientID, "no client identity was invented")
	}
	assert.Equal(t, rotated, reqs[1].Form.Get("assertion"), "the file is read again")
	assert.Equal(t, 2, srv.AS().Counts().WorkloadGrants)
}

func TestMCPWorkloadIdentityFromCommandAndCallback(t *testing.T) {
	srv, key := workloadServer(t)
	jwt := workloadJWT(t, key, srv.AS().Issuer(), "job-1", time.Now().Add(time.Hour))
	file := filepath.Join(t.TempDir(), "token")
	require.NoError(t, os.WriteFile(file, []byte(jwt), 0o600))

	cmd := newManager(t, &Config{ServerURL: srv.StreamableURL(), ClientID: "workload-client",
		WorkloadIdentityTokenCommand: []string{"cat", file}})
	s, err := sdkConnect(context.Background(), t, cmd, srv.StreamableURL(), false)
	require.NoError(t, err)
	assert.Equal(t, "cmd", sdkEcho(t, s, "cmd"))
	s.Close()
	assert.Equal(t, "workload-client", srv.AS().TokenRequests()[0].ClientID, "a configured client_id is sent")

	calls := 0
	cb, err := NewTokenManager(&Config{ServerURL: srv.StreamableURL()}, WithWorkloadIdentity(func(context.Context) (string, error) {
		calls++
		return jwt, nil
	}))
	require.NoError(t, err)
	defer cb.Close()
	s, err = sdkConnect(context.Background(), t, cb, srv.StreamableURL(), false)
	require.NoError(t, err)
	defer s.Close()
	assert.Equal(t, "cb", sdkEcho(t, s, "cb"))
	assert.Equal(t, 1, calls, "the token is cached: one assertion")
}

func TestWorkloadIdentityRefusedIsNotRetried(t *testing.T) {
	srv, key := workloadServer(t)
	m := newManager(t, &Config{ServerURL: srv.StreamableURL(),
		WorkloadIdentityToken: workloadJWT(t, key, "https://elsewhere.example", "pod", time.Now().Add(time.Hour))})
	_, err := m.Token(context.Background())
	var oe *OAuthError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, "invalid_grant", oe.ErrorCode)
	assert.Equal(t, 1, srv.AS().Counts().Token, "no retry, no other grant")
}

func TestWorkloadIdentityConfig(t *testing.T) {
	for _, tc := range []struct {
		name, json, field string
	}{
		{"two sources", `{"server_url":"https://mcp.example.com","workload_identity_token":"a.b.c","workload_identity_token_file":"/t"}`, "workload_identity_token_file"},
		{"another grant", `{"server_url":"https://mcp.example.com","grant_type":"authorization_code","workload_identity_token":"a.b.c"}`, "workload_identity_token"},
		{"with the cross-app members", `{"client_id":"c","server_url":"https://mcp.example.com","idp_token_endpoint":"https://idp.example.com/token","idp_client_id":"i","idp_id_token":"x","workload_identity_token":"a.b.c"}`, "workload_identity_token"},
		{"empty command", `{"server_url":"https://mcp.example.com","workload_identity_token_command":[""]}`, "workload_identity_token_command"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(tc.json))
			var ce *ConfigError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, tc.field, ce.Field)
		})
	}
	t.Run("missing file", func(t *testing.T) {
		m := newManager(t, &Config{TokenURL: "https://as.example.com/token", WorkloadIdentityTokenFile: filepath.Join(t.TempDir(), "none")})
		_, err := m.Token(context.Background())
		var ce *ConfigError
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, "workload_identity_token_file", ce.Field)
	})
}
