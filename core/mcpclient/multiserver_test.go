package mcpclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// ccAuth is a client credentials configuration for srv's authorization
// server.
func ccAuth(srv *mcptest.Server) json.RawMessage {
	return json.RawMessage(fmt.Sprintf(`{"client_id":%q,"client_secret":%q,"issuer":%q}`,
		oauthtest.DefaultClientID, oauthtest.DefaultClientSecret, srv.AS().URL))
}

func newMulti(t *testing.T, specs map[string]ServerSpec) *MultiServer {
	t.Helper()
	ms, err := NewMultiServer(specs)
	require.NoError(t, err)
	t.Cleanup(ms.Close)
	return ms
}

type taggedTools struct {
	Tools []struct {
		Name   string `json:"name"`
		Server string `json:"server"`
	} `json:"tools"`
}

func TestMultiServerListAndCallOverBothTransports(t *testing.T) {
	a := mcptest.StartT(t, mcptest.Options{})
	b := mcptest.StartT(t, mcptest.Options{})
	ms := newMulti(t, map[string]ServerSpec{
		"zeta":  {URL: a.StreamableURL(), Auth: ccAuth(a), ConnectOptions: ConnectOptions{ClientName: "multi-test"}},
		"alpha": {URL: b.SSEURL(), ConnectOptions: ConnectOptions{Transport: TransportSSE, TimeoutSeconds: 10}, Auth: ccAuth(b)},
	})
	assert.Equal(t, []string{"alpha", "zeta"}, ms.Servers())
	assert.Zero(t, a.AS().Counts().Token, "no network I/O before first use")

	raw, err := ms.ListTools(context.Background())
	require.NoError(t, err)
	var got taggedTools
	require.NoError(t, json.Unmarshal(raw, &got))
	require.NotEmpty(t, got.Tools)
	// Sorted server order: every alpha tool before every zeta tool.
	seen := map[string][]string{}
	last := ""
	for _, tool := range got.Tools {
		require.NotEmpty(t, tool.Server)
		assert.GreaterOrEqual(t, tool.Server, last)
		last = tool.Server
		seen[tool.Server] = append(seen[tool.Server], tool.Name)
	}
	assert.Contains(t, seen["alpha"], "echo")
	assert.Contains(t, seen["zeta"], "echo")
	assert.Equal(t, len(seen["alpha"]), len(seen["zeta"]))

	for _, server := range []string{"alpha", "zeta"} {
		res, err := ms.CallTool(context.Background(), server, "echo", json.RawMessage(`{"text":"hi `+server+`"}`))
		require.NoError(t, err)
		assert.Contains(t, string(res), "hi "+server)
	}
	assert.Equal(t, 1, a.AS().Counts().Token, "one token per server, the session reused")
	assert.Equal(t, 1, b.AS().Counts().Token)
	assert.Equal(t, a.StreamableURL(), a.AS().TokenRequests()[0].Form.Get("resource"), "auth got server_url = url")

	m, err := ms.Manager("zeta")
	require.NoError(t, err)
	assert.Equal(t, a.StreamableURL(), m.Config().ServerURL)
}

func TestMultiServerUnknownServer(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	ms := newMulti(t, map[string]ServerSpec{"one": {URL: srv.StreamableURL(), Auth: ccAuth(srv)}})
	var ce *core.ConfigError
	_, err := ms.CallTool(context.Background(), "two", "echo", nil)
	require.True(t, errors.As(err, &ce), "got %v", err)
	assert.Equal(t, "server", ce.Field)
	_, err = ms.Manager("two")
	require.True(t, errors.As(err, &ce))
	assert.Equal(t, "server", ce.Field)
	err = ms.AuthorizeInteractively(context.Background(), "two", func(string) error { return nil }, time.Second)
	require.True(t, errors.As(err, &ce))
	assert.Equal(t, "server", ce.Field)
}

func TestMultiServerValidation(t *testing.T) {
	for _, tc := range []struct {
		name  string
		specs map[string]ServerSpec
		field string
	}{
		{"no servers", map[string]ServerSpec{}, "servers"},
		{"empty name", map[string]ServerSpec{"": {URL: "https://a.example/mcp"}}, "servers"},
		{"no url", map[string]ServerSpec{"a": {}}, "servers.a.url"},
		{"plain http", map[string]ServerSpec{"a": {URL: "http://a.example/mcp"}}, "servers.a.url"},
		{"transport", map[string]ServerSpec{"a": {URL: "https://a.example/mcp", ConnectOptions: ConnectOptions{Transport: "ws"}}}, "servers.a.transport"},
		{"timeout", map[string]ServerSpec{"a": {URL: "https://a.example/mcp", ConnectOptions: ConnectOptions{TimeoutSeconds: -1}}}, "servers.a.timeout_seconds"},
		{"auth not an object", map[string]ServerSpec{"a": {URL: "https://a.example/mcp", Auth: json.RawMessage(`[1]`)}}, "servers.a.auth"},
		{"auth member", map[string]ServerSpec{"a": {URL: "https://a.example/mcp", Auth: json.RawMessage(`{"bogus":1}`)}}, "servers.a.auth.bogus"},
		{"auth field", map[string]ServerSpec{"a": {URL: "https://a.example/mcp", Auth: json.RawMessage(`{"token_url":"http://x.example/t","client_id":"c"}`)}}, "servers.a.auth.token_url"},
		{"second server", map[string]ServerSpec{
			"a": {URL: "https://a.example/mcp"},
			"b": {URL: "https://b.example/mcp", ConnectOptions: ConnectOptions{Transport: "carrier-pigeon"}},
		}, "servers.b.transport"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ms, err := NewMultiServer(tc.specs)
			require.Error(t, err)
			assert.Nil(t, ms)
			var ce *core.ConfigError
			require.True(t, errors.As(err, &ce), "got %v", err)
			assert.Equal(t, tc.field, ce.Field)
		})
	}
}

