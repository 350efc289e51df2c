package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/testserve/servetest"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

func TestParseFlags(t *testing.T) {
	defaults := func(edit func(*mcptest.Options)) mcptest.Options {
		o := mcptest.Options{Addr: "127.0.0.1:0", AS: oauthtest.Options{Addr: "127.0.0.1:0", TokenLifetime: time.Hour}}
		if edit != nil {
			edit(&o)
		}
		return o
	}
	tests := []servetest.FlagCase[mcptest.Options]{
		{Name: "defaults", Args: nil, Want: defaults(nil)},
		{
			Name: "MCP switches",
			Args: []string{"-addr", "127.0.0.1:7000", "-cohost-as", "-no-prm", "-prm-resource", "https://x.example/mcp",
				"-omit-resource-metadata", "-omit-challenge-scope", "-omit-prm-scopes", "-require-resource"},
			Want: defaults(func(o *mcptest.Options) {
				o.Addr, o.CoHostAS, o.NoPRM, o.PRMResource = "127.0.0.1:7000", true, true, "https://x.example/mcp"
				o.OmitResourceMetadata, o.OmitChallengeScope, o.OmitPRMScopes, o.RequireResource = true, true, true, true
			}),
		},
		{
			Name: "AS switches",
			Args: []string{"-as-addr", "127.0.0.1:7001", "-lifetime", "-1s", "-refresh-for-client-credentials", "-issuer-path", "/t1",
				"-metadata-locations", "oidc,oidc-append", "-no-as-metadata", "-omit-pkce-methods", "-scopes", "a,b,offline_access",
				"-no-offline-access", "-no-registration", "-no-cimd"},
			Want: defaults(func(o *mcptest.Options) {
				o.AS = oauthtest.Options{
					Addr: "127.0.0.1:7001", TokenLifetime: -time.Second, RefreshTokensForClientCredentials: true,
					IssuerPath: "/t1", MetadataLocations: []oauthtest.MetadataLocation{oauthtest.MetadataOIDC, oauthtest.MetadataOIDCAppend},
					NoMetadata: true, OmitCodeChallengeMethods: true, ScopesSupported: []string{"a", "b"},
					DisableRegistration: true, DisableClientIDMetadataDocuments: true,
				}
			}),
		},
		{Name: "no offline_access", Args: []string{"-no-offline-access"}, Want: defaults(func(o *mcptest.Options) {
			o.AS.ScopesSupported = []string{"mcp:read", "mcp:write"}
		})},
		{Name: "bad duration", Args: []string{"-lifetime", "soon"}, Want: mcptest.Options{}, WantErr: true},
		{Name: "positional argument", Args: []string{"extra"}, Want: mcptest.Options{}, WantErr: true},
	}
	servetest.TestFlags(t, tests, func(args []string) (mcptest.Options, error) {
		cfg, err := parseFlags(args, io.Discard)
		return cfg.opts, err
	})
}

// startRun runs the command with -watch-stdin and args in the background
// and returns the endpoints it printed and a function that closes its stdin
// and returns its exit status, which also runs at the end of the test.
func startRun(t *testing.T, args []string, stderr io.Writer) (endpoints, func() int) {
	t.Helper()
	stdinR, stdinW := io.Pipe()
	stdoutR, stdoutW := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(context.Background(), append([]string{"-watch-stdin"}, args...), stdinR, stdoutW, stderr)
	}()
	stop := sync.OnceValue(func() int {
		stdinW.Close()
		select {
		case code := <-done:
			return code
		case <-time.After(5 * time.Second):
			t.Error("run did not return after stdin EOF")
			return -1
		}
	})
	t.Cleanup(func() { stop() })
	line, err := bufio.NewReader(stdoutR).ReadString('\n')
	require.NoError(t, err)
	var ep endpoints
	dec := json.NewDecoder(strings.NewReader(line))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&ep), line)
	return ep, stop
}

func TestRun(t *testing.T) {
	var stderr servetest.SyncBuffer
	ep, stop := startRun(t, []string{"-v"}, &stderr)
	assert.Regexp(t, `^http://127\.0\.0\.1:\d+/mcp$`, ep.MCP)
	assert.Equal(t, strings.TrimSuffix(ep.MCP, "/mcp")+"/sse", ep.SSE)
	assert.Regexp(t, `^http://127\.0\.0\.1:\d+$`, ep.AS)
	assert.NotEqual(t, strings.TrimSuffix(ep.MCP, "/mcp"), ep.AS)

	resp, err := http.Post(ep.MCP, "application/json", strings.NewReader(`{}`))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("WWW-Authenticate"), "/.well-known/oauth-protected-resource/mcp")

	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {oauthtest.DefaultClientID},
		"client_secret": {oauthtest.DefaultClientSecret}, "scope": {"mcp:read"}, "resource": {ep.SSE}}
	resp, err = http.PostForm(ep.AS+"/token", form)
	require.NoError(t, err)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&tok))
	resp.Body.Close()
	req, err := http.NewRequest(http.MethodGet, ep.SSE, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	ctx, cancel := context.WithCancel(context.Background())
	resp, err = http.DefaultClient.Do(req.WithContext(ctx))
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the SSE stream opens")
	cancel()
	resp.Body.Close()

	resp, err = http.Get(ep.AS + "/_test/counts")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the AS control API is reachable")

	assert.Equal(t, 0, stop())
	log := stderr.String()
	assert.Contains(t, log, "POST /mcp 401 ")
	assert.Contains(t, log, "POST /token 200 ")
	assert.NotContains(t, log, tok.AccessToken)
}

func TestRunCoHosted(t *testing.T) {
	ep, _ := startRun(t, []string{"-cohost-as", "-no-prm"}, io.Discard)
	assert.Equal(t, strings.TrimSuffix(ep.MCP, "/mcp"), ep.AS)
	resp, err := http.Get(ep.AS + "/.well-known/oauth-authorization-server")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

func TestRunErrors(t *testing.T) {
	var stderr bytes.Buffer
	assert.Equal(t, 1, run(context.Background(), []string{"-metadata-locations", "webfinger"}, strings.NewReader(""), io.Discard, &stderr))
	assert.Contains(t, stderr.String(), "unknown metadata location")
	assert.Equal(t, 2, run(context.Background(), []string{"-nope"}, strings.NewReader(""), io.Discard, io.Discard))
	assert.Equal(t, 0, run(context.Background(), []string{"-help"}, strings.NewReader(""), io.Discard, io.Discard))
}

func TestRunStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	stdoutR, stdoutW := io.Pipe()
	done := make(chan int, 1)
	go func() { done <- run(ctx, nil, strings.NewReader(""), stdoutW, io.Discard) }()
	_, err := bufio.NewReader(stdoutR).ReadString('\n')
	require.NoError(t, err)
	cancel()
	select {
	case code := <-done:
		assert.Equal(t, 0, code)
	case <-time.After(5 * time.Second):
		t.Fatal("run did not return when its context ended")
	}
}
