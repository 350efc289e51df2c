package core

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

var fixedNow = time.Date(2026, 7, 28, 12, 0, 0, 0, time.UTC)

func ptr[T any](v T) *T { return &v }

// machineConfig is a pre-registered confidential client of srv's
// authorization server (bound to its issuer) for its Streamable HTTP
// endpoint.
func machineConfig(srv *mcptest.Server) *Config {
	return &Config{ServerURL: srv.StreamableURL(), ClientID: oauthtest.DefaultClientID,
		ClientSecret: oauthtest.DefaultClientSecret, Issuer: srv.AS().Issuer()}
}

func TestDPoPProofShape(t *testing.T) {
	k, err := newDPoPKey(AlgES256)
	require.NoError(t, err)
	k.rememberNonce("https://mcp.example.com/x", "n-1")
	proof, err := k.proof("POST", "https://mcp.example.com/mcp?key=secret#frag", "tok", fixedNow)
	require.NoError(t, err)
	parts := strings.Split(proof, ".")
	require.Len(t, parts, 3)
	var header struct {
		Typ string            `json:"typ"`
		Alg string            `json:"alg"`
		JWK map[string]string `json:"jwk"`
	}
	var claims dpopClaims
	decodeSegment(t, parts[0], &header)
	decodeSegment(t, parts[1], &claims)
	assert.Equal(t, "dpop+jwt", header.Typ)
	assert.Equal(t, "ES256", header.Alg)
	assert.NotContains(t, header.JWK, "d", "the private key never leaves")
	assert.Equal(t, "https://mcp.example.com/mcp", claims.Htu, "htu has no query or fragment (RFC 9449 §4.2)")
	assert.Equal(t, "POST", claims.Htm)
	assert.Equal(t, fixedNow.Unix(), claims.Iat)
	assert.Equal(t, "n-1", claims.Nonce, "the origin's nonce")
	assert.Equal(t, "GnZ0607njffhrEOak8P6jjyUV4TU3sn9jjARc4svHWI", claims.Ath, "ath = base64url(SHA-256(\"tok\"))")
	again, _ := k.proof("POST", "https://mcp.example.com/mcp", "tok", fixedNow)
	var c2 dpopClaims
	decodeSegment(t, strings.Split(again, ".")[1], &c2)
	assert.NotEqual(t, claims.Jti, c2.Jti, "a fresh jti per proof")
	assert.False(t, k.rememberNonce("https://mcp.example.com/", "n-1"), "the same nonce is not new")
	assert.False(t, k.rememberNonce("https://mcp.example.com/", "bad nonce"), "a nonce must be NQCHAR")
}

func decodeSegment(t *testing.T, seg string, v any) {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(seg)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, v))
}

func TestMCPDPoPEndToEnd(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts mcptest.Options
	}{
		{"required, nonces at the AS and the MCP server", mcptest.Options{DPoPRequired: true, DPoPRequireNonce: true,
			AS: oauthtest.Options{DPoPRequireNonce: true}}},
		{"offered beside Bearer, advertised by the AS", mcptest.Options{DPoP: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := mcptest.StartT(t, tc.opts)
			m := newManager(t, machineConfig(srv))
			s, err := sdkConnect(context.Background(), t, m, srv.StreamableURL(), false)
			require.NoError(t, err)
			defer s.Close()
			assert.Equal(t, "one", sdkEcho(t, s, "one"))
			assert.Equal(t, "two", sdkEcho(t, s, "two"))
			snap, err := m.Token(context.Background())
			require.NoError(t, err)
			assert.Equal(t, TokenTypeDPoP, snap.TokenType)
			assert.Equal(t, 1, srv.AS().Counts().DPoPProofs, "one DPoP token request succeeded")
			assert.GreaterOrEqual(t, srv.Counts().DPoPRequests, 3, "every MCP request had a valid, fresh proof")
		})
	}
}