func TestMultiServerAuthDefaults(t *testing.T) {
	for _, tc := range []struct {
		auth      string
		serverURL string
	}{
		{"", "https://a.example/mcp"},
		{"null", "https://a.example/mcp"},
		{`{"client_name":"x"}`, "https://a.example/mcp"},
		{`{"server_url":"https://b.example/mcp"}`, "https://b.example/mcp"},
		{`{"client_id":"c","client_secret":"s","token_url":"https://as.example/token"}`, ""},
	} {
		ms := newMulti(t, map[string]ServerSpec{"a": {URL: "https://a.example/mcp", Auth: json.RawMessage(tc.auth)}})
		m, err := ms.Manager("a")
		require.NoError(t, err)
		assert.Equal(t, tc.serverURL, m.Config().ServerURL, "auth %s", tc.auth)
	}
}

func TestMultiServerErrorsNameTheServer(t *testing.T) {
	good := mcptest.StartT(t, mcptest.Options{})
	bad := mcptest.StartT(t, mcptest.Options{PRMResource: "https://other.example/mcp"})
	ms := newMulti(t, map[string]ServerSpec{
		"good": {URL: good.StreamableURL(), Auth: ccAuth(good)},
		"bad":  {URL: bad.StreamableURL(), Auth: ccAuth(bad)},
	})
	_, err := ms.ListTools(context.Background())
	var mse *core.MultiServerError
	require.True(t, errors.As(err, &mse), "got %v", err)
	assert.Equal(t, "bad", mse.Server)
	var rm *core.ResourceMismatchError
	assert.True(t, errors.As(err, &rm), "the cause is reachable: %v", err)
	assert.Contains(t, err.Error(), `server "bad"`)

	_, err = ms.CallTool(context.Background(), "good", "echo", json.RawMessage(`{"text":"x"}`))
	require.NoError(t, err, "one failing server does not affect another")
}

func TestMultiServerUserAuthorization(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	// A configured redirect URI with a fixed port (free a moment ago).
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	require.NoError(t, l.Close())
	ms := newMulti(t, map[string]ServerSpec{"user": {URL: srv.SSEURL(), ConnectOptions: ConnectOptions{Transport: TransportSSE},
		Auth: json.RawMessage(fmt.Sprintf(`{"redirect_uri":"http://127.0.0.1:%d/callback"}`, port))}})
	_, err = ms.CallTool(context.Background(), "user", "echo", json.RawMessage(`{"text":"x"}`))
	require.ErrorIs(t, err, core.ErrAuthorizationRequired)
	var mse *core.MultiServerError
	require.True(t, errors.As(err, &mse))
	assert.Equal(t, "user", mse.Server)

	// The "browser" follows the authorization URL to the loopback listener.
	err = ms.AuthorizeInteractively(context.Background(), "user", browser, 10*time.Second)
	require.NoError(t, err)
	res, err := ms.CallTool(context.Background(), "user", "echo", json.RawMessage(`{"text":"after auth"}`))
	require.NoError(t, err, "a failed connection is retried")
	assert.Contains(t, string(res), "after auth")
}

func TestMultiServerClose(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	ms, err := NewMultiServer(map[string]ServerSpec{"s": {URL: srv.StreamableURL(), Auth: ccAuth(srv)}})
	require.NoError(t, err)
	_, err = ms.ListTools(context.Background())
	require.NoError(t, err)
	m, err := ms.Manager("s")
	require.NoError(t, err)
	ms.Close()
	ms.Close() // idempotent
	_, err = ms.ListTools(context.Background())
	require.ErrorIs(t, err, core.ErrClosed)
	_, err = ms.CallTool(context.Background(), "s", "echo", nil)
	require.ErrorIs(t, err, ErrMultiServerClosed)
	_, err = ms.Manager("s")
	require.ErrorIs(t, err, core.ErrClosed)
	_, err = m.Token(context.Background())
	require.ErrorIs(t, err, core.ErrClosed, "the managers are closed with the client")
}

