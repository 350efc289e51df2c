package core

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// browser follows the authorization URL like a browser would, all the way
// to the loopback listener.
func browser(authURL string) error {
	go func() {
		if resp, err := http.Get(authURL); err == nil {
			resp.Body.Close()
		}
	}()
	return nil
}

func TestAuthorizeInteractively(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	for _, tc := range []struct{ name, redirect string }{
		{"ephemeral port", ""},
		{"configured loopback redirect", "http://127.0.0.1:0/cb"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := publicClient(srv)
			cfg.RedirectURI = tc.redirect
			m := newManager(t, cfg)
			require.NoError(t, m.AuthorizeInteractively(context.Background(), browser, 5*time.Second))
			_, err := m.Token(context.Background())
			require.NoError(t, err)
		})
	}
}

func TestAuthorizeInteractivelyFailures(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	m := newManager(t, publicClient(srv))
	err := m.AuthorizeInteractively(context.Background(), func(string) error { return nil }, 100*time.Millisecond)
	assert.ErrorIs(t, err, ErrRedirectTimeout, "nobody came back")

	boom := errors.New("no browser")
	err = m.AuthorizeInteractively(context.Background(), func(string) error { return boom }, time.Second)
	assert.ErrorIs(t, err, boom)

	srv.DenyAuthorization("access_denied")
	defer srv.DenyAuthorization("")
	err = m.AuthorizeInteractively(context.Background(), browser, 5*time.Second)
	var de *AuthorizationDeniedError
	assert.ErrorAs(t, err, &de)

	cfg := publicClient(srv)
	cfg.RedirectURI = "https://app.example/cb"
	_, _, err = newManager(t, cfg).loopbackAddress()
	var ce *ConfigError
	assert.ErrorAs(t, err, &ce)
}
