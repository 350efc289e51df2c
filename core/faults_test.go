package core

// Fault suite: the token manager against the project's test authorization
// server (real sockets) with failure injection. Every failure must surface
// as the right typed error within the configured timeout, a still-valid
// cached token must keep being served while background refreshes fail, and
// no error message may carry a credential. TestMain's goleak check covers
// leftover goroutines.

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// faultTimeout is the http_timeout_seconds of every fault test client;
// faultSlack is how much later than the timeout an answer may come.
const (
	faultTimeout = 500 * time.Millisecond
	faultSlack   = 2 * time.Second
)

// errorLog collects every error string the suite sees, and every secret it
// handled, so that TestFaultErrorsCarryNoSecrets can cross-check them.
type errorLog struct {
	mu      sync.Mutex
	errs    []string
	secrets map[string]bool
}

var faultLog = &errorLog{secrets: map[string]bool{}}

func (l *errorLog) err(err error) {
	if err == nil {
		return
	}
	l.mu.Lock()
	l.errs = append(l.errs, err.Error())
	l.mu.Unlock()
}

func (l *errorLog) secret(values ...string) {
	l.mu.Lock()
	for _, v := range values {
		if len(v) >= 6 { // shorter strings would match by accident
			l.secrets[v] = true
		}
	}
	l.mu.Unlock()
}

// harvest records the credentials a server saw: refresh tokens, codes and
// PKCE verifiers sent to its token endpoint.
func (l *errorLog) harvest(srv *oauthtest.Server) {
	for _, r := range srv.TokenRequests() {
		l.secret(r.Form.Get("refresh_token"), r.Form.Get("code"), r.Form.Get("code_verifier"),
			r.Form.Get("client_secret"), r.Form.Get("client_assertion"))
	}
}

// faultClient is a confidential client_credentials config with short
// timeouts, authenticating with client_secret_post so that the secret
// travels in the body.
func faultClient(srv *oauthtest.Server) *Config {
	c := testClient(srv)
	c.HTTPTimeoutSeconds = faultTimeout.Seconds()
	c.TokenEndpointAuthMethod = AuthClientSecretPost
	faultLog.secret(c.ClientSecret)
	return c
}

// faultCase is one injected failure and the error it must produce.
type faultCase struct {
	name    string
	failure oauthtest.Failure
	check   func(t *testing.T, err error)
}

func isServerError(status int) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		var se *ServerError
		if assert.ErrorAs(t, err, &se) {
			assert.Equal(t, status, se.StatusCode)
		}
	}
}

func isProtocolError(reason string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		var pe *ProtocolError
		if assert.ErrorAs(t, err, &pe) {
			assert.Contains(t, pe.Reason, reason)
		}
	}
}

func isNetworkError(timeout bool) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		var ne *NetworkError
		if assert.ErrorAs(t, err, &ne) {
			assert.Equal(t, timeout, ne.Timeout, "Timeout flag of %v", err)
		}
	}
}

func isOAuthError(code string, status int) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		var oe *OAuthError
		if assert.ErrorAs(t, err, &oe) {
			assert.Equal(t, code, oe.ErrorCode)
			assert.Equal(t, status, oe.StatusCode)
		}
	}
}

// Access tokens planted in malformed responses: they must never reach an
// error message.
const (
	plantedToken   = "at-planted-0123456789"
	plantedRefresh = "rt-planted-0123456789"
)

func tokenBody(extra string) string {
	return `{"access_token":"` + plantedToken + `","refresh_token":"` + plantedRefresh + `"` + extra + `}`
}

