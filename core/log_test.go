package core

import (
	"bytes"
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lockedBuffer is a buffer written from any goroutine.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// captureLog sends the process's events, at the most verbose level, to a
// buffer until the test ends.
func captureLog(t *testing.T) *lockedBuffer {
	buf := &lockedBuffer{}
	SetLogHandler(slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	t.Cleanup(func() { SetLogHandler(nil) })
	return buf
}

// assertNoSecret fails when log quotes one of secrets (each checked to be
// a real value first).
func assertNoSecret(t *testing.T, log string, secrets map[string]string) {
	t.Helper()
	for name, s := range secrets {
		require.NotEmpty(t, s, name)
		assert.NotContains(t, log, s, "the log quotes the %s", name)
	}
}

func TestLogTellsAFullFlowWithoutASecret(t *testing.T) {
	log := captureLog(t)
	srv := mcptest.StartT(t, mcptest.Options{AS: oauthtest.Options{RefreshTokensForClientCredentials: true}})
	ctx := context.Background()

	// Discovery, dynamic registration of a confidential client,
	// client_credentials, then the refresh_token grant.
	m := newManager(t, &Config{ServerURL: srv.StreamableURL(), GrantType: GrantClientCredentials})
	first, err := m.Token(ctx)
	require.NoError(t, err)
	secret := m.params.Load().endpoint.secret
	m.Invalidate(first.AccessToken)
	second, err := m.Token(ctx)
	require.NoError(t, err)
	reqs := srv.AS().TokenRequests()
	require.Len(t, reqs, 2)
	refreshToken := reqs[1].Form.Get("refresh_token")

	// The authorization code flow: code and PKCE verifier.
	ac := newManager(t, &Config{ServerURL: srv.StreamableURL()})
	req, err := ac.BeginAuthorization(ctx, redirect)
	require.NoError(t, err)
	third, err := ac.CompleteAuthorization(ctx, follow(t, req.URL))
	require.NoError(t, err)
	reqs = srv.AS().TokenRequests()
	code := reqs[len(reqs)-1].Form

	out := log.String()
	for _, event := range []string{EventDiscoveryStart, EventDiscoveryResource, EventDiscoveryAS, EventDiscoveryDone,
		EventRegistration, EventRegistered, EventTokenRequest, EventTokenResponse, EventRefresh,
		EventAuthorizeBegin, EventAuthorizeComplete, EventHTTPRequest} {
		assert.Contains(t, out, `"event":"`+event+`"`)
	}
	assert.Contains(t, out, `"grant_type":"refresh_token"`)
	assertNoSecret(t, out, map[string]string{
		"client secret": secret, "access token": first.AccessToken, "refreshed access token": second.AccessToken,
		"refresh token": refreshToken, "code's access token": third.AccessToken,
		"authorization code": code.Get("code"), "PKCE verifier": code.Get("code_verifier"),
		"state": req.State,
	})
}

func TestLogURLDropsWhatMayCarryACredential(t *testing.T) {
	assert.Equal(t, "https://mcp.example/mcp", logURL("https://user:pw@mcp.example/mcp?api_key=k#frag"))
	assert.Equal(t, "", logURL(""))
	assert.Equal(t, "(unparsable URL)", logURL("http://[::1"))
}

func TestLogOffCostsNothing(t *testing.T) {
	SetLogHandler(nil)
	assert.False(t, logEnabled(context.Background(), slog.LevelError))
	allocs := testing.AllocsPerRun(100, func() {
		logEvent(context.Background(), slog.LevelDebug, EventTokenRequest, "token request", "grant_type", "x")
	})
	assert.Zero(t, allocs)
}

func TestLogLevelFilters(t *testing.T) {
	var buf lockedBuffer
	SetLogHandler(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn}))
	t.Cleanup(func() { SetLogHandler(nil) })
	logEvent(context.Background(), slog.LevelInfo, EventRefresh, "quiet")
	logEvent(context.Background(), slog.LevelWarn, EventTokenError, "loud")
	assert.False(t, strings.Contains(buf.String(), "quiet"))
	assert.Contains(t, buf.String(), "event=token.error")
}

