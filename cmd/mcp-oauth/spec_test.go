package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
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

func TestDPoPFlag(t *testing.T) {
	s := startServer(t, mcptest.Options{DPoP: true})
	e := newEnv(t)
	e.vars[envClientID] = "test-client"
	e.vars[envClientSecret] = "test-secret"
	e.vars["MCP_OAUTH_ISSUER"] = s.AS().Issuer() // the secret's issuer, for a CLI that asks for it
	e.mustRun("call", "--dpop", s.StreamableURL(), "whoami")
	assert.Equal(t, 1, s.AS().Counts().DPoPProofs, "the token request carried a DPoP proof")
	assert.Positive(t, s.Counts().DPoPRequests, "the MCP request presented a DPoP-bound token")
}

func TestWorkloadTokenFile(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	s := startServer(t, mcptest.Options{AS: oauthtest.Options{WorkloadIdentityKey: &key.PublicKey}})
	file := filepath.Join(t.TempDir(), "jwt")
	require.NoError(t, os.WriteFile(file, []byte(signedJWT(t, key, s.AS().Issuer())), 0o600))
	e := newEnv(t)
	out := e.mustRun("call", "--workload-token-file", file, s.StreamableURL(), "whoami").stdout
	assert.Contains(t, out, "workload:ci-job")
	assert.Equal(t, 1, s.AS().Counts().WorkloadGrants)
	assert.Zero(t, s.AS().Counts().Authorize, "no user involved")

	r := e.run("token", "--workload-token-file", file, "--workload-token-command", "cat "+file, s.StreamableURL())
	assert.Equal(t, exitUsage, r.code)
}

// signedJWT is a workload identity token for the test authorization server.
func signedJWT(t *testing.T, key *ecdsa.PrivateKey, aud string) string {
	t.Helper()
	enc := base64.RawURLEncoding.EncodeToString
	header, _ := json.Marshal(map[string]string{"alg": "ES256", "typ": "JWT"})
	claims, _ := json.Marshal(map[string]any{"iss": "https://ci.example", "sub": "ci-job", "aud": aud, "exp": time.Now().Add(time.Hour).Unix()})
	input := enc(header) + "." + enc(claims)
	digest := sha256.Sum256([]byte(input))
	r, sv, err := ecdsa.Sign(rand.Reader, key, digest[:])
	require.NoError(t, err)
	sig := append(r.FillBytes(make([]byte, 32)), sv.FillBytes(make([]byte, 32))...)
	return input + "." + enc(sig)
}