var faultCases = []faultCase{
	{"500 empty", oauthtest.Failure{Status: 500}, isServerError(500)},
	{"500 html", oauthtest.Failure{Status: 500, Body: "<html>internal " + plantedToken + "</html>", ContentType: "text/html"}, isServerError(500)},
	{"502 json not oauth", oauthtest.Failure{Status: 502, Body: `{"message":"bad gateway"}`}, isServerError(502)},
	{"503 Retry-After", oauthtest.Failure{Status: 503, Header: map[string]string{"Retry-After": "1"}}, isServerError(503)},
	{"429 Retry-After", oauthtest.Failure{Status: 429, Body: "slow down", ContentType: "text/plain", Header: map[string]string{"Retry-After": "2"}}, isServerError(429)},
	{"429 oauth body", oauthtest.Failure{Status: 429, Body: `{"error":"slow_down"}`}, isOAuthError("slow_down", 429)},
	{"hang", oauthtest.Failure{Mode: oauthtest.ModeHang}, isNetworkError(true)},
	{"reset mid-body", oauthtest.Failure{Mode: oauthtest.ModeReset, Body: tokenBody(`,"token_type":"Bearer","expires_in":3600`)}, isNetworkError(false)},
	{"reset mid-body default", oauthtest.Failure{Mode: oauthtest.ModeReset}, isNetworkError(false)},
	{"redirect", oauthtest.Failure{Mode: oauthtest.ModeRedirect}, isProtocolError("redirect")},
	{"307 redirect", oauthtest.Failure{Mode: oauthtest.ModeRedirect, Status: 307}, isProtocolError("redirect")},
	{"malformed JSON", oauthtest.Failure{Status: 200, Body: `{"access_token":"` + plantedToken + `",`}, isProtocolError("not a JSON object")},
	{"JSON array", oauthtest.Failure{Status: 200, Body: `["` + plantedToken + `"]`}, isProtocolError("not a JSON object")},
	{"html 200", oauthtest.Failure{Status: 200, Body: "<html>login</html>", ContentType: "text/html"}, isProtocolError("not a JSON object")},
	{"10 MB body", oauthtest.Failure{Status: 200, Body: tokenBody(`,"pad":"` + strings.Repeat("x", 10<<20) + `"`)}, isProtocolError("exceeds 1 MiB")},
	{"10 MB error body", oauthtest.Failure{Status: 500, Body: strings.Repeat("e", 10<<20), ContentType: "text/plain"}, func(t *testing.T, err error) {
		var pe *ProtocolError
		var se *ServerError
		assert.True(t, errors.As(err, &pe) || errors.As(err, &se), "got %T %v", err, err)
	}},
	{"200 carrying error", oauthtest.Failure{Status: 200, Body: `{"error":"invalid_client","error_description":"bad client"}`}, isOAuthError("invalid_client", 200)},
	{"200 form error", oauthtest.Failure{Status: 200, Body: "error=bad_verification_code&error_description=x", ContentType: "application/x-www-form-urlencoded"}, isOAuthError("bad_verification_code", 200)},
	{"400 invalid_client", oauthtest.Failure{Status: 401, Body: `{"error":"invalid_client"}`}, isOAuthError("invalid_client", 401)},
	{"token_type mac", oauthtest.Failure{Status: 200, Body: tokenBody(`,"token_type":"mac","expires_in":3600`)}, isProtocolError("is not Bearer")},
	{"token_type DPoP", oauthtest.Failure{Status: 200, Body: tokenBody(`,"token_type":"DPoP","expires_in":3600`)}, isProtocolError(`"DPoP" was not requested`)},
	{"token_type number", oauthtest.Failure{Status: 200, Body: tokenBody(`,"token_type":7`)}, isProtocolError("token_type is not a string")},
	{"expires_in negative", oauthtest.Failure{Status: 200, Body: tokenBody(`,"token_type":"Bearer","expires_in":-60`)}, isProtocolError("positive")},
	{"expires_in zero", oauthtest.Failure{Status: 200, Body: tokenBody(`,"token_type":"Bearer","expires_in":0`)}, isProtocolError("positive")},
	{"expires_in huge", oauthtest.Failure{Status: 200, Body: tokenBody(`,"token_type":"Bearer","expires_in":1e300`)}, isProtocolError("out of range")},
	{"expires_in overflow", oauthtest.Failure{Status: 200, Body: tokenBody(`,"token_type":"Bearer","expires_in":1e400`)}, isProtocolError("not a number")},
	{"expires_in string", oauthtest.Failure{Status: 200, Body: tokenBody(`,"token_type":"Bearer","expires_in":"soon"`)}, isProtocolError("not a number")},
	{"expires_in NaN string", oauthtest.Failure{Status: 200, Body: tokenBody(`,"token_type":"Bearer","expires_in":"NaN"`)}, isProtocolError("not a number")},
	{"expires_in bool", oauthtest.Failure{Status: 200, Body: tokenBody(`,"token_type":"Bearer","expires_in":true`)}, isProtocolError("not a number")},
	{"no access_token", oauthtest.Failure{Status: 200, Body: `{"token_type":"Bearer","expires_in":3600,"refresh_token":"` + plantedRefresh + `"}`}, isProtocolError("no access_token")},
	{"access_token number", oauthtest.Failure{Status: 200, Body: `{"access_token":12345678,"token_type":"Bearer"}`}, isProtocolError("no access_token")},
	{"empty 200", oauthtest.Failure{Status: 200}, isProtocolError("not a JSON object")},
}

