package core

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// hookSend is what an HTTP client's own auth hook does with the manager (the
// Python and Node adapters do the same through the C ABI): each send gets
// RequestHeaders, each answer goes to NoteDPoPNonce and then Respond.
func hookSend(t *testing.T, m *TokenManager, url, body string) *http.Response {
	t.Helper()
	ctx := context.Background()
	token := ""
	if !m.NeedsChallenge() {
		snap, err := m.Token(ctx)
		require.NoError(t, err)
		token = snap.AccessToken
	}
	previous := 0
	for {
		var resp *http.Response
		for nonceRetried := false; ; nonceRetried = true {
			req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json, text/event-stream")
			headers, err := m.RequestHeaders(req.Method, url, token)
			require.NoError(t, err)
			for k, v := range headers {
				req.Header[k] = v
			}
			resp, err = http.DefaultClient.Do(req)
			require.NoError(t, err)
			if nonceRetried || !m.NoteDPoPNonce(url, token, resp.StatusCode, resp.Header.Values("WWW-Authenticate"),
				resp.Header.Get("DPoP-Nonce")) {
				break
			}
			drain(resp)
		}
		next, err := m.Respond(ctx, Response{Status: resp.StatusCode,
			WWWAuthenticate: resp.Header.Values("WWW-Authenticate"), Token: token, Previous: previous})
		require.NoError(t, err)
		if next == "" {
			return resp
		}
		drain(resp)
		if token != "" {
			previous = resp.StatusCode
		}
		token = next
	}
}

const initializeBody = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",` +
	`"capabilities":{},"clientInfo":{"name":"hook","version":"0"}}}`

func TestRequestHeadersDriveAForeignHTTPClient(t *testing.T) {
	for _, tc := range []struct {
		name   string
		opts   mcptest.Options
		scheme string
	}{
		{"DPoP required, nonces at the AS and the MCP server", mcptest.Options{DPoPRequired: true,
			DPoPRequireNonce: true, AS: oauthtest.Options{DPoPRequireNonce: true}}, "DPoP "},
		{"Bearer", mcptest.Options{}, "Bearer "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := mcptest.StartT(t, tc.opts)
			m := newManager(t, machineConfig(srv))
			resp := hookSend(t, m, srv.StreamableURL(), initializeBody)
			drain(resp)
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			snap, err := m.Token(context.Background())
			require.NoError(t, err)
			h, err := m.RequestHeaders(http.MethodPost, srv.StreamableURL(), snap.AccessToken)
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(h.Get("Authorization"), tc.scheme), h.Get("Authorization"))
			if tc.scheme == "DPoP " {
				assert.NotEmpty(t, h.Get("DPoP"), "a proof with the DPoP scheme")
				assert.Equal(t, 1, srv.Counts().DPoPRequests, "the server took the bound token with a fresh proof and its nonce")
			} else {
				assert.Empty(t, h.Get("DPoP"))
			}
		})
	}
}

func TestRequestHeadersCarryTheConfiguredMCPHeadersAndCheckArguments(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	cfg := machineConfig(srv)
	cfg.MCPHeaders = []string{"X-Tenant: blue"}
	m := newManager(t, cfg)
	h, err := m.RequestHeaders(http.MethodGet, srv.StreamableURL(), "")
	require.NoError(t, err)
	assert.Equal(t, "blue", h.Get("X-Tenant"))
	assert.Empty(t, h.Get("Authorization"), "no token, no Authorization")
	h, err = m.RequestHeaders(http.MethodGet, srv.StreamableURL(), "some-token")
	require.NoError(t, err)
	assert.Equal(t, "Bearer some-token", h.Get("Authorization"), "a token the manager does not hold is sent as Bearer")
	assert.False(t, m.NoteDPoPNonce(srv.StreamableURL(), "some-token", 401,
		[]string{`DPoP error="use_dpop_nonce"`}, "n-1"), "no nonce retry for a Bearer token")
	for _, bad := range []struct{ method, url string }{{"GET", "/relative"}, {"", srv.StreamableURL()}, {"G T", srv.StreamableURL()}} {
		_, err := m.RequestHeaders(bad.method, bad.url, "t")
		var arg *ArgumentError
		assert.ErrorAs(t, err, &arg, "%q %q", bad.method, bad.url)
	}
}
