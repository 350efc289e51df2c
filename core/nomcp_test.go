package core

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
)

// A URL that is not an MCP server — a typo in the path, the authorization
// server's own URL — is refused at login (and at connect: core/mcpclient's
// TestNoMCPServerAtConnect) as "no MCP server
// at URL (HTTP 404)", not logged in to and later failed with a bare "Not
// Found" (issue 16).
func TestNoMCPServerAtTheURL(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	typo := srv.URL + "/mpc"
	for _, url := range []string{typo, srv.AS().URL + "/"} {
		t.Run("login "+url, func(t *testing.T) {
			srv.AS().ResetCounts()
			m := newManager(t, &Config{ServerURL: url})
			_, err := m.BeginAuthorization(context.Background(), "")
			assertNoMCPServer(t, err, url)
			assert.Zero(t, srv.AS().Counts().Register, "no registration for it")
		})
	}
}

func assertNoMCPServer(t *testing.T, err error, url string) {
	t.Helper()
	var nm *NoMCPServerError
	require.True(t, errors.As(err, &nm), "got %v", err)
	info := Classify(err)
	assert.Equal(t, KindDiscovery, info.Kind)
	assert.Equal(t, 404, info.HTTPStatus)
	assert.Equal(t, "mcp-oauth: no MCP server at "+url+" (HTTP 404)", info.Message)
}