// retriedFaults are the transient failures a caller without a token
// retries (see obtainRetrying); the others, and those whose Retry-After
// exceeds faultTimeout, get one request.
var retriedFaults = map[string]bool{
	"500 empty": true, "500 html": true, "502 json not oauth": true,
	"reset mid-body": true, "reset mid-body default": true,
}

// TestFaultsForeground injects each failure into every token request of a
// client with no token: the caller gets the typed error within
// http_timeout_seconds after at most maxAttempts requests (one for a
// failure that is not transient), and once the server recovers the next
// call succeeds.
func TestFaultsForeground(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	faultLog.secret(plantedToken, plantedRefresh)
	for _, tc := range faultCases {
		t.Run(tc.name, func(t *testing.T) {
			srv.Reset()
			m := newManager(t, faultClient(srv))
			noRetryWait(m)
			srv.FailNext(maxAttempts, tc.failure)
			// That the retries fit in the timeout is TestForegroundRetry's,
			// on the manager's clock.
			_, err := m.Token(context.Background())
			faultLog.err(err)
			require.Error(t, err)
			tc.check(t, err)
			assert.NotContains(t, err.Error(), plantedToken)
			assert.NotContains(t, err.Error(), plantedRefresh)
			if retriedFaults[tc.name] {
				// Three attempts fit in the 500 ms timeout (50-100 ms and
				// 150-300 ms apart); a slow machine may leave room for two.
				assert.Contains(t, []int{2, 3}, srv.Counts().Token, "transient failure retried")
			} else {
				assert.Equal(t, 1, srv.Counts().Token, "not retried")
			}
			srv.Reset() // the server recovers

			// The failure was one-shot: a caller without a token does not
			// wait out the background backoff, and gets a token at once.
			snap, err := m.Token(context.Background())
			faultLog.err(err)
			require.NoError(t, err, "service resumes after the fault")
			assert.NotEmpty(t, snap.AccessToken)
			faultLog.secret(snap.AccessToken)
			faultLog.harvest(srv)
		})
	}
}

// TestFaultCallerDeadline: a caller's own context bounds its wait even when
// the request hangs, and the error says it timed out.
func TestFaultCallerDeadline(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	cfg := faultClient(srv)
	cfg.HTTPTimeoutSeconds = 3600 // only the caller's deadline can end the wait
	m := newManager(t, cfg)
	srv.FailNext(1, oauthtest.Failure{Mode: oauthtest.ModeHang})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() { _, err := m.Token(ctx); done <- err }()
	select {
	case err := <-done:
		faultLog.err(err)
		isNetworkError(true)(t, err)
	case <-time.After(time.Minute): // a guard: the request hangs for an hour
		t.Fatal("the caller's deadline did not end its wait")
	}
	m.Close() // cancels the hung request; goleak checks it ended
}