func TestLogEntry(t *testing.T) {
	r := slog.NewRecord(time.Unix(0, 0), slog.LevelWarn, "token request failed", 0)
	r.AddAttrs(slog.String("event", EventTokenError), slog.String("grant_type", "refresh_token"),
		slog.Duration("delay", 1500*time.Millisecond), slog.Bool("refresh_token", true),
		slog.String("error", "a b"), slog.String("empty", ""), slog.Any("scopes", []string{"a", "b"}))
	e := NewLogEntry(r)
	assert.Equal(t, LogLevelWarn, e.Level)
	assert.Equal(t, EventTokenError, e.Event)
	assert.Equal(t, `token request failed grant_type=refresh_token delay=1.5s refresh_token=true error="a b" scopes=a,b`, e.Message)
	assert.Equal(t, map[string]any{"grant_type": "refresh_token", "delay": 1.5, "refresh_token": true,
		"error": "a b", "scopes": []string{"a", "b"}}, e.Fields)
}

func TestLogLevelNumbers(t *testing.T) {
	for n, l := range map[int]slog.Level{10: slog.LevelDebug, 20: slog.LevelInfo, 30: slog.LevelWarn, 40: slog.LevelError} {
		assert.Equal(t, n, LogLevelNumber(l))
		assert.Equal(t, l, LogLevelOf(n))
	}
	assert.Greater(t, LogLevelOf(15), slog.LevelDebug, "between two levels: above the lower")
	assert.LessOrEqual(t, LogLevelOf(15), slog.LevelInfo)
	assert.Greater(t, LogLevelOf(25), slog.LevelInfo)
	assert.LessOrEqual(t, LogLevelOf(25), slog.LevelWarn)
	for s, want := range map[string]slog.Level{"debug": slog.LevelDebug, "INFO": slog.LevelInfo, "warning": slog.LevelWarn, "error": slog.LevelError} {
		got, ok := ParseLogLevel(s)
		assert.True(t, ok, s)
		assert.Equal(t, want, got, s)
	}
	for _, s := range []string{"", "off", "verbose"} {
		_, ok := ParseLogLevel(s)
		assert.False(t, ok, s)
	}
}

func TestLineHandler(t *testing.T) {
	var buf lockedBuffer
	SetLogHandler(NewLineHandler(&buf, slog.LevelInfo))
	t.Cleanup(func() { SetLogHandler(nil) })
	logEvent(context.Background(), slog.LevelDebug, EventHTTPRequest, "HTTP exchange")
	logEvent(context.Background(), slog.LevelInfo, EventRefresh, "refreshing the access token", "endpoint", "https://as.example/token")
	assert.Equal(t, "mcp-oauth: INFO token.refresh: refreshing the access token endpoint=https://as.example/token\n", buf.String())
}

// TestEveryEventIsDocumented: each Event constant of log.go has a row in
// docs/concepts.md's table of events.
func TestEveryEventIsDocumented(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "log.go", nil, 0)
	require.NoError(t, err)
	page, err := os.ReadFile("../docs/concepts.md")
	require.NoError(t, err)
	n := 0
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			v := s.(*ast.ValueSpec)
			if strings.HasPrefix(v.Names[0].Name, "Event") {
				name, err := strconv.Unquote(v.Values[0].(*ast.BasicLit).Value)
				require.NoError(t, err)
				assert.Contains(t, string(page), "\n| `"+name+"` |", "docs/concepts.md documents %s", name)
				n++
			}
		}
	}
	assert.Equal(t, 20, n)
}

func TestLogLineQuotesControlCharacters(t *testing.T) {
	r := slog.NewRecord(time.Unix(0, 0), slog.LevelInfo, "token issued", 0)
	r.AddAttrs(slog.String("event", EventTokenResponse), slog.String("scope", "a\rmcp-oauth: INFO forged\x1b[2J"))
	line := NewLogEntry(r).Line()
	assert.NotContains(t, line, "\r")
	assert.NotContains(t, line, "\x1b")
	assert.Contains(t, line, `scope="a\rmcp-oauth: INFO forged\x1b[2J"`)
}
