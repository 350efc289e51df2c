package core

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// deviceClient is a public client configured with the server's device
// authorization endpoint.
func deviceClient(srv *oauthtest.Server) *Config {
	return &Config{ClientID: oauthtest.DefaultPublicClientID, TokenURL: srv.TokenURL(),
		DeviceAuthorizationURL: srv.DeviceAuthorizationURL(), Scopes: []string{"read"}, Resource: "https://mcp.example/mcp"}
}

// pollClock is a fake clock whose sleeps return at once, advancing it and
// recording each wait, so that polling intervals are asserted exactly.
type pollClock struct {
	fakeClock
	mu     sync.Mutex
	sleeps []time.Duration
}

func (c *pollClock) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	c.sleeps = append(c.sleeps, d)
	c.mu.Unlock()
	c.Advance(d)
	return nil
}

func (c *pollClock) waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// usePollClock makes m poll on a pollClock.
func usePollClock(m *TokenManager) *pollClock {
	c := &pollClock{fakeClock: fakeClock{now: time.Now()}}
	m.now, m.sleep = c.Now, c.sleep
	if p := m.params.Load(); p != nil {
		p.endpoint.now = c.Now
	}
	return c
}

func seconds(s ...int) []time.Duration {
	d := make([]time.Duration, len(s))
	for i, n := range s {
		d[i] = time.Duration(n) * time.Second
	}
	return d
}

func TestDeviceAuthorizationOutcomes(t *testing.T) {
	tests := []struct {
		name string
		// setup runs once the device authorization has begun.
		setup     func(t *testing.T, srv *oauthtest.Server, d *DeviceAuthorization)
		wantErr   func(t *testing.T, err error)
		wantWaits []time.Duration
		wantPolls int
	}{
		{
			name:      "approved after pending",
			setup:     func(t *testing.T, srv *oauthtest.Server, _ *DeviceAuthorization) { srv.SetDeviceAutoApprove(3) },
			wantWaits: seconds(5, 5, 5), wantPolls: 3,
		},
		{
			name: "approved by the user",
			setup: func(t *testing.T, srv *oauthtest.Server, d *DeviceAuthorization) {
				require.NoError(t, srv.ApproveDevice(d.UserCode))
			},
			wantWaits: seconds(5), wantPolls: 1,
		},
		{
			name: "slow_down adds 5 s for good",
			setup: func(t *testing.T, srv *oauthtest.Server, _ *DeviceAuthorization) {
				srv.SlowDownNext(2)
				srv.SetDeviceAutoApprove(4)
			},
			wantWaits: seconds(5, 10, 15, 15), wantPolls: 4,
		},
		{
			name: "expired_token",
			setup: func(t *testing.T, srv *oauthtest.Server, _ *DeviceAuthorization) {
				srv.FailNext(1, oauthtest.Failure{Body: `{"error":"expired_token"}`})
			},
			wantErr:   func(t *testing.T, err error) { assert.ErrorIs(t, err, ErrDeviceCodeExpired) },
			wantWaits: seconds(5), wantPolls: 1,
		},
		{
			name: "access_denied",
			setup: func(t *testing.T, srv *oauthtest.Server, d *DeviceAuthorization) {
				require.NoError(t, srv.DenyDevice(d.UserCode))
			},
			wantErr: func(t *testing.T, err error) {
				var denied *AuthorizationDeniedError
				require.ErrorAs(t, err, &denied)
				assert.Equal(t, "access_denied", denied.ErrorCode)
			},
			wantWaits: seconds(5), wantPolls: 1,
		},
		{
			name: "server error",
			setup: func(t *testing.T, srv *oauthtest.Server, _ *DeviceAuthorization) {
				srv.FailNext(1, oauthtest.Failure{Status: http.StatusInternalServerError, Body: "oops"})
			},
			wantErr: func(t *testing.T, err error) {
				var se *ServerError
				require.ErrorAs(t, err, &se)
				assert.Equal(t, http.StatusInternalServerError, se.StatusCode)
			},
			wantWaits: seconds(5), wantPolls: 1,
		},
		{
			name: "other OAuth error",
			setup: func(t *testing.T, srv *oauthtest.Server, _ *DeviceAuthorization) {
				srv.FailNext(1, oauthtest.Failure{Body: `{"error":"invalid_grant"}`})
			},
			wantErr: func(t *testing.T, err error) {
				var oe *OAuthError
				require.ErrorAs(t, err, &oe)
				assert.Equal(t, "invalid_grant", oe.ErrorCode)
			},
			wantWaits: seconds(5), wantPolls: 1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := asServer(t, oauthtest.Options{})
			m := newManager(t, deviceClient(srv))
			clock := usePollClock(m)
			err := m.AuthorizeDevice(context.Background(), func(d *DeviceAuthorization) error {
				tc.setup(t, srv, d)
				return nil
			})
			assert.Equal(t, tc.wantWaits, clock.waits())
			assert.Equal(t, tc.wantPolls, srv.Counts().TokenByGrant[GrantDeviceCode])
			if tc.wantErr != nil {
				require.Error(t, err)
				tc.wantErr(t, err)
				_, err = m.Token(context.Background())
				assert.ErrorIs(t, err, ErrAuthorizationRequired, "no token was stored")
				return
			}
			require.NoError(t, err)
			snap, err := m.Token(context.Background())
			require.NoError(t, err)
			assert.Equal(t, "read", snap.Scope)
			reqs := srv.TokenRequests()
			assert.Equal(t, "https://mcp.example/mcp", reqs[len(reqs)-1].Form.Get("resource"))
			assert.Equal(t, "none", reqs[len(reqs)-1].AuthMethod)
		})
	}
}