// TestFaultsDuringBackgroundRefresh: with a valid token cached and the
// clock in its refresh window, every failure mode makes the background
// refresh fail while callers keep getting the cached token without
// waiting; once the server recovers the token is replaced.
func TestFaultsDuringBackgroundRefresh(t *testing.T) {
	srv := asServer(t, oauthtest.Options{TokenLifetime: time.Hour})
	for _, tc := range []faultCase{
		faultCases[0], faultCases[3], faultCases[4], faultCases[6], faultCases[7], faultCases[9],
		faultCases[11], faultCases[14], faultCases[16], faultCases[19], faultCases[22], faultCases[29],
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv.ResetCounts()
			m := newManager(t, faultClient(srv))
			noRetryWait(m)
			clock := useClock(m)
			first, err := m.Token(context.Background())
			require.NoError(t, err)
			faultLog.secret(first.AccessToken)
			clock.Advance(55 * time.Minute) // inside the last 10% of the hour
			srv.FailNext(2, tc.failure)

			serve := func() {
				for range 20 { // never waiting: TestBackgroundRefreshNeverBlocksACaller
					s, err := m.Token(context.Background())
					faultLog.err(err)
					require.NoError(t, err)
					require.Equal(t, first.AccessToken, s.AccessToken, "the cached token is served while refresh fails")
				}
			}
			serve()
			// The first background refresh fails; the backoff (1 s less
			// jitter, on the manager's clock) holds the next one back.
			require.Eventually(t, func() bool { return srv.Counts().Token == 2 && !m.refreshing() },
				faultTimeout+faultSlack, 5*time.Millisecond)
			serve()
			assert.Equal(t, 2, srv.Counts().Token, "backoff: no new attempt before the quiet period ends")

			clock.Advance(2 * time.Second) // past the backoff: the second (failing) attempt
			serve()
			require.Eventually(t, func() bool { return srv.Counts().Token == 3 && !m.refreshing() },
				faultTimeout+faultSlack, 5*time.Millisecond)
			serve()

			clock.Advance(5 * time.Second) // past the doubled backoff: the server has recovered
			var got Snapshot
			require.Eventually(t, func() bool {
				got, err = m.Token(context.Background())
				return err == nil && got.AccessToken != first.AccessToken
			}, faultTimeout+faultSlack, 5*time.Millisecond)
			faultLog.secret(got.AccessToken)
			assert.Equal(t, 4, srv.Counts().Token)
			faultLog.harvest(srv)
		})
	}
}

// refreshing reports whether a token request is in flight.
func (m *TokenManager) refreshing() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.flight != nil
}

// TestBackgroundRefreshNeverBlocksACaller: a caller holding a valid token is
// served from the cache while the background refresh hangs at the server;
// a caller that waited for it would return only when the refresh ended.
func TestBackgroundRefreshNeverBlocksACaller(t *testing.T) {
	srv := asServer(t, oauthtest.Options{TokenLifetime: time.Hour})
	m := newManager(t, testClient(srv)) // the refresh may hang for 30 s
	clock := useClock(m)
	first, err := m.Token(context.Background())
	require.NoError(t, err)
	clock.Advance(55 * time.Minute) // the refresh window
	srv.FailNext(1, oauthtest.Failure{Mode: oauthtest.ModeHang})
	got, err := m.Token(context.Background()) // starts the refresh
	require.NoError(t, err)
	assert.Equal(t, first.AccessToken, got.AccessToken)
	require.Eventually(t, func() bool { return srv.Counts().Token == 2 }, 10*time.Second, time.Millisecond,
		"the refresh reached the server")
	got, err = m.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, first.AccessToken, got.AccessToken)
	assert.True(t, m.refreshing(), "served while the refresh was still at the server")
	m.Close() // ends the hung refresh
}