func TestMCPDPoPUserClientRefreshesWithProof(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{DPoPRequired: true})
	m := newManager(t, &Config{ServerURL: srv.StreamableURL(), Scopes: []string{"mcp:read", "offline_access"}})
	_, err := sdkConnect(context.Background(), t, m, srv.StreamableURL(), false)
	require.ErrorIs(t, err, ErrAuthorizationRequired)
	req, err := m.BeginAuthorization(context.Background(), "")
	require.NoError(t, err)
	snap, err := m.CompleteAuthorization(context.Background(), follow(t, req.URL))
	require.NoError(t, err)
	assert.Equal(t, TokenTypeDPoP, snap.TokenType)
	s, err := sdkConnect(context.Background(), t, m, srv.StreamableURL(), false)
	require.NoError(t, err)
	defer s.Close()
	srv.AS().RevokeAccessTokens() // the next request is refused: refresh, bound to the same key
	assert.Equal(t, "after refresh", sdkEcho(t, s, "after refresh"))
	assert.Equal(t, 1, srv.AS().Counts().TokenByGrant["refresh_token"])
	assert.Equal(t, 2, srv.AS().Counts().DPoPProofs, "the refresh carried a proof of the key")
}

func TestDPoPNeverDowngraded(t *testing.T) {
	t.Run("Bearer answered to a DPoP token request", func(t *testing.T) {
		fake := newFakeEndpoint(t, func(int64, url.Values) (int, any) { return 200, bearer("plain", 3600) })
		cfg := clientCredentials(fake.URL)
		cfg.DPoP = ptr(true)
		m := newManager(t, cfg)
		_, err := m.Token(context.Background())
		var pe *ProtocolError
		require.ErrorAs(t, err, &pe)
		assert.Contains(t, pe.Reason, "Bearer token where a DPoP-bound token was requested")
		assert.NotEmpty(t, fake.headers[0].Get("DPoP"), "the request carried a proof")
	})
	t.Run("dpop false against a server requiring it", func(t *testing.T) {
		srv := mcptest.StartT(t, mcptest.Options{DPoPRequired: true})
		cfg := machineConfig(srv)
		cfg.DPoP = ptr(false)
		m := newManager(t, cfg)
		_, err := sdkConnect(context.Background(), t, m, srv.StreamableURL(), false)
		var ce *ConfigError
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, "dpop", ce.Field)
		assert.Zero(t, srv.AS().Counts().Token, "no Bearer token was requested")
	})
}

func TestDPoPKeyPersistedWithItsTokens(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{DPoPRequired: true})
	dir := filepath.Join(t.TempDir(), "store")
	cfg := machineConfig(srv)
	cfg.TokenStoreDir = dir
	first := newManager(t, cfg)
	s, err := sdkConnect(context.Background(), t, first, srv.StreamableURL(), false)
	require.NoError(t, err)
	assert.Equal(t, "x", sdkEcho(t, s, "x"))
	s.Close()
	first.Close()

	entries, err := (&FileStore{Dir: dir}).List()
	require.NoError(t, err)
	require.Len(t, entries, 1)
	assert.Equal(t, TokenTypeDPoP, entries[0].TokenType)
	assert.Contains(t, entries[0].DPoPKey, "PRIVATE KEY")
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	info, err := os.Stat(files[0])
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())

	cfg2 := machineConfig(srv)
	cfg2.TokenStoreDir = dir
	second := newManager(t, cfg2)
	s2, err := sdkConnect(context.Background(), t, second, srv.StreamableURL(), false)
	require.NoError(t, err)
	defer s2.Close()
	assert.Equal(t, "y", sdkEcho(t, s2, "y"), "the restored token works with the restored key")
	assert.Equal(t, 1, srv.AS().Counts().Token, "no new token after the restart")
}

