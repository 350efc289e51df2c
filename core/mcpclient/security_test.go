package mcpclient

// Security rules of MCP sessions (the rules of the token engine are tested
// in core's security_*_test.go): no credential of a multi-server client
// goes to an unnamed issuer, no API key of a server URL in an error, no raw
// control character a server sent in an error message.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// TestSecurityMultiServerCredentialsNeedIssuer: a server's auth with a
// secret and discovery but no issuer is refused, naming the member.
func TestSecurityMultiServerCredentialsNeedIssuer(t *testing.T) {
	attacker := mcptest.StartT(t, mcptest.Options{})
	auth, _ := json.Marshal(map[string]string{"client_id": oauthtest.DefaultClientID, "client_secret": oauthtest.DefaultClientSecret})
	_, err := NewMultiServer(map[string]ServerSpec{"evil": {URL: attacker.StreamableURL(), Auth: auth}})
	var ce *core.ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "servers.evil.auth.issuer", ce.Field)
	assert.Zero(t, attacker.AS().Counts().Token, "the attacker's authorization server got no credential")
}

// TestSecurityNoSecretInMCPErrors: sessions with a server whose URL carries
// an API key fail — requests after the server went away, connecting to a
// closed server over both transports — and no error text quotes the key.
func TestSecurityNoSecretInMCPErrors(t *testing.T) {
	const apiKey = "mcp-apikey-0123456789"
	var texts []string
	scan := func(err error) {
		if err != nil {
			js, _ := json.Marshal(err)
			texts = append(texts, err.Error(), string(js))
		}
	}
	srv := mcptest.StartT(t, mcptest.Options{})
	u := srv.StreamableURL() + "?api_key=" + apiKey
	m := newManager(t, &core.Config{ServerURL: u, ClientID: oauthtest.DefaultClientID, ClientSecret: oauthtest.DefaultClientSecret,
		Issuer: srv.AS().URL})
	s, err := ConnectMCP(context.Background(), m, u, ConnectOptions{})
	require.NoError(t, err)
	srv.Close() // the server goes away mid-session
	for _, method := range []string{"tools/list", "ping", "tools/call"} {
		_, err := s.Request(context.Background(), method, json.RawMessage(`{"name":"echo","arguments":{"text":"x"}}`))
		require.Error(t, err)
		scan(err)
	}
	scan(s.Close())

	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL + "/mcp?api_key=" + apiKey
	closed.Close()
	for _, transport := range []string{TransportStreamableHTTP, TransportSSE} {
		m := newManager(t, &core.Config{ClientID: "client", ClientSecret: "s3cr3t-value", TokenURL: srv.AS().TokenURL()})
		_, err := ConnectMCP(context.Background(), m, closedURL, ConnectOptions{Transport: transport})
		require.Error(t, err)
		scan(err)
	}
	require.Len(t, texts, 2*6, "six failures, each as text and as JSON")
	for _, text := range texts {
		assert.NotContains(t, text, apiKey)
	}
}

// TestSecurityNoControlCharactersInMCPErrors: a JSON-RPC error whose message
// and data hold terminal escapes reaches the caller without raw control
// characters.
func TestSecurityNoControlCharactersInMCPErrors(t *testing.T) {
	const terminalAttack = "\x1b]0;pwned\x07\x1b[2J\x1b]52;c;cHduZWQ=\x07\u202eevil\r\n"
	ctx := context.Background()
	msg, _ := json.Marshal(terminalAttack)
	srv := mcptest.StartRawT(t, func(w http.ResponseWriter, id json.RawMessage, _ string, _ json.RawMessage) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%s,"error":{"code":-32000,"message":%s,"data":%s}}`, id, msg, msg)
	})
	as := oauthtest.StartT(t, oauthtest.Options{})
	m := newManager(t, &core.Config{TokenURL: as.TokenURL(), ClientID: oauthtest.DefaultClientID, ClientSecret: oauthtest.DefaultClientSecret})
	s, err := ConnectMCP(ctx, m, srv.URL, ConnectOptions{})
	require.NoError(t, err)
	defer s.Close()
	_, err = s.CallTool(ctx, "x", nil)
	require.Error(t, err)
	requirePrintable(t, err.Error())
	_, err = s.ListTools(ctx)
	require.Error(t, err)
	requirePrintable(t, err.Error())
}

// requirePrintable fails when s holds a character [core.Printable] escapes.
func requirePrintable(t *testing.T, s string) {
	t.Helper()
	require.Equal(t, core.Printable(s), s, "raw control characters: %q", s)
	require.NotEmpty(t, strings.TrimSpace(s))
}

// TestSecurityMCPSessionNeedsHTTPS: a session to a plain-http MCP server
// (not loopback) is refused before anything is contacted: a bearer token
// never travels over plain http.
func TestSecurityMCPSessionNeedsHTTPS(t *testing.T) {
	var contacted atomic.Bool
	m, err := core.NewTokenManager(&core.Config{ClientID: "client", ClientSecret: "s3cr3t-value", TokenURL: "https://as.example.com/token"},
		core.WithHTTPClient(&http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
			contacted.Store(true)
			return nil, errors.New("no network in this test")
		})}))
	require.NoError(t, err)
	defer m.Close()
	for _, transport := range []string{TransportStreamableHTTP, TransportSSE, TransportAuto} {
		_, err = ConnectMCP(context.Background(), m, "http://mcp.example.com/mcp", ConnectOptions{Transport: transport})
		var ce *core.ConfigError
		require.ErrorAs(t, err, &ce, transport)
	}
	assert.False(t, contacted.Load(), "nothing was contacted")
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
