package core

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// TestRespond: the decisions an HTTP client's own auth hook gets from
// mcp_oauth_handle_response, response by response.
func TestRespond(t *testing.T) {
	as := asServer(t, oauthtest.Options{})
	ctx := context.Background()

	t.Run("success is final", func(t *testing.T) {
		m := newManager(t, testClient(as))
		tok, err := m.Token(ctx)
		require.NoError(t, err)
		next, err := m.Respond(ctx, Response{Status: http.StatusOK, Token: tok.AccessToken})
		assert.NoError(t, err)
		assert.Empty(t, next)
	})

	t.Run("401 re-sends once with a new token, a second 401 is TokenRejectedError", func(t *testing.T) {
		m := newManager(t, testClient(as))
		first, err := m.Token(ctx)
		require.NoError(t, err)
		challenge := []string{`Bearer error="invalid_token"`}
		next, err := m.Respond(ctx, Response{Status: http.StatusUnauthorized, WWWAuthenticate: challenge, Token: first.AccessToken})
		require.NoError(t, err)
		require.NotEmpty(t, next)
		assert.NotEqual(t, first.AccessToken, next)

		_, err = m.Respond(ctx, Response{Status: http.StatusUnauthorized, WWWAuthenticate: challenge, Token: next, Previous: http.StatusUnauthorized})
		var rejected *TokenRejectedError
		require.True(t, errors.As(err, &rejected), "got %v", err)
		assert.Equal(t, "invalid_token", rejected.ErrorCode)
	})

	t.Run("any answer to a re-sent request but a second 401 is final", func(t *testing.T) {
		m := newManager(t, testClient(as))
		for _, status := range []int{http.StatusOK, http.StatusForbidden, http.StatusInternalServerError} {
			next, err := m.Respond(ctx, Response{Status: status, Token: "t", Previous: http.StatusForbidden,
				WWWAuthenticate: []string{`Bearer error="insufficient_scope", scope="mcp:write"`}})
			assert.NoError(t, err)
			assert.Empty(t, next, "status %d", status)
		}
	})

	t.Run("403 insufficient_scope steps up, challenges joined in one value", func(t *testing.T) {
		m := newManager(t, testClient(as))
		first, err := m.Token(ctx)
		require.NoError(t, err)
		joined := []string{`Basic realm="x", Bearer error="insufficient_scope", scope="mcp:read mcp:write"`}
		next, err := m.Respond(ctx, Response{Status: http.StatusForbidden, WWWAuthenticate: joined, Token: first.AccessToken})
		require.NoError(t, err)
		require.NotEmpty(t, next)
		snap, err := m.Token(ctx)
		require.NoError(t, err)
		assert.Equal(t, next, snap.AccessToken)
		assert.Contains(t, snap.Scope, "mcp:write")
	})

	t.Run("a 403 without insufficient_scope, or to a tokenless request, is final", func(t *testing.T) {
		m := newManager(t, testClient(as))
		next, err := m.Respond(ctx, Response{Status: http.StatusForbidden, Token: "t", WWWAuthenticate: []string{`Bearer error="invalid_token"`}})
		assert.NoError(t, err)
		assert.Empty(t, next)
		next, err = m.Respond(ctx, Response{Status: http.StatusForbidden, WWWAuthenticate: []string{`Bearer error="insufficient_scope"`}})
		assert.NoError(t, err)
		assert.Empty(t, next)
	})

	t.Run("the step-up limit", func(t *testing.T) {
		m := newManager(t, testClient(as))
		ch := []string{`Bearer error="insufficient_scope", scope="mcp:write"`}
		for i := 0; i < maxStepUps; i++ {
			tok, err := m.Token(ctx)
			require.NoError(t, err)
			_, err = m.Respond(ctx, Response{Status: http.StatusForbidden, WWWAuthenticate: ch, Token: tok.AccessToken})
			require.NoError(t, err)
		}
		tok, err := m.Token(ctx)
		require.NoError(t, err)
		_, err = m.Respond(ctx, Response{Status: http.StatusForbidden, WWWAuthenticate: ch, Token: tok.AccessToken})
		assert.ErrorIs(t, err, ErrStepUpLimit)
		// A success ends the series.
		_, err = m.Respond(ctx, Response{Status: http.StatusOK, Token: tok.AccessToken})
		require.NoError(t, err)
		_, err = m.Respond(ctx, Response{Status: http.StatusForbidden, WWWAuthenticate: ch, Token: tok.AccessToken})
		assert.NoError(t, err)
	})
}
