package mcptest

import (
	"net/http"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

func TestProtectedResourceMetadata(t *testing.T) {
	s := StartT(t, Options{})
	for path, resource := range map[string]string{
		"/.well-known/oauth-protected-resource/mcp": s.StreamableURL(),
		"/.well-known/oauth-protected-resource/sse": s.SSEURL(),
		"/.well-known/oauth-protected-resource":     s.URL,
	} {
		status, doc := getJSON(t, s.URL+path)
		require.Equal(t, http.StatusOK, status, path)
		assert.Equal(t, map[string]any{
			"resource":                 resource,
			"authorization_servers":    []any{s.AS().Issuer()},
			"scopes_supported":         []any{"mcp:read", "mcp:write"},
			"bearer_methods_supported": []any{"header"},
			"resource_name":            "mcptest",
		}, doc, path)
	}
	assert.NotEqual(t, s.URL, s.AS().URL, "the authorization server has its own port")
	assert.Equal(t, 3, s.Counts().Metadata)

	status, md := getJSON(t, s.AS().URL+"/.well-known/oauth-authorization-server")
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, []any{"mcp:read", "mcp:write", "offline_access"}, md["scopes_supported"])
}

func TestMetadataOptions(t *testing.T) {
	prm := "/.well-known/oauth-protected-resource/mcp"

	s := StartT(t, Options{PRMResource: "https://elsewhere.example/mcp", OmitPRMScopes: true})
	status, doc := getJSON(t, s.URL+prm)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "https://elsewhere.example/mcp", doc["resource"])
	assert.NotContains(t, doc, "scopes_supported")

	s = StartT(t, Options{NoPRM: true})
	for _, p := range []string{prm, "/.well-known/oauth-protected-resource"} {
		status, _ = getJSON(t, s.URL+p)
		assert.Equal(t, http.StatusNotFound, status, p)
	}

	s = StartT(t, Options{AS: oauthtest.Options{IssuerPath: "/tenant1", ScopesSupported: []string{"mcp:read", "mcp:write"}}})
	_, doc = getJSON(t, s.URL+prm)
	assert.Equal(t, []any{s.AS().URL + "/tenant1"}, doc["authorization_servers"])
	status, md := getJSON(t, s.AS().URL+"/.well-known/oauth-authorization-server/tenant1")
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, []any{"mcp:read", "mcp:write"}, md["scopes_supported"])
}

func TestCoHostedAuthorizationServer(t *testing.T) {
	s := StartT(t, Options{CoHostAS: true, NoPRM: true})
	assert.Equal(t, s.URL, s.AS().URL)

	// MCP 2025-03-26: no PRM, the metadata is at the MCP server's origin.
	status, md := getJSON(t, s.URL+"/.well-known/oauth-authorization-server")
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, s.URL, md["issuer"])
	status, _ = getJSON(t, s.URL+"/.well-known/oauth-protected-resource")
	assert.Equal(t, http.StatusNotFound, status)

	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			httpClient := ccConfig(s, "mcp:read", tr.url(s)).Client(t.Context())
			cs, err := connect(t, tr.make(tr.url(s), httpClient))
			require.NoError(t, err)
			res, err := callTool(t, cs, "echo", map[string]any{"text": "co-hosted"})
			require.NoError(t, err)
			assert.Equal(t, "co-hosted", text(t, res))
		})
	}
	status, _ = getJSON(t, s.URL+"/_test/counts")
	assert.Equal(t, http.StatusOK, status, "the AS control API is on the shared origin")
	status, _ = getJSON(t, s.URL+"/_test/mcp_counts")
	assert.Equal(t, http.StatusOK, status)
}

func TestCoHostedWithPRM(t *testing.T) {
	s := StartT(t, Options{CoHostAS: true, AS: oauthtest.Options{IssuerPath: "/auth"}})
	_, doc := getJSON(t, s.URL+"/.well-known/oauth-protected-resource/mcp")
	assert.Equal(t, []any{s.URL + "/auth"}, doc["authorization_servers"])
	status, md := getJSON(t, s.URL+"/.well-known/oauth-authorization-server/auth")
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, s.URL+"/auth", md["issuer"])
}

func TestStartErrors(t *testing.T) {
	for _, opts := range []Options{
		{Addr: "256.0.0.1:0"},
		{AS: oauthtest.Options{IssuerPath: "bad"}},
		{CoHostAS: true, AS: oauthtest.Options{IssuerPath: "bad"}},
	} {
		s, err := Start(opts)
		if s != nil {
			s.Close()
		}
		assert.Error(t, err)
	}
}

func TestCloseEndsSessions(t *testing.T) {
	for _, cohost := range []bool{false, true} {
		s, err := Start(Options{CoHostAS: cohost})
		require.NoError(t, err)
		var sessions []*mcp.ClientSession
		for _, tr := range transports {
			httpClient := ccConfig(s, "mcp:read", tr.url(s)).Client(t.Context())
			cs, err := connect(t, tr.make(tr.url(s), httpClient))
			require.NoError(t, err)
			sessions = append(sessions, cs)
		}
		s.Close()
		s.Close() // idempotent
		for _, cs := range sessions {
			_, err := callTool(t, cs, "echo", map[string]any{"text": "x"})
			assert.Error(t, err)
		}
	}
}