func TestDPoPTestServerRefusesReplayedProof(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{DPoPRequired: true})
	m := newManager(t, machineConfig(srv))
	s, err := sdkConnect(context.Background(), t, m, srv.StreamableURL(), false)
	require.NoError(t, err)
	defer s.Close()
	snap, err := m.Token(context.Background())
	require.NoError(t, err)
	body := `{"jsonrpc":"2.0","id":1,"method":"ping"}`
	newReq := func() *http.Request {
		r, _ := http.NewRequest(http.MethodPost, srv.StreamableURL(), strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Accept", "application/json, text/event-stream")
		return r
	}
	first := newReq()
	require.NoError(t, m.authorizeRequest(first, snap))
	resp, err := http.DefaultClient.Do(first)
	require.NoError(t, err)
	resp.Body.Close()
	assert.NotEqual(t, http.StatusUnauthorized, resp.StatusCode)
	replay := newReq()
	replay.Header = first.Header.Clone()
	resp, err = http.DefaultClient.Do(replay)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "a replayed jti is refused")
	assert.Contains(t, strings.Join(resp.Header.Values("WWW-Authenticate"), " "), "invalid_dpop_proof")
	bearerReq := newReq()
	bearerReq.Header.Set("Authorization", "Bearer "+snap.AccessToken)
	resp, err = http.DefaultClient.Do(bearerReq)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "a DPoP-bound token is refused as a Bearer token")
}

func TestDPoPSigningAlgHonoured(t *testing.T) {
	for _, tc := range []struct {
		supported []string
		want      string
		fails     bool
	}{
		{nil, AlgES256, false},
		{[]string{}, AlgES256, false},
		{[]string{"RS256", "ES256"}, AlgES256, false},
		{[]string{"PS256", "RS256"}, AlgRS256, false},
		{[]string{"EdDSA", "none"}, "", true},
	} {
		alg, err := dpopAlgFor(tc.supported)
		if tc.fails {
			assert.Error(t, err, "%v", tc.supported)
			continue
		}
		require.NoError(t, err)
		assert.Equal(t, tc.want, alg, "%v", tc.supported)
	}
	k, err := newDPoPKey(AlgES256)
	require.NoError(t, err)
	assert.NoError(t, checkDPoPAlg(k, []string{"ES256"}))
	var pe *ProtocolError
	assert.ErrorAs(t, checkDPoPAlg(k, []string{"RS256"}), &pe, "a supplied ES256 key the server does not accept")
}

func TestDPoPKeyConfig(t *testing.T) {
	k, err := newDPoPKey(AlgRS256)
	require.NoError(t, err)
	cfg := clientCredentials("https://as.example.com/token")
	cfg.DPoPKeyPEM = k.pem
	m := newManager(t, cfg)
	got, err := m.dpopKeyFor(nil)
	require.NoError(t, err)
	assert.Equal(t, AlgRS256, got.alg, "an RSA key signs RS256")
	assert.Equal(t, k.pem, got.pem)

	// The test authorization server verifies the RS256 proof and binds the token.
	srv := oauthtest.StartT(t, oauthtest.Options{DPoP: true})
	rsCfg := &Config{ClientID: oauthtest.DefaultClientID, ClientSecret: oauthtest.DefaultClientSecret,
		TokenURL: srv.TokenURL(), DPoP: ptr(true), DPoPKeyPEM: k.pem}
	snap, err := newManager(t, rsCfg).Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, TokenTypeDPoP, snap.TokenType)
	info, ok := srv.Introspect(snap.AccessToken)
	require.True(t, ok)
	assert.NotEmpty(t, info.JKT)

	for _, tc := range []struct{ name, json string }{
		{"not a key", `{"client_id":"c","client_secret":"s","token_url":"https://as.example.com/t","dpop_key_pem":"nope"}`},
		{"with dpop false", `{"client_id":"c","client_secret":"s","token_url":"https://as.example.com/t","dpop":false,"dpop_key_pem":` + strconvQuote(k.pem) + `}`},
	} {
		_, err := ParseConfig([]byte(tc.json))
		var ce *ConfigError
		require.ErrorAs(t, err, &ce, tc.name)
		assert.Equal(t, "dpop_key_pem", ce.Field, tc.name)
	}
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// BenchmarkDPoPProof measures the proof every DPoP request carries.
func BenchmarkDPoPProof(b *testing.B) {
	k, err := newDPoPKey(AlgES256)
	require.NoError(b, err)
	for b.Loop() {
		if _, err := k.proof("POST", "https://mcp.example.com/mcp", "access-token", fixedNow); err != nil {
			b.Fatal(err)
		}
	}
}
