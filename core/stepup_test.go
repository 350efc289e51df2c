package core

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// A resource server that answers insufficient_scope whatever the token gets
// at most 3 authorizations from the user in all — the first included — and
// then ErrStepUpLimit (MCP "Scope Challenge Handling").
func TestStepUpLimitCountsEveryAuthorization(t *testing.T) {
	as := asServer(t, oauthtest.Options{})
	rs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("WWW-Authenticate", `Bearer error="insufficient_scope", scope="mcp:admin"`)
		w.WriteHeader(http.StatusForbidden)
	}))
	t.Cleanup(rs.Close)
	m := newManager(t, publicClient(as))
	tr, err := NewTransport(m, rs.URL+"/mcp", nil)
	require.NoError(t, err)
	client := &http.Client{Transport: tr}

	authorizations := 0
	for range 10 {
		resp, err := client.Post(rs.URL+"/mcp", "application/json", strings.NewReader(`{}`))
		if err == nil {
			resp.Body.Close()
			t.Fatalf("request succeeded with status %d", resp.StatusCode)
		}
		if !errors.Is(err, ErrAuthorizationRequired) {
			require.ErrorIs(t, err, ErrStepUpLimit)
			break
		}
		authorize(t, as, m)
		authorizations++
	}
	assert.Equal(t, 3, authorizations)
}

// A success resets the count: a later step-up may ask the user again.
func TestStepUpSucceededResetsTheCount(t *testing.T) {
	as := asServer(t, oauthtest.Options{})
	m := newManager(t, publicClient(as))
	for range 3 {
		authorize(t, as, m)
	}
	ch := Challenge{Params: map[string]string{"error": "insufficient_scope", "scope": "mcp:write"}}
	require.ErrorIs(t, m.StepUp(ch), ErrStepUpLimit)
	m.StepUpSucceeded()
	require.NoError(t, m.StepUp(ch))
	_, err := m.Token(context.Background())
	assert.ErrorIs(t, err, ErrAuthorizationRequired)
}
