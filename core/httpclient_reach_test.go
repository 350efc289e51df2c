package core

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSharedPoolKeepsReachRulesApart: managers share connections only where
// their network-reach rules agree. Manager A is configured with a loopback
// token endpoint (its host trusted); manager B's MCP server is a public
// name, so a URL it learned may not lead to loopback. A's idle connection to
// 127.0.0.1 must not serve B: B's request is dialled under B's rule and
// refused, and the server sees neither a second connection nor a second
// request. (With one pool per CA set alone, B reused A's connection and
// reached loopback.)
func TestSharedPoolKeepsReachRulesApart(t *testing.T) {
	var conns, requests atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		requests.Add(1)
		_, _ = io.WriteString(w, "ok")
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)

	a := newManager(t, &Config{ClientID: "client", ClientSecret: "s3cr3t-value", TokenURL: srv.URL + "/token"})
	b := newManager(t, &Config{ServerURL: "https://mcp.example.com/mcp"})
	get := func(m *TokenManager) error {
		req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL+"/", nil)
		require.NoError(t, err)
		resp, err := m.client.Do(req)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.Body.Close()
	}

	require.NoError(t, get(a), "a configured loopback host is reachable")
	require.Equal(t, int32(1), conns.Load())
	err := get(b)
	var ue *DiscoveryURLError
	if assert.ErrorAs(t, err, &ue, "B must not reach loopback, got %v", err) {
		assert.Contains(t, ue.Reason, "loopback")
	}
	assert.Equal(t, int32(1), requests.Load(), "B's request reached the server")
	assert.Equal(t, int32(1), conns.Load())
	require.NoError(t, get(a), "A still reuses its own connection")
	assert.Equal(t, int32(1), conns.Load())
}
