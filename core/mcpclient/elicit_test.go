package mcpclient

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// ccSession connects a client-credentials session to a fresh test server.
func ccSession(t *testing.T, opts mcptest.Options) (*MCPSession, *mcptest.Server) {
	t.Helper()
	srv := mcptest.StartT(t, opts)
	m := newManager(t, &core.Config{ServerURL: srv.StreamableURL(), ClientID: oauthtest.DefaultClientID,
		ClientSecret: oauthtest.DefaultClientSecret, Issuer: srv.AS().URL})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := ConnectMCP(ctx, m, srv.StreamableURL(), ConnectOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s, srv
}

// askSession is a session with a test server whose tool ask elicits.
func askSession(t *testing.T) *MCPSession {
	t.Helper()
	s, _ := ccSession(t, mcptest.Options{})
	return s
}

// ask calls the test server's ask tool and returns the answer it received.
func ask(t *testing.T, s *MCPSession, args string) (answer struct {
	Action  string         `json:"action"`
	Content map[string]any `json:"content"`
}) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	raw, err := s.CallTool(ctx, "ask", json.RawMessage(args))
	require.NoError(t, err)
	var res struct {
		Content []struct{ Text string } `json:"content"`
		IsError bool                    `json:"isError"`
	}
	require.NoError(t, json.Unmarshal(raw, &res))
	require.False(t, res.IsError, string(raw))
	require.NotEmpty(t, res.Content)
	require.NoError(t, json.Unmarshal([]byte(res.Content[0].Text), &answer))
	return answer
}

// A session without a handler declines at once: the server gets an answer,
// never a time-out.
func TestElicitationDeclinedWithoutHandler(t *testing.T) {
	s := askSession(t)
	got := ask(t, s, `{}`)
	assert.Equal(t, ElicitDecline, got.Action)
	assert.Empty(t, got.Content)
}

// Form mode: the handler sees the server's message and schema; fields it
// leaves out get the schema's defaults (SEP-1034).
func TestElicitationFormAppliesDefaults(t *testing.T) {
	s := askSession(t)
	var seen ElicitRequest
	s.SetElicitationHandler(func(_ context.Context, req ElicitRequest) (ElicitResponse, error) {
		seen = req
		return ElicitResponse{Action: ElicitAccept, Content: json.RawMessage(`{"name":"Ada"}`)}, nil
	})
	got := ask(t, s, `{}`)
	assert.Equal(t, ElicitModeForm, seen.Mode)
	assert.Equal(t, "Who are you?", seen.Message)
	assert.JSONEq(t, mcptest.AskSchema, string(seen.RequestedSchema))
	assert.Equal(t, ElicitAccept, got.Action)
	assert.Equal(t, map[string]any{"name": "Ada", "count": float64(3)}, got.Content)

	// Accepting with no content at all: every field gets its default.
	s.SetElicitationHandler(func(context.Context, ElicitRequest) (ElicitResponse, error) {
		return ElicitResponse{Action: ElicitAccept}, nil
	})
	got = ask(t, s, `{}`)
	assert.Equal(t, map[string]any{"name": "anonymous", "count": float64(3)}, got.Content)
}

// URL mode: the handler gets the URL and elicitation id; accept carries no
// content.
func TestElicitationURLMode(t *testing.T) {
	s := askSession(t)
	var seen ElicitRequest
	s.SetElicitationHandler(func(_ context.Context, req ElicitRequest) (ElicitResponse, error) {
		seen = req
		return ElicitResponse{Action: ElicitAccept, Content: json.RawMessage(`{"ignored":true}`)}, nil
	})
	got := ask(t, s, `{"url":"https://example.com/connect"}`)
	assert.Equal(t, ElicitRequest{Mode: ElicitModeURL, Message: "Open this page to continue.",
		URL: "https://example.com/connect", ElicitationID: "ask-1"}, seen)
	assert.Equal(t, ElicitAccept, got.Action)
	assert.Empty(t, got.Content)
}

// Cancel and a handler's error reach the server as such; an unknown action
// or content that is not an object is refused, not passed on.
func TestElicitationAnswersChecked(t *testing.T) {
	s := askSession(t)
	s.SetElicitationHandler(func(context.Context, ElicitRequest) (ElicitResponse, error) {
		return ElicitResponse{Action: ElicitCancel}, nil
	})
	assert.Equal(t, ElicitCancel, ask(t, s, `{}`).Action)

	for name, h := range map[string]ElicitationHandler{
		"error": func(context.Context, ElicitRequest) (ElicitResponse, error) {
			return ElicitResponse{}, errors.New("no user here")
		},
		"bad action": func(context.Context, ElicitRequest) (ElicitResponse, error) {
			return ElicitResponse{Action: "maybe"}, nil
		},
		"not object": func(context.Context, ElicitRequest) (ElicitResponse, error) {
			return ElicitResponse{Action: ElicitAccept, Content: json.RawMessage(`[1]`)}, nil
		},
		"schema miss": func(context.Context, ElicitRequest) (ElicitResponse, error) {
			return ElicitResponse{Action: ElicitAccept, Content: json.RawMessage(`{"count":"x"}`)}, nil
		},
	} {
		t.Run(name, func(t *testing.T) {
			s.SetElicitationHandler(h)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			raw, err := s.CallTool(ctx, "ask", json.RawMessage(`{}`))
			require.NoError(t, err) // the tool reports the failed elicitation
			assert.Contains(t, string(raw), `"isError":true`)
			assert.Contains(t, string(raw), "elicitation failed")
		})
	}
}
