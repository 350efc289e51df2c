package mcptest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

func TestToolsOverBothTransports(t *testing.T) {
	s := StartT(t, Options{})
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			httpClient := ccConfig(s, "mcp:read mcp:write", tr.url(s)).Client(t.Context())
			cs, err := connect(t, tr.make(tr.url(s), httpClient))
			require.NoError(t, err)

			tools, err := cs.ListTools(t.Context(), nil)
			require.NoError(t, err)
			var names []string
			for _, tool := range tools.Tools {
				names = append(names, tool.Name)
			}
			slices.Sort(names)
			assert.Equal(t, []string{"add", "ask", "echo", "wait", "whoami", "write_note"}, names)

			res, err := callTool(t, cs, "echo", map[string]any{"text": "hello"})
			require.NoError(t, err)
			assert.Equal(t, "hello", text(t, res))

			res, err = callTool(t, cs, "add", map[string]any{"a": 2, "b": 3.5})
			require.NoError(t, err)
			assert.Equal(t, "5.5", text(t, res))
			assert.Equal(t, map[string]any{"sum": 5.5}, res.StructuredContent)

			res, err = callTool(t, cs, "whoami", map[string]any{})
			require.NoError(t, err)
			assert.Equal(t, map[string]any{
				"client_id": oauthtest.DefaultClientID,
				"subject":   oauthtest.DefaultClientID,
				"scopes":    []any{"mcp:read", "mcp:write"},
			}, res.StructuredContent)

			res, err = callTool(t, cs, "write_note", map[string]any{"text": "note from " + tr.name})
			require.NoError(t, err)
			assert.False(t, res.IsError)
			assert.Contains(t, s.Notes(), "note from "+tr.name)
		})
	}
	c := s.Counts()
	assert.Equal(t, 2, c.ToolCalls["echo"])
	assert.Equal(t, 2, c.ToolCalls["write_note"])
	assert.Zero(t, c.Unauthorized)
	assert.Zero(t, c.Forbidden)
	assert.Positive(t, c.Requests)
}

func TestClientWithoutTokenIsRefused(t *testing.T) {
	s := StartT(t, Options{})
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			_, err := connect(t, tr.make(tr.url(s), nil))
			assert.Error(t, err)
		})
	}
	assert.GreaterOrEqual(t, s.Counts().Unauthorized, 2)
}

func TestStepUp(t *testing.T) {
	s := StartT(t, Options{})
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			readOnly := ccConfig(s, "mcp:read", tr.url(s)).Client(t.Context())
			cs, err := connect(t, tr.make(tr.url(s), readOnly))
			require.NoError(t, err)
			res, err := callTool(t, cs, "echo", map[string]any{"text": "ok"})
			require.NoError(t, err)
			assert.Equal(t, "ok", text(t, res))

			before := s.Counts().Forbidden
			_, err = callTool(t, cs, "write_note", map[string]any{"text": "denied"})
			assert.Error(t, err, "403 insufficient_scope")
			assert.Equal(t, before+1, s.Counts().Forbidden)
			assert.NotContains(t, s.Notes(), "denied")

			readWrite := ccConfig(s, "mcp:read mcp:write", tr.url(s)).Client(t.Context())
			cs, err = connect(t, tr.make(tr.url(s), readWrite))
			require.NoError(t, err)
			res, err = callTool(t, cs, "write_note", map[string]any{"text": "allowed"})
			require.NoError(t, err)
			assert.False(t, res.IsError)
		})
	}
	assert.Equal(t, 2, s.Counts().ToolCalls["write_note"], "the refused calls never reached the tool")
}

// TestWriteNoteChecksScopeItself covers the tool's own scope check, which
// backs up the HTTP-level one.
func TestWriteNoteChecksScopeItself(t *testing.T) {
	s := StartT(t, Options{})
	for _, scopes := range [][]string{{ScopeRead}, nil} {
		srv := s.newMCPServer(nil)
		if scopes != nil {
			srv = s.newMCPServer(&auth.TokenInfo{UserID: "c", Scopes: scopes, Extra: map[string]any{extraClientID: "c"}})
		}
		st, ct := mcp.NewInMemoryTransports()
		ss, err := srv.Connect(t.Context(), st, nil)
		require.NoError(t, err)
		t.Cleanup(func() { _ = ss.Close() })
		cs, err := connect(t, ct)
		require.NoError(t, err)
		res, err := callTool(t, cs, "write_note", map[string]any{"text": "sneaky"})
		require.NoError(t, err)
		assert.True(t, res.IsError)
		assert.Contains(t, text(t, res), "insufficient scope")
	}
	assert.Empty(t, s.Notes())
}

// TestCloseEndsAWaitNobodyCancelled: Close returns while a call of the tool
// "wait" is in progress whose cancellation never arrives (the client went
// away, or its best-effort notifications/cancelled was lost), instead of
// waiting for it forever.
func TestCloseEndsAWaitNobodyCancelled(t *testing.T) {
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			s, err := Start(Options{})
			require.NoError(t, err)
			httpClient := ccConfig(s, "mcp:read", tr.url(s)).Client(t.Context())
			cs, err := connect(t, tr.make(tr.url(s), httpClient))
			require.NoError(t, err)
			go func() {
				_, _ = cs.CallTool(context.WithoutCancel(t.Context()), &mcp.CallToolParams{Name: "wait"})
			}()
			require.Eventually(t, func() bool { return s.Counts().ToolCalls["wait"] == 1 }, 10*time.Second, 5*time.Millisecond)
			closed := make(chan struct{})
			go func() {
				s.Close()
				close(closed)
			}()
			select {
			case <-closed:
			case <-time.After(30 * time.Second):
				t.Fatal("Close waits for the call of wait")
			}
		})
	}
}