func TestDeviceAuthorizationResponseFields(t *testing.T) {
	srv := asServer(t, oauthtest.Options{DeviceInterval: 2 * time.Second, DeviceCodeLifetime: 90 * time.Second})
	m := newManager(t, deviceClient(srv))
	clock := usePollClock(m)
	d, err := m.BeginDeviceAuthorization(context.Background())
	require.NoError(t, err)
	assert.Regexp(t, `^[A-Z]{4}-[A-Z]{4}$`, d.UserCode)
	assert.Equal(t, srv.VerificationURL(), d.VerificationURI)
	assert.Equal(t, srv.VerificationURL()+"?user_code="+d.UserCode, d.VerificationURIComplete)
	assert.Equal(t, clock.Now().Add(90*time.Second), d.ExpiresAt)
	assert.Equal(t, 2*time.Second, d.Interval)

	printed := fmt.Sprintf("%v %+v %#v %s", d, *d, d, d)
	assert.NotContains(t, printed, d.deviceCode, "the device code is never printed")
	assert.Contains(t, printed, d.UserCode)

	srv.SlowDownNext(1)
	srv.SetDeviceAutoApprove(2)
	require.NoError(t, m.CompleteDeviceAuthorization(context.Background(), d))
	assert.Equal(t, seconds(2, 7), clock.waits(), "the server's interval, plus 5 s after slow_down")
	assert.Equal(t, 2*time.Second, d.Interval, "the caller's DeviceAuthorization is not modified")

	require.ErrorIs(t, m.CompleteDeviceAuthorization(context.Background(), &DeviceAuthorization{UserCode: "X"}), errNoDeviceAuthorization)
	require.ErrorIs(t, m.CompleteDeviceAuthorization(context.Background(), nil), errNoDeviceAuthorization)
}

