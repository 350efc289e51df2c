package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// TestClientAuthenticationMethod: --auth-method and $MCP_OAUTH_AUTH_METHOD
// choose how a pre-registered client authenticates at the token endpoint
// (a client registered for client_secret_post, issue 16), and
// --private-key-file authenticates with private_key_jwt.
func TestClientAuthenticationMethod(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	s := startServer(t, mcptest.Options{AS: oauthtest.Options{Clients: []oauthtest.Client{
		{ID: "post-client", Secret: "post-secret"},
		{ID: "key-client", PublicKey: &key.PublicKey},
	}}})
	lastMethod := func() string {
		reqs := s.AS().TokenRequests()
		require.NotEmpty(t, reqs)
		return reqs[len(reqs)-1].AuthMethod
	}
	secretEnv := func() *env {
		e := newEnv(t)
		e.vars[envClientID], e.vars[envClientSecret], e.vars[envIssuer] = "post-client", "post-secret", s.AS().URL
		return e
	}

	e := secretEnv()
	e.vars[envAuthMethod] = "client_secret_post"
	e.mustRun("token", s.StreamableURL())
	assert.Equal(t, "client_secret_post", lastMethod(), "from the environment")

	e = secretEnv()
	e.mustRun("token", "--auth-method", "client_secret_post", s.StreamableURL())
	assert.Equal(t, "client_secret_post", lastMethod(), "from the flag")

	e = secretEnv()
	e.mustRun("token", s.StreamableURL())
	assert.Equal(t, "client_secret_basic", lastMethod(), "the library's default")

	der, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	keyFile := filepath.Join(t.TempDir(), "client.pem")
	require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600))
	e = newEnv(t)
	e.vars[envClientID], e.vars[envIssuer] = "key-client", s.AS().URL
	r := e.mustRun("token", "--private-key-file", keyFile, s.StreamableURL())
	assert.Equal(t, "private_key_jwt", lastMethod())
	info, ok := s.AS().Introspect(strings.TrimSpace(r.stdout))
	require.True(t, ok)
	assert.Equal(t, "key-client", info.ClientID)
	e = newEnv(t)
	e.vars[envClientID], e.vars[envIssuer], e.vars[envPrivateKey] = "key-client", s.AS().URL, keyFile
	before := s.AS().Counts().Token
	assert.Contains(t, e.mustRun("call", s.StreamableURL(), "whoami").stdout, `"client_id":"key-client"`)
	assert.Equal(t, before+1, s.AS().Counts().Token)
	assert.Equal(t, "private_key_jwt", lastMethod(), "from $"+envPrivateKey)

	e = secretEnv()
	r = e.run("token", "--auth-method", "client_secret_jwt", s.StreamableURL())
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "token_endpoint_auth_method")
	r = e.run("token", "--private-key-file", filepath.Join(t.TempDir(), "missing.pem"), s.StreamableURL())
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "--private-key-file")
}