// TestFaultRetryAfterHonouredInBackground: after a 503 with Retry-After,
// the background refresh waits as long as the server asked, not just its
// own backoff, while the cached token keeps being served.
func TestFaultRetryAfterHonouredInBackground(t *testing.T) {
	srv := asServer(t, oauthtest.Options{TokenLifetime: time.Hour})
	m := newManager(t, faultClient(srv))
	clock := useClock(m)
	_, err := m.Token(context.Background())
	require.NoError(t, err)
	clock.Advance(55 * time.Minute) // inside the refresh window
	srv.FailNext(1, oauthtest.Failure{Status: 503, Header: map[string]string{"Retry-After": "240"}})
	_, _ = m.Token(context.Background())
	require.Eventually(t, func() bool { return srv.Counts().Token == 2 && !m.refreshing() }, 3*time.Second, 5*time.Millisecond)
	clock.Advance(60 * time.Second) // past the 1-30 s backoff, short of the 240 s asked for
	_, err = m.Token(context.Background())
	require.NoError(t, err)
	require.Eventually(t, func() bool { return !m.refreshing() }, 3*time.Second, 5*time.Millisecond)
	assert.Equal(t, 2, srv.Counts().Token, "no refresh before Retry-After has passed")
	clock.Advance(181 * time.Second) // Retry-After has passed; the token is still valid
	_, err = m.Token(context.Background())
	require.NoError(t, err)
	require.Eventually(t, func() bool { return srv.Counts().Token == 3 && !m.refreshing() }, 3*time.Second, 5*time.Millisecond)
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		header string
		want   time.Duration
	}{
		{"", 0}, {"120", 2 * time.Minute}, {"-5", 0}, {"soon", 0}, {"999999999", time.Hour},
		{"Wed, 25 Nov 2026 12:00:30 GMT", 30 * time.Second}, {"Wed, 25 Nov 2026 11:00:00 GMT", 0},
	} {
		assert.Equal(t, tc.want, retryAfter(tc.header, now), "Retry-After %q", tc.header)
	}
}

// TestFaultsRefreshAndCodeGrants injects failures into the refresh_token
// and authorization_code grants, whose requests carry a refresh token, a
// code and a PKCE verifier, and records their errors for the secrets check.
func TestFaultsRefreshAndCodeGrants(t *testing.T) {
	srv := asServer(t, oauthtest.Options{TokenLifetime: time.Hour})
	for _, f := range []oauthtest.Failure{
		{Status: 500}, {Mode: oauthtest.ModeHang}, {Mode: oauthtest.ModeReset},
		{Status: 200, Body: `{"error":"invalid_grant","error_description":"expired"}`},
		{Status: 400, Body: `{"error":"invalid_grant"}`},
		{Status: 200, Body: tokenBody(`,"token_type":"mac"`)},
	} {
		cfg := publicClient(srv)
		cfg.HTTPTimeoutSeconds = faultTimeout.Seconds()
		m := newManager(t, cfg)
		clock := useClock(m)

		// The code exchange fails.
		req, err := m.BeginAuthorization(context.Background(), redirect)
		require.NoError(t, err)
		srv.FailNext(1, f)
		_, err = m.CompleteAuthorization(context.Background(), follow(t, req.URL))
		faultLog.err(err)
		require.Error(t, err)
		assert.True(t, knownError(err), "%T %v", err, err)

		// A working flow, then a failing refresh_token grant once the token
		// has expired (a foreground refresh).
		snap := authorize(t, srv, m)
		faultLog.secret(snap.AccessToken)
		clock.Advance(2 * time.Hour)
		srv.FailNext(1, f)
		_, err = m.Token(context.Background())
		faultLog.err(err)
		if err != nil {
			assert.True(t, knownError(err) || errors.Is(err, ErrAuthorizationRequired), "%T %v", err, err)
		}
		faultLog.harvest(srv)
	}
}

// TestFaultZZErrorsCarryNoSecrets is declared last so that it runs after
// the other fault tests of this file (tests run in source order):
// no error string the suite collected contains the client secret, an
// access or refresh token, an authorization code or a PKCE verifier.
func TestFaultZZErrorsCarryNoSecrets(t *testing.T) {
	faultLog.mu.Lock()
	defer faultLog.mu.Unlock()
	if len(faultLog.errs) == 0 {
		t.Skip("no fault test ran")
	}
	faultLog.secrets[oauthtest.DefaultClientSecret] = true
	for _, msg := range faultLog.errs {
		for s := range faultLog.secrets {
			if strings.Contains(msg, s) {
				t.Errorf("error %q contains a secret %q", msg, s)
			}
		}
	}
	t.Logf("checked %d error strings against %d secrets", len(faultLog.errs), len(faultLog.secrets))
}
