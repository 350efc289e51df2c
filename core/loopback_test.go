package core

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

func TestLoopbackRedirectCompletesTheFlow(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	m := newManager(t, publicClient(srv))
	l, err := ListenLoopback("", "")
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(l.RedirectURI, "http://127.0.0.1:"), l.RedirectURI)
	assert.True(t, strings.HasSuffix(l.RedirectURI, "/callback"))

	req, err := m.BeginAuthorization(context.Background(), l.RedirectURI)
	require.NoError(t, err)
	go func() { // the browser: follows the redirect to the listener
		resp, err := http.Get(req.URL)
		if err == nil {
			resp.Body.Close()
		}
	}()
	got, err := l.Wait(context.Background(), 5*time.Second)
	require.NoError(t, err)
	_, err = m.CompleteAuthorization(context.Background(), got)
	require.NoError(t, err)
	_, err = m.Token(context.Background())
	require.NoError(t, err)
}

func TestLoopbackRedirectOneShotTimeoutCancel(t *testing.T) {
	l, err := ListenLoopback("127.0.0.1:0", "/cb")
	require.NoError(t, err)
	resp, err := http.Get(l.RedirectURI + "?state=s") // neither code nor error: ignored
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	resp, err = http.Get(l.RedirectURI + "?code=c1&state=s")
	require.NoError(t, err)
	resp.Body.Close()
	resp, err = http.Get(l.RedirectURI + "?code=c2&state=s")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusConflict, resp.StatusCode, "one-shot")
	got, err := l.Wait(context.Background(), time.Second)
	require.NoError(t, err)
	assert.Contains(t, got, "code=c1")

	l2, err := ListenLoopback("", "")
	require.NoError(t, err)
	_, err = l2.Wait(context.Background(), 50*time.Millisecond)
	assert.ErrorIs(t, err, ErrRedirectTimeout)

	l3, err := ListenLoopback("", "")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = l3.Wait(ctx, time.Minute)
	assert.ErrorIs(t, err, context.Canceled)

	_, err = ListenLoopback("0.0.0.0:0", "")
	var ce *ConfigError
	assert.ErrorAs(t, err, &ce, "only loopback addresses")
}