func TestDeviceAuthorizationDefaultInterval(t *testing.T) {
	srv := asServer(t, oauthtest.Options{DeviceInterval: -1})
	m := newManager(t, deviceClient(srv))
	clock := usePollClock(m)
	err := m.AuthorizeDevice(context.Background(), func(d *DeviceAuthorization) error {
		assert.Equal(t, 5*time.Second, d.Interval, "RFC 8628 §3.5: 5 s when interval is absent")
		srv.SetDeviceAutoApprove(2)
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, seconds(5, 5), clock.waits())
}

func TestDeviceAuthorizationDeadline(t *testing.T) {
	srv := asServer(t, oauthtest.Options{DeviceCodeLifetime: 12 * time.Second})
	m := newManager(t, deviceClient(srv))
	clock := usePollClock(m)
	err := m.AuthorizeDevice(context.Background(), func(*DeviceAuthorization) error { return nil })
	require.ErrorIs(t, err, ErrDeviceCodeExpired)
	assert.Equal(t, seconds(5, 5, 2), clock.waits(), "the last wait ends at expires_in")
	assert.Equal(t, 2, srv.Counts().TokenByGrant[GrantDeviceCode], "no poll after the deadline")
}

func TestDeviceAuthorizationCancel(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	t.Run("while waiting to poll", func(t *testing.T) {
		m := newManager(t, deviceClient(srv)) // real timer: the wait is 5 s
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			done <- m.AuthorizeDevice(ctx, func(*DeviceAuthorization) error { cancel(); return nil })
		}()
		select {
		case err := <-done:
			require.ErrorIs(t, err, context.Canceled)
			var ne *NetworkError
			require.ErrorAs(t, err, &ne)
			assert.False(t, ne.Timeout)
		case <-time.After(3 * time.Second):
			t.Fatal("cancelling ctx did not stop the wait")
		}
	})
	t.Run("deadline while polling", func(t *testing.T) {
		m := newManager(t, deviceClient(srv))
		usePollClock(m)
		srv.SetLatency(time.Minute)
		defer srv.SetLatency(0)
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		d, err := m.BeginDeviceAuthorization(context.Background())
		require.NoError(t, err)
		err = m.CompleteDeviceAuthorization(ctx, d)
		var ne *NetworkError
		require.ErrorAs(t, err, &ne)
		assert.True(t, ne.Timeout)
	})
	t.Run("closed while waiting to poll", func(t *testing.T) {
		m := newManager(t, deviceClient(srv))
		waiting := make(chan struct{})
		m.sleep = func(ctx context.Context, d time.Duration) error {
			close(waiting)
			return sleepContext(ctx, d) // real timer: the wait is 5 s
		}
		d, err := m.BeginDeviceAuthorization(context.Background())
		require.NoError(t, err)
		done := make(chan error, 1)
		go func() { done <- m.CompleteDeviceAuthorization(context.Background(), d) }()
		<-waiting
		m.Close()
		select {
		case err := <-done:
			assert.ErrorIs(t, err, ErrClosed)
		case <-time.After(3 * time.Second):
			t.Fatal("Close did not stop the polling")
		}
	})
	t.Run("closed manager", func(t *testing.T) {
		m := newManager(t, deviceClient(srv))
		d, err := m.BeginDeviceAuthorization(context.Background())
		require.NoError(t, err)
		m.Close()
		assert.ErrorIs(t, m.CompleteDeviceAuthorization(context.Background(), d), ErrClosed)
		_, err = m.BeginDeviceAuthorization(context.Background())
		assert.ErrorIs(t, err, ErrClosed)
	})
}

func TestDeviceAuthorizationUnsupported(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	noEndpoint := deviceClient(srv)
	noEndpoint.DeviceAuthorizationURL, noEndpoint.AuthorizeURL = "", srv.AuthorizeURL()
	clientCreds := testClient(srv)
	clientCreds.DeviceAuthorizationURL = srv.DeviceAuthorizationURL()
	clientCreds.GrantType = GrantClientCredentials
	tests := []struct {
		name string
		cfg  *Config
	}{
		{"no device_authorization_url", noEndpoint},
		{"client_credentials grant", clientCreds},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := newManager(t, tc.cfg)
			prompted := false
			err := m.AuthorizeDevice(context.Background(), func(*DeviceAuthorization) error { prompted = true; return nil })
			assert.ErrorIs(t, err, ErrUnsupported)
			assert.False(t, prompted)
			assert.Zero(t, srv.Counts().DeviceAuthorization)
		})
	}
}

