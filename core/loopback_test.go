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

	defer l.Close()
	req, err := m.BeginAuthorization(context.Background(), l.RedirectURI)
	require.NoError(t, err)
	l.Expect(req.State)
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
	l.Finish(nil)
	_, err = m.Token(context.Background())
	require.NoError(t, err)
}

func TestLoopbackRedirectOneShotTimeoutCancel(t *testing.T) {
	l, err := ListenLoopback("127.0.0.1:0", "/cb")
	require.NoError(t, err)
	defer l.Close()
	l.Expect("s")
	status, _ := get(l.RedirectURI + "?state=s") // neither code nor error: ignored
	assert.Equal(t, http.StatusNotFound, status)
	status, _ = get(l.RedirectURI + "?code=c0&state=other")
	assert.Equal(t, http.StatusBadRequest, status, "another state")
	first := make(chan int, 1)
	go func() { // its page waits for the outcome
		status, _ := get(l.RedirectURI + "?code=c1&state=s")
		first <- status
	}()
	got, err := l.Wait(context.Background(), time.Second)
	require.NoError(t, err)
	assert.Contains(t, got, "code=c1")
	assert.False(t, l.Injected())
	status, _ = get(l.RedirectURI + "?code=c2&state=s")
	assert.Equal(t, http.StatusBadRequest, status, "one-shot")
	assert.True(t, l.Injected(), "a second response for the state")
	l.Finish(ErrCodeInjection)
	assert.Equal(t, http.StatusBadRequest, <-first)

	l2, err := ListenLoopback("", "")
	require.NoError(t, err)
	defer l2.Close()
	_, err = l2.Wait(context.Background(), 50*time.Millisecond)
	assert.ErrorIs(t, err, ErrRedirectTimeout)

	l3, err := ListenLoopback("", "")
	require.NoError(t, err)
	defer l3.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = l3.Wait(ctx, time.Minute)
	assert.ErrorIs(t, err, context.Canceled)

	_, err = ListenLoopback("0.0.0.0:0", "")
	var ce *ConfigError
	assert.ErrorAs(t, err, &ce, "only loopback addresses")
}