func TestMultiServerConcurrentUse(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	ms := newMulti(t, map[string]ServerSpec{
		"a": {URL: srv.StreamableURL(), Auth: ccAuth(srv)},
		"b": {URL: srv.SSEURL(), ConnectOptions: ConnectOptions{Transport: TransportSSE}, Auth: ccAuth(srv)},
	})
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		server := []string{"a", "b"}[i%2]
		go func() {
			_, err := ms.CallTool(context.Background(), server, "echo", json.RawMessage(`{"text":"c"}`))
			errs <- err
		}()
	}
	for i := 0; i < 8; i++ {
		require.NoError(t, <-errs)
	}
}

// TestMultiServerUseManager: a server authorized by the caller's token
// manager uses it, and the client leaves it open; once connected, the
// manager can no longer change.
func TestMultiServerUseManager(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	ms, err := NewMultiServer(map[string]ServerSpec{"a": {URL: srv.StreamableURL()}, "b": {URL: srv.SSEURL(),
		ConnectOptions: ConnectOptions{Transport: TransportSSE}, Auth: ccAuth(srv)}})
	require.NoError(t, err)
	made, err := ms.Manager("a")
	require.NoError(t, err)
	mine := newManager(t, &core.Config{ServerURL: srv.StreamableURL(), ClientID: oauthtest.DefaultClientID, ClientSecret: oauthtest.DefaultClientSecret,
		Issuer: srv.AS().URL})
	require.NoError(t, ms.UseManager("a", mine))
	got, err := ms.Manager("a")
	require.NoError(t, err)
	assert.Same(t, mine, got)
	_, err = made.Token(context.Background())
	require.ErrorIs(t, err, core.ErrClosed, "the manager made from the spec is closed")

	s, timeout, err := ms.Session(context.Background(), "a")
	require.NoError(t, err)
	assert.Equal(t, DefaultConnectTimeout, timeout)
	again, _, err := ms.Session(context.Background(), "a")
	require.NoError(t, err)
	assert.Same(t, s, again, "one session per server")
	assert.Equal(t, "x", echo(t, s, "x"))
	var ae *core.ArgumentError
	require.ErrorAs(t, ms.UseManager("a", mine), &ae, "already connected")

	raw, err := ms.ListTools(context.Background(), "a")
	require.NoError(t, err)
	var only taggedTools
	require.NoError(t, json.Unmarshal(raw, &only))
	require.NotEmpty(t, only.Tools)
	for _, tool := range only.Tools {
		assert.Equal(t, "a", tool.Server)
	}
	assert.Equal(t, 1, srv.AS().Counts().Token, "server b was not connected by listing a's tools")

	ms.Close()
	_, err = mine.Token(context.Background())
	require.NoError(t, err, "the caller's manager stays open")
}

// TestMultiServerListsServersConcurrently: each server's tools/list waits
// until the other's has arrived, which only concurrent requests satisfy;
// the result keeps the sorted server order.
func TestMultiServerListsServersConcurrently(t *testing.T) {
	as := oauthtest.StartT(t, oauthtest.Options{})
	arrivedA, arrivedB := make(chan struct{}), make(chan struct{})
	rendezvous := func(mine, other chan struct{}) string {
		srv := mcp.NewServer(&mcp.Implementation{Name: "rendezvous", Version: "1"}, nil)
		srv.AddReceivingMiddleware(func(h mcp.MethodHandler) mcp.MethodHandler {
			return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
				if method != "tools/list" {
					return h(ctx, method, req)
				}
				close(mine)
				select {
				case <-other:
				case <-ctx.Done():
					return nil, ctx.Err()
				}
				return &mcp.ListToolsResult{Tools: []*mcp.Tool{{Name: "t", InputSchema: map[string]any{"type": "object"}}}}, nil
			}
		})
		hs := httptest.NewServer(mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return srv }, nil))
		t.Cleanup(hs.Close)
		return hs.URL
	}
	auth := json.RawMessage(fmt.Sprintf(`{"token_url":%q,"client_id":%q,"client_secret":%q}`,
		as.TokenURL(), oauthtest.DefaultClientID, oauthtest.DefaultClientSecret))
	ms := newMulti(t, map[string]ServerSpec{
		"b": {URL: rendezvous(arrivedB, arrivedA), Auth: auth, ConnectOptions: ConnectOptions{TimeoutSeconds: 10}},
		"a": {URL: rendezvous(arrivedA, arrivedB), Auth: auth, ConnectOptions: ConnectOptions{TimeoutSeconds: 10}},
	})
	raw, err := ms.ListTools(context.Background())
	require.NoError(t, err)
	var got taggedTools
	require.NoError(t, json.Unmarshal(raw, &got))
	require.Len(t, got.Tools, 2)
	assert.Equal(t, "a", got.Tools[0].Server)
	assert.Equal(t, "b", got.Tools[1].Server)
}

func TestMultiServerClosedIsABadHandle(t *testing.T) {
	assert.Equal(t, core.KindBadHandle, core.Classify(fmt.Errorf("x: %w", ErrMultiServerClosed)).Kind)
}
