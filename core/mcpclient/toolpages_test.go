package mcpclient

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// connectCC connects to url with the test client's credentials at as's
// token endpoint.
func connectCC(t *testing.T, as *oauthtest.Server, url string) *MCPSession {
	t.Helper()
	m := newManager(t, &core.Config{TokenURL: as.TokenURL(), ClientID: oauthtest.DefaultClientID, ClientSecret: oauthtest.DefaultClientSecret})
	s, err := ConnectMCP(context.Background(), m, url, ConnectOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func toolNames(t *testing.T, raw json.RawMessage) []string {
	t.Helper()
	var res struct {
		Tools []struct{ Name string } `json:"tools"`
	}
	require.NoError(t, json.Unmarshal(raw, &res))
	names := []string{}
	for _, tl := range res.Tools {
		names = append(names, tl.Name)
	}
	return names
}

// TestListToolsFollowsEveryPage: a server that serves one tool a page
// (MCP "Pagination") yields the same tools as one that serves them at once.
func TestListToolsFollowsEveryPage(t *testing.T) {
	whole := mcptest.StartT(t, mcptest.Options{})
	paged := mcptest.StartT(t, mcptest.Options{ToolsPageSize: 1})
	all, err := connectCC(t, whole.AS(), whole.StreamableURL()).ListTools(context.Background())
	require.NoError(t, err)
	s := connectCC(t, paged.AS(), paged.StreamableURL())
	first, err := s.Request(context.Background(), "tools/list", nil)
	require.NoError(t, err)
	require.Len(t, toolNames(t, first), 1, "the test server pages")
	pages, err := s.ListTools(context.Background())
	require.NoError(t, err)
	assert.Greater(t, len(toolNames(t, all)), 1)
	assert.Equal(t, toolNames(t, all), toolNames(t, pages))
	assert.NotContains(t, string(pages), "nextCursor")
}

// cursorServer is an MCP server (no authorization) whose tools/list hands
// out the cursor next(n) on its n-th call, forever.
func cursorServer(t *testing.T, next func(n int64) string) string {
	t.Helper()
	srv := mcp.NewServer(&mcp.Implementation{Name: "cursors", Version: "1"}, nil)
	var calls atomic.Int64
	srv.AddReceivingMiddleware(func(h mcp.MethodHandler) mcp.MethodHandler {
		return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
			if method != "tools/list" {
				return h(ctx, method, req)
			}
			n := calls.Add(1)
			return &mcp.ListToolsResult{Tools: []*mcp.Tool{{Name: fmt.Sprint("t", n), InputSchema: map[string]any{"type": "object"}}},
				NextCursor: next(n)}, nil
		}
	})
	hs := httptest.NewServer(mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return srv }, nil))
	t.Cleanup(hs.Close)
	return hs.URL
}

func TestListToolsRepeatedCursorIsAnError(t *testing.T) {
	as := oauthtest.StartT(t, oauthtest.Options{})
	u := cursorServer(t, func(n int64) string { return fmt.Sprint("c", min(n, 3)) })
	_, err := connectCC(t, as, u).ListTools(context.Background())
	var pe *core.ProtocolError
	require.ErrorAs(t, err, &pe)
	assert.Contains(t, pe.Reason, "repeated a cursor")
	assert.Equal(t, core.KindProtocol, core.Classify(err).Kind)
}

// TestListToolsPageLimit pins the documented bound of 1000 pages.
func TestListToolsPageLimit(t *testing.T) {
	require.Equal(t, 1000, MaxToolPages, "documented in include/mcp_oauth.h and docs")
	as := oauthtest.StartT(t, oauthtest.Options{})
	u := cursorServer(t, func(n int64) string { return fmt.Sprint("c", n) })
	_, err := connectCC(t, as, u).ListTools(context.Background())
	var pe *core.ProtocolError
	require.ErrorAs(t, err, &pe)
	assert.Contains(t, pe.Reason, "more than 1000 pages")
}
