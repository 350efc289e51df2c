package core

import (
	"bytes"
	"context"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// browserScript is the tests' headless browser program (tests/c/browser.sh):
// started with the authorization URL, it follows it to the loopback
// listener as a user approving would.
func browserScript(t *testing.T) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "tests", "c", "browser.sh")
}

// syncBuffer is a bytes.Buffer safe for the login goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// concurrently runs n calls of f at once and returns their errors.
func concurrently(n int, f func() error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = f()
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

func TestLoginBrowserIsOneLoginForConcurrentCallers(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	cfg := publicClient(srv)
	cfg.Login, cfg.OpenCommand = LoginBrowser, browserScript(t)
	m := newManager(t, cfg)
	tokens := make(chan string, 8)
	for _, err := range concurrently(8, func() error {
		s, err := m.Token(context.Background())
		tokens <- s.AccessToken
		return err
	}) {
		require.NoError(t, err)
	}
	close(tokens)
	first := <-tokens
	for tok := range tokens {
		assert.Equal(t, first, tok, "every caller has the one login's token")
	}
	assert.Equal(t, 1, srv.Counts().Authorize, "one login")
	assert.Equal(t, 1, srv.Counts().TokenByGrant[GrantAuthorizationCode])
}

func TestLoginDeviceShowsTheCodeOnceForConcurrentCallers(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	srv.SetDeviceAutoApprove(1)
	cfg := deviceClient(srv)
	cfg.Login = LoginDevice
	var prompt syncBuffer
	m := newManager(t, cfg, WithLoginPrompt(&prompt))
	usePollClock(m)
	for _, err := range concurrently(8, func() error {
		_, err := m.Token(context.Background())
		return err
	}) {
		require.NoError(t, err)
	}
	assert.Equal(t, 1, srv.Counts().DeviceAuthorization, "one login")
	assert.Contains(t, prompt.String(), srv.VerificationURL())
	assert.Equal(t, 1, strings.Count(prompt.String(), "enter the code"), "the user is asked once: %s", prompt.String())
}

func TestLoginDrivesAnMCPSession(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	m := newManager(t, &Config{ServerURL: srv.StreamableURL(), Login: LoginBrowser, OpenCommand: browserScript(t)})
	sessions := make(chan *mcp.ClientSession, 4)
	for _, err := range concurrently(4, func() error {
		s, err := sdkConnect(context.Background(), t, m, srv.StreamableURL(), false)
		if err == nil {
			sessions <- s
		}
		return err
	}) {
		require.NoError(t, err, "the manager logs the user in instead of failing")
	}
	close(sessions)
	for s := range sessions {
		assert.Equal(t, "hi", sdkEcho(t, s, "hi"))
		s.Close()
	}
	assert.Equal(t, 1, srv.AS().Counts().Authorize, "one login for four connections")
	assert.Equal(t, 1, srv.AS().Counts().Register)
}

func TestLoginNoneStillAsksTheCaller(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	m := newManager(t, publicClient(srv))
	assert.Equal(t, LoginNone, m.Config().Login, "the default")
	_, err := m.Token(context.Background())
	require.ErrorIs(t, err, ErrAuthorizationRequired)
	assert.Zero(t, srv.Counts().Authorize)
}

func TestLoginFailureReachesEveryWaiterAndIsNotSticky(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	cfg := publicClient(srv)
	cfg.Login, cfg.OpenCommand = LoginBrowser, browserScript(t)
	m := newManager(t, cfg)
	srv.DenyAuthorization("access_denied")
	for _, err := range concurrently(4, func() error {
		_, err := m.Token(context.Background())
		return err
	}) {
		var de *AuthorizationDeniedError
		require.ErrorAs(t, err, &de)
	}
	assert.Equal(t, 1, srv.Counts().Authorize, "one login, denied, for all of them")
	srv.DenyAuthorization("")
	_, err := m.Token(context.Background())
	require.NoError(t, err, "the next call logs in again")
}

func TestLoginConfig(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	for _, tc := range []struct {
		name, field string
		edit        func(*Config)
	}{
		{"unknown mode", "login", func(c *Config) { c.Login = "popup" }},
		{"client credentials", "login", func(c *Config) { *c = *testClient(srv); c.Login = LoginDevice }},
		{"open_command without browser", "open_command", func(c *Config) { c.Login = LoginDevice; c.OpenCommand = "xdg-open" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := publicClient(srv)
			tc.edit(cfg)
			var ce *ConfigError
			require.ErrorAs(t, cfg.Validate(), &ce)
			assert.Equal(t, tc.field, ce.Field)
		})
	}
}

func TestLoginWithNowhereToShowItFails(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	cfg := deviceClient(srv)
	cfg.Login = LoginDevice
	_, err := newManager(t, cfg).Token(context.Background())
	var ce *ConfigError
	require.ErrorAs(t, err, &ce, "the library writes nothing itself: the front end gives the prompt")
	assert.Equal(t, "login", ce.Field)
	assert.Zero(t, srv.Counts().DeviceAuthorization)
}
