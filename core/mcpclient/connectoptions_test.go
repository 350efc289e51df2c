package mcpclient

import (
	"context"
	"testing"
	"time"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// TestTransportAuto: "auto" falls back to HTTP+SSE for a server that only
// speaks it, telling OnFallback why; not after a failure of authorization,
// which HTTP+SSE would only repeat.
func TestTransportAuto(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	var why []error
	o := ConnectOptions{Transport: TransportAuto, OnFallback: func(err error) { why = append(why, err) }}
	m := newManager(t, &core.Config{ServerURL: srv.SSEURL(), ClientID: oauthtest.DefaultClientID, ClientSecret: oauthtest.DefaultClientSecret,
		Issuer: srv.AS().URL})
	s, err := ConnectMCP(context.Background(), m, srv.SSEURL(), o)
	require.NoError(t, err)
	defer s.Close()
	assert.Equal(t, "auto", echo(t, s, "auto"))
	require.Len(t, why, 1)
	assert.Equal(t, core.KindMCP, core.Classify(why[0]).Kind)

	why = nil
	user := newManager(t, &core.Config{ServerURL: srv.StreamableURL()})
	_, err = ConnectMCP(context.Background(), user, srv.StreamableURL(), o)
	require.ErrorIs(t, err, core.ErrAuthorizationRequired)
	assert.Empty(t, why, "no fallback after a failure of authorization")
}

// TestConnectOptions pins the documented defaults and bounds.
func TestConnectOptions(t *testing.T) {
	o, err := ParseConnectOptions(nil)
	require.NoError(t, err)
	assert.Equal(t, 60*time.Second, o.Timeout())
	o, err = ParseConnectOptions([]byte(`{"transport":"auto","client_name":"n","timeout_seconds":3600}`))
	require.NoError(t, err)
	assert.Equal(t, time.Hour, o.Timeout())
	for js, field := range map[string]string{
		`{"timeout_seconds":3600.5}`: "timeout_seconds",
		`{"timeout_seconds":-1}`:     "timeout_seconds",
		`{"transport":"websocket"}`:  "transport",
		`{"bogus":1}`:                "options_json",
		`{} {}`:                      "options_json",
	} {
		_, err := ParseConnectOptions([]byte(js))
		var ce *core.ConfigError
		require.ErrorAs(t, err, &ce, js)
		assert.Equal(t, field, ce.Field, js)
	}
}