func TestDeviceAuthorizationNotAdvertised(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{AS: oauthtest.Options{DisableDeviceAuthorization: true}})
	m := newManager(t, &Config{ServerURL: srv.StreamableURL()})
	_, err := m.BeginDeviceAuthorization(context.Background())
	require.ErrorIs(t, err, ErrUnsupported)
	assert.Contains(t, err.Error(), "no device authorization endpoint")
	regs := srv.AS().Registrations()
	require.Len(t, regs, 1)
	assert.NotContains(t, regs[0].Metadata.GrantTypes, GrantDeviceCode)
}

func TestDeviceAuthorizationWithDiscovery(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	dir := filepath.Join(t.TempDir(), "tokens")
	m := newManager(t, &Config{ServerURL: srv.StreamableURL(), TokenStoreDir: dir})
	usePollClock(m)
	err := m.AuthorizeDevice(context.Background(), func(d *DeviceAuthorization) error {
		return srv.AS().ApproveDevice(d.UserCode)
	})
	require.NoError(t, err)
	regs := srv.AS().Registrations()
	require.Len(t, regs, 1)
	assert.Equal(t, []string{GrantAuthorizationCode, GrantRefreshToken, GrantDeviceCode}, regs[0].Metadata.GrantTypes)

	s, err := sdkConnect(context.Background(), t, m, srv.StreamableURL(), false)
	require.NoError(t, err, "the device grant's token is accepted by the MCP server")
	assert.Equal(t, "hi", sdkEcho(t, s, "hi"))
	s.Close()
	m.Close()

	// Token store persistence: a restarted manager needs no new grant.
	restarted := newManager(t, &Config{ServerURL: srv.StreamableURL(), TokenStoreDir: dir})
	s, err = sdkConnect(context.Background(), t, restarted, srv.StreamableURL(), false)
	require.NoError(t, err)
	s.Close()
	assert.Equal(t, 1, srv.AS().Counts().DeviceAuthorization)
	assert.Equal(t, 1, srv.AS().Counts().TokenByGrant[GrantDeviceCode])
	assert.Equal(t, 1, srv.AS().Counts().Register)
}

func TestDeviceAuthorizationPersistsTokens(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	cfg := deviceClient(srv)
	cfg.TokenStoreDir = filepath.Join(t.TempDir(), "tokens")
	m := newManager(t, cfg)
	usePollClock(m)
	require.NoError(t, m.AuthorizeDevice(context.Background(), func(d *DeviceAuthorization) error {
		return srv.ApproveDevice(d.UserCode)
	}))
	first, err := m.Token(context.Background())
	require.NoError(t, err)
	m.Close()

	again := *cfg
	restarted := newManager(t, &again)
	got, err := restarted.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, first.AccessToken, got.AccessToken, "the stored access token is served")
	restarted.Invalidate(got.AccessToken)
	_, err = restarted.Token(context.Background())
	require.NoError(t, err)
	reqs := srv.TokenRequests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "refresh_token", reqs[1].Grant, "the stored refresh token of the device grant is used")
}

