package core

// Rule: state, PKCE and iss mismatches are refused. Complements
// TestCompleteAuthorizationRefusals (unknown, missing, reused and repeated
// state; a configured issuer's iss mismatch; a verifier the server rejects)
// and TestRequirePKCES256.

import (
	"context"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// withQuery returns rawURL with its query changed by edit.
func withQuery(t *testing.T, rawURL string, edit func(q url.Values)) string {
	t.Helper()
	u, err := url.Parse(rawURL)
	require.NoError(t, err)
	q := u.Query()
	edit(q)
	u.RawQuery = q.Encode()
	return u.String()
}

func TestSecurityAuthorizationResponseChecks(t *testing.T) {
	// Discovery mode against an AS that advertises RFC 9207 iss: a missing
	// iss is then a mix-up and refused.
	srv := mcptest.StartT(t, mcptest.Options{})
	as := srv.AS()
	for _, tc := range []struct {
		name  string
		edit  func(t *testing.T, m *TokenManager, loc string) string
		check func(t *testing.T, err error)
	}{
		{"control: the response as sent", func(_ *testing.T, _ *TokenManager, loc string) string { return loc }, nil},
		{"iss missing although advertised", func(t *testing.T, _ *TokenManager, loc string) string {
			return withQuery(t, loc, func(q url.Values) { q.Del("iss") })
		}, isIssuerMismatch("")},
		{"iss with a trailing slash (no normalisation)", func(t *testing.T, _ *TokenManager, loc string) string {
			return withQuery(t, loc, func(q url.Values) { q.Set("iss", q.Get("iss")+"/") })
		}, isIssuerMismatch(as.Issuer() + "/")},
		{"iss of another server", func(t *testing.T, _ *TokenManager, loc string) string {
			return withQuery(t, loc, func(q url.Values) { q.Set("iss", "https://attacker.example") })
		}, isIssuerMismatch("https://attacker.example")},
		{"error response with another iss is a mix-up, not a denial", func(t *testing.T, _ *TokenManager, loc string) string {
			return withQuery(t, loc, func(q url.Values) {
				q.Del("code")
				q.Set("error", "access_denied")
				q.Set("iss", "https://attacker.example")
			})
		}, isIssuerMismatch("https://attacker.example")},
		{"state of another manager", func(t *testing.T, _ *TokenManager, loc string) string {
			other := newManager(t, &Config{ServerURL: srv.StreamableURL()})
			req, err := other.BeginAuthorization(context.Background(), "")
			require.NoError(t, err)
			return withQuery(t, loc, func(q url.Values) { q.Set("state", req.State) })
		}, isStateMismatch},
		{"state of an expired flow", func(_ *testing.T, m *TokenManager, loc string) string {
			useClock(m).Advance(pendingLifetime + time.Second)
			return loc
		}, isStateMismatch},
		{"empty state", func(t *testing.T, _ *TokenManager, loc string) string {
			return withQuery(t, loc, func(q url.Values) { q.Set("state", "") })
		}, isStateMismatch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newManager(t, &Config{ServerURL: srv.StreamableURL()})
			req, err := m.BeginAuthorization(context.Background(), "")
			require.NoError(t, err)
			before := as.Counts().Token
			_, err = m.CompleteAuthorization(context.Background(), tc.edit(t, m, follow(t, req.URL)))
			if tc.check == nil {
				require.NoError(t, err)
				assert.Equal(t, before+1, as.Counts().Token)
				return
			}
			tc.check(t, err)
			assert.Equal(t, before, as.Counts().Token, "the code was not exchanged")
			_, err = m.Token(context.Background())
			assert.ErrorIs(t, err, ErrAuthorizationRequired, "no token after a refused response")
		})
	}

	t.Run("a forged response does not cancel the real one", func(t *testing.T) {
		m := newManager(t, &Config{ServerURL: srv.StreamableURL()})
		req, err := m.BeginAuthorization(context.Background(), "")
		require.NoError(t, err)
		loc := follow(t, req.URL)
		_, err = m.CompleteAuthorization(context.Background(), withQuery(t, loc, func(q url.Values) { q.Set("state", "forged") }))
		require.ErrorIs(t, err, ErrStateMismatch)
		_, err = m.CompleteAuthorization(context.Background(), loc)
		require.NoError(t, err)
	})

	t.Run("PKCE: the verifier the server receives is the S256 of the challenge sent", func(t *testing.T) {
		direct := asServer(t, oauthtest.Options{})
		m := newManager(t, publicClient(direct))
		challenges := map[string]bool{}
		for range 3 {
			req, err := m.BeginAuthorization(context.Background(), redirect)
			require.NoError(t, err)
			u, err := url.Parse(req.URL)
			require.NoError(t, err)
			assert.Equal(t, "S256", u.Query().Get("code_challenge_method"))
			assert.Empty(t, u.Query().Get("code_verifier"), "the verifier stays with the client")
			challenge := u.Query().Get("code_challenge")
			assert.False(t, challenges[challenge], "a fresh challenge per flow")
			challenges[challenge] = true
			_, err = m.CompleteAuthorization(context.Background(), follow(t, req.URL))
			require.NoError(t, err)
			reqs := direct.TokenRequests()
			verifier := reqs[len(reqs)-1].Form.Get("code_verifier")
			assert.Regexp(t, regexp.MustCompile(`^[A-Za-z0-9._~-]{43,128}$`), verifier, "RFC 7636 §4.1")
			got, err := GenerateCodeChallenge(verifier)
			require.NoError(t, err)
			assert.Equal(t, challenge, got)
			assert.NotEqual(t, challenge, verifier, "not the plain method")
		}
	})

	t.Run("AS without code_challenge_methods_supported is refused", func(t *testing.T) {
		srv := mcptest.StartT(t, mcptest.Options{AS: oauthtest.Options{OmitCodeChallengeMethods: true}})
		m := newManager(t, &Config{ServerURL: srv.StreamableURL()})
		_, err := m.BeginAuthorization(context.Background(), "")
		require.ErrorIs(t, err, ErrPKCES256Unsupported)
		c := srv.AS().Counts()
		assert.Zero(t, c.Register, "no registration")
		assert.Zero(t, c.Authorize, "no authorization request")
		assert.Zero(t, c.Token, "no token request")
	})
}

func isIssuerMismatch(got string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		var ie *IssuerMismatchError
		if assert.ErrorAs(t, err, &ie, "got %T %v", err, err) {
			assert.Equal(t, got, ie.Got)
		}
	}
}

func isStateMismatch(t *testing.T, err error) { assert.ErrorIs(t, err, ErrStateMismatch) }
