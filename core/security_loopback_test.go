package core

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// get fetches u and returns the status and the page; status 0 when the
// listener is gone. Safe in any goroutine.
func get(u string) (int, string) {
	resp, err := http.Get(u)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// redirectOf returns the redirect_uri of an authorization URL.
func redirectOf(t *testing.T, authURL string) string {
	t.Helper()
	u, err := url.Parse(authURL)
	require.NoError(t, err)
	return u.Query().Get("redirect_uri")
}

// TestSecurityLoopbackRedirect: another local process cannot abort or
// hijack a login through the loopback redirect listener (RFC 8252 §8.3,
// RFC 9700 §4.5; issue 12 item 3).
func TestSecurityLoopbackRedirect(t *testing.T) {
	ctx := context.Background()
	srv := asServer(t, oauthtest.Options{})

	t.Run("a response for another state is refused and the login goes on", func(t *testing.T) {
		m := newManager(t, publicClient(srv))
		browser := make(chan string, 2)
		open := func(authURL string) error {
			cb := redirectOf(t, authURL)
			for _, forged := range []string{"?error=access_denied&state=forged", "?code=attacker", "?code=attacker&state=",
				"?error=access_denied&error_description=%3Cscript%3E&state=x%3Cb%3E"} {
				status, page := get(cb + forged)
				assert.Equal(t, http.StatusBadRequest, status, forged)
				assert.NotContains(t, page, "received", forged)
				assert.NotContains(t, page, "<script>", "nothing is reflected")
				assert.NotContains(t, page, "x<b>", "nothing is reflected")
			}
			response := follow(t, authURL)
			go func() { // the user's browser, with the real response
				status, page := get(response)
				browser <- page
				browser <- strconv.Itoa(status)
			}()
			return nil
		}
		err := m.AuthorizeInteractively(ctx, open, 10*time.Second)
		page, status := <-browser, <-browser
		require.NoError(t, err)
		assert.Equal(t, "200", status)
		assert.Contains(t, page, "received")
		_, err = m.Token(ctx)
		require.NoError(t, err)
	})

	t.Run("a second response for the state aborts the login", func(t *testing.T) {
		// The token endpoint holds the code exchange until the second
		// response has reached the listener.
		exchanging, release := make(chan struct{}), make(chan struct{})
		target, _ := url.Parse(srv.URL)
		proxy := httputil.NewSingleHostReverseProxy(target)
		var once sync.Once
		hold := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			once.Do(func() { close(exchanging) })
			<-release
			proxy.ServeHTTP(w, r)
		}))
		defer hold.Close()
		cfg := publicClient(srv)
		cfg.TokenURL = hold.URL + "/token"
		m := newManager(t, cfg)
		firstPage, secondPage := make(chan string, 1), make(chan string, 2)
		open := func(authURL string) error {
			injected := follow(t, authURL) // the attacker's code for the victim's state
			go func() {
				_, page := get(injected)
				firstPage <- page
			}()
			go func() {
				defer close(release)
				<-exchanging
				status, page := get(injected) // the user's browser comes back
				secondPage <- page
				secondPage <- strconv.Itoa(status)
			}()
			return nil
		}
		err := m.AuthorizeInteractively(ctx, open, 10*time.Second)
		page, status := <-secondPage, <-secondPage
		assert.Equal(t, "400", status)
		assert.NotContains(t, page, "received")
		require.ErrorIs(t, err, ErrCodeInjection)
		assert.ErrorIs(t, err, ErrStateMismatch, "reported as a state failure")
		assert.Contains(t, err.Error(), "second authorization response")
		_, err = m.Token(ctx)
		assert.ErrorIs(t, err, ErrAuthorizationRequired, "what the first response delivered is discarded")
		assert.NotContains(t, <-firstPage, "received")
	})

	t.Run("the default redirect port is ephemeral", func(t *testing.T) {
		assert.NotContains(t, DefaultRedirectURI, ":8976")
		u, err := url.Parse(DefaultRedirectURI)
		require.NoError(t, err)
		assert.Empty(t, u.Port(), "registered without a port: any port matches (RFC 8252 §7.3)")
		m := newManager(t, &Config{ServerURL: "http://127.0.0.1:1/mcp"})
		addr, _, err := m.loopbackAddress()
		require.NoError(t, err)
		assert.Equal(t, "127.0.0.1:0", addr)
	})

	t.Run("a process holding the old default port cannot stop a login", func(t *testing.T) {
		if squatter, err := net.Listen("tcp", "127.0.0.1:8976"); err == nil { // else someone holds it already
			defer squatter.Close()
		}
		mcp := mcptest.StartT(t, mcptest.Options{})
		m := newManager(t, &Config{ServerURL: mcp.StreamableURL()}) // discovery and registration
		require.NoError(t, m.AuthorizeInteractively(ctx, browser, 10*time.Second))
		_, err := m.Token(ctx)
		require.NoError(t, err)
	})

	t.Run("a busy fixed port is a clear configuration error", func(t *testing.T) {
		busy, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		defer busy.Close()
		cfg := publicClient(srv)
		cfg.RedirectURI = "http://" + busy.Addr().String() + "/callback"
		err = newManager(t, cfg).AuthorizeInteractively(ctx, browser, time.Second)
		var ce *ConfigError
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, "redirect_uri", ce.Field)
		assert.Contains(t, err.Error(), "port "+strings.TrimPrefix(busy.Addr().String(), "127.0.0.1:")+" is in use")
		assert.Contains(t, err.Error(), "to use a free port")
	})

	t.Run("the page says what went wrong when the login fails", func(t *testing.T) {
		srv.DenyAuthorization("access_denied")
		defer srv.DenyAuthorization("")
		m := newManager(t, publicClient(srv))
		page := make(chan string, 1)
		open := func(authURL string) error {
			response := follow(t, authURL)
			go func() {
				_, p := get(response)
				page <- p
			}()
			return nil
		}
		var de *AuthorizationDeniedError
		require.ErrorAs(t, m.AuthorizeInteractively(ctx, open, 10*time.Second), &de)
		p := <-page
		assert.NotContains(t, p, "received")
		assert.Contains(t, p, "denied")
	})
}