func TestDeviceAuthorizationRequest(t *testing.T) {
	var got url.Values
	var basic string
	ep := newFakeEndpoint(t, func(_ int64, form url.Values) (int, any) {
		got = form
		return http.StatusOK, map[string]any{"device_code": "dc", "user_code": "UC", "verification_uri": "https://as.example/device",
			"expires_in": 600}
	})
	cfg := &Config{ClientID: "c", ClientSecret: "s3cr3t-value", TokenURL: ep.URL + "/token", DeviceAuthorizationURL: ep.URL + "/device",
		Scopes: []string{"a", "b"}, Resource: "https://mcp.example/mcp"}
	m := newManager(t, cfg)
	d, err := m.BeginDeviceAuthorization(context.Background())
	require.NoError(t, err)
	assert.Equal(t, url.Values{"scope": {"a b"}, "resource": {"https://mcp.example/mcp"}}, got)
	ep.mu.Lock()
	basic = ep.headers[0].Get("Authorization")
	ep.mu.Unlock()
	assert.True(t, strings.HasPrefix(basic, "Basic "), "client_secret_basic as at the token endpoint")
	assert.Equal(t, 5*time.Second, d.Interval)
	assert.Empty(t, d.VerificationURIComplete)
}

func TestDeviceAuthorizationResponseValidation(t *testing.T) {
	valid := func() map[string]any {
		return map[string]any{"device_code": "dc-secret-value", "user_code": "UC", "verification_uri": "https://as.example/device",
			"expires_in": 600, "interval": 3}
	}
	with := func(k string, v any) map[string]any {
		m := valid()
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	tests := []struct {
		name   string
		status int
		body   any
		want   func(t *testing.T, err error)
	}{
		{"no device_code", 200, with("device_code", nil), protocolErr("no device_code")},
		{"no user_code", 200, with("user_code", nil), protocolErr("no user_code")},
		{"user_code with escape", 200, with("user_code", "AB\x1b[2J"), protocolErr("control characters")},
		{"user_code not a string", 200, with("user_code", 42), protocolErr("not a string")},
		{"no verification_uri", 200, with("verification_uri", nil), protocolErr("verification_uri")},
		{"http verification_uri", 200, with("verification_uri", "http://as.example/device"), protocolErr("verification_uri")},
		{"bad verification_uri_complete", 200, with("verification_uri_complete", "javascript:alert(1)"), protocolErr("verification_uri_complete")},
		{"no expires_in", 200, with("expires_in", nil), protocolErr("no expires_in")},
		{"negative expires_in", 200, with("expires_in", -1), protocolErr("expires_in")},
		{"huge expires_in", 200, with("expires_in", 100000), protocolErr("exceeds a day")},
		{"fractional interval", 200, with("interval", 1.5), protocolErr("interval")},
		{"string interval", 200, with("interval", "5"), protocolErr("interval")},
		{"not JSON", 200, "<html>", protocolErr("not a JSON object")},
		{"error response", 400, map[string]any{"error": "invalid_client"}, func(t *testing.T, err error) {
			var oe *OAuthError
			require.ErrorAs(t, err, &oe)
			assert.Equal(t, "invalid_client", oe.ErrorCode)
		}},
		{"server error", 503, "down", func(t *testing.T, err error) {
			var se *ServerError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, "device authorization endpoint", se.Endpoint)
		}},
		{"oversized body", 200, strings.Repeat(" ", maxBodyBytes+1), protocolErr("exceeds 1 MiB")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep := newFakeEndpoint(t, func(int64, url.Values) (int, any) { return tc.status, tc.body })
			m := newManager(t, &Config{ClientID: "c", TokenURL: ep.URL + "/token", DeviceAuthorizationURL: ep.URL + "/device"})
			_, err := m.BeginDeviceAuthorization(context.Background())
			require.Error(t, err)
			assert.NotContains(t, err.Error(), "dc-secret-value")
			tc.want(t, err)
		})
	}
}

// protocolErr expects a ProtocolError whose reason mentions substr.
func protocolErr(substr string) func(t *testing.T, err error) {
	return func(t *testing.T, err error) {
		var pe *ProtocolError
		require.ErrorAs(t, err, &pe)
		assert.Contains(t, pe.Reason, substr)
	}
}

