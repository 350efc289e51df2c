package mcpclient

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// newManager returns a token manager for cfg, closed when the test ends.
func newManager(t *testing.T, cfg *core.Config) *core.TokenManager {
	t.Helper()
	m, err := core.NewTokenManager(cfg)
	require.NoError(t, err)
	t.Cleanup(m.Close)
	return m
}

// follow requests authURL as a user agent that approves at once and
// returns the redirect (to the callback) the authorization server answers.
func follow(t *testing.T, authURL string) string {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(authURL)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode)
	return resp.Header.Get("Location")
}

// browser is an opener that visits the authorization URL in the background,
// as a user who approves at once.
func browser(authURL string) error {
	go func() {
		if resp, err := http.Get(authURL); err == nil {
			resp.Body.Close()
		}
	}()
	return nil
}