func TestDeviceAuthorizationURLConfig(t *testing.T) {
	tests := []struct {
		name, url string
		ok        bool
	}{
		{"https", "https://as.example/device", true},
		{"loopback http", "http://127.0.0.1:9/device", true},
		{"remote http", "http://as.example/device", false},
		{"relative", "/device", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := &Config{ClientID: "c", TokenURL: "https://as.example/token", DeviceAuthorizationURL: tc.url}
			err := cfg.Validate()
			if tc.ok {
				require.NoError(t, err)
				assert.Equal(t, GrantAuthorizationCode, cfg.GrantType, "the device grant implies a user-delegated grant")
				return
			}
			var ce *ConfigError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, "device_authorization_url", ce.Field)
		})
	}
}

// TestDeviceAuthorizationErrorQuotesNoSecret: a device authorization
// endpoint echoing the client's credentials in its error is redacted like
// the token endpoint.
func TestDeviceAuthorizationErrorQuotesNoSecret(t *testing.T) {
	const secret = "s3cr3t-device-value"
	ep := newFakeEndpoint(t, func(_ int64, _ url.Values) (int, any) {
		return http.StatusBadRequest, map[string]any{"error": "invalid_client",
			"error_description": "client secret " + secret + " is wrong; Basic " +
				base64.StdEncoding.EncodeToString([]byte("c:"+secret))}
	})
	m := newManager(t, &Config{ClientID: "c", ClientSecret: secret, TokenURL: ep.URL + "/token",
		DeviceAuthorizationURL: ep.URL + "/device"})
	_, err := m.BeginDeviceAuthorization(context.Background())
	isOAuthError("invalid_client", 400)(t, err)
	assert.NotContains(t, err.Error(), secret)
	assert.NotContains(t, err.Error(), base64.StdEncoding.EncodeToString([]byte("c:"+secret)))
	assert.Contains(t, err.Error(), "[redacted]")
}

// TestDeviceAuthorizationAnswerAfterTheCallerGaveUp: a caller gives up
// (cancelled, or its timeout) while a poll is at the server, and the user
// approves in that moment. The server spends the device code when it issues
// the tokens (RFC 8628 §3.5), so the answer must not be dropped: the next
// call gets the tokens of that poll instead of polling again (which a real
// server answers invalid_grant). The race behind a flaky C test_approved:
// its 1 s timeout equalled the 1 s interval, so the poll could start as the
// timeout fell and the approval land before the server took it.
func TestDeviceAuthorizationAnswerAfterTheCallerGaveUp(t *testing.T) {
	arrived, release := make(chan struct{}), make(chan struct{})
	var polls atomic.Int64
	ep := newFakeEndpoint(t, func(_ int64, form url.Values) (int, any) {
		if form.Get("grant_type") != GrantDeviceCode {
			return 200, map[string]any{"device_code": "dc-1", "user_code": "ABCD-EFGH",
				"verification_uri": "https://as.example/device", "expires_in": 600, "interval": 1}
		}
		if polls.Add(1) > 1 {
			return 400, map[string]any{"error": "invalid_grant", "error_description": "unknown or used device code"}
		}
		close(arrived)
		<-release // approved meanwhile: this poll redeems the code
		return 200, bearer("at-device", 3600, "refresh_token", "rt-device")
	})
	m := newManager(t, &Config{ClientID: "public", TokenURL: ep.URL, DeviceAuthorizationURL: ep.URL})
	usePollClock(m)
	d, err := m.BeginDeviceAuthorization(context.Background())
	require.NoError(t, err)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.CompleteDeviceAuthorization(ctx, d) }()
	<-arrived
	cancel()
	err = <-done
	assert.Equal(t, KindCancelled, Classify(err).Kind, "the caller gave up: %v", err)
	close(release)

	require.NoError(t, m.CompleteDeviceAuthorization(context.Background(), d), "the answer to the poll in flight is kept")
	tok, err := m.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "at-device", tok.AccessToken)
	assert.Equal(t, int64(1), polls.Load(), "the spent device code was not polled again")
}
