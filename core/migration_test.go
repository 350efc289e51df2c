package core

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// clientIDs returns the client ids of the token requests as received.
func clientIDs(as *oauthtest.Server) []string {
	var ids []string
	for _, r := range as.TokenRequests() {
		ids = append(ids, r.ClientID)
	}
	return ids
}

func TestMCPMigrationMachineClientRegistersAgain(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	dir := filepath.Join(t.TempDir(), "store")
	m := newManager(t, &Config{ServerURL: srv.StreamableURL(), GrantType: GrantClientCredentials, TokenStoreDir: dir})
	s, err := sdkConnect(context.Background(), t, m, srv.StreamableURL(), false)
	require.NoError(t, err)
	defer s.Close()
	assert.Equal(t, "before", sdkEcho(t, s, "before"))
	as1 := srv.AS()
	oldIDs := clientIDs(as1)
	require.NotEmpty(t, oldIDs)

	as2, err := srv.MigrateAS()
	require.NoError(t, err)
	// A new session: the server binds sessions to the client, which has a
	// new identity at the new authorization server.
	s2, err := sdkConnect(context.Background(), t, m, srv.StreamableURL(), false)
	require.NoError(t, err, "the machine client carries on with the new server")
	defer s2.Close()
	assert.Equal(t, "after", sdkEcho(t, s2, "after"))
	assert.Equal(t, 1, as2.Counts().Register, "registered again with the new authorization server")
	for _, id := range clientIDs(as2) {
		assert.NotContains(t, oldIDs, id, "the old registration never reaches the new server")
	}
	entries, err := (&FileStore{Dir: dir}).List()
	require.NoError(t, err)
	require.Len(t, entries, 2, "the new issuer's registration and the server's tokens; the old issuer's entries are gone")
	for _, e := range entries {
		assert.Equal(t, as2.Issuer(), e.Key.Issuer)
	}
}

func TestMCPMigrationUserClientAuthorizesAgain(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	m := newManager(t, &Config{ServerURL: srv.StreamableURL()})
	_, err := sdkConnect(context.Background(), t, m, srv.StreamableURL(), false)
	require.ErrorIs(t, err, ErrAuthorizationRequired)
	req, err := m.BeginAuthorization(context.Background(), "")
	require.NoError(t, err)
	_, err = m.CompleteAuthorization(context.Background(), follow(t, req.URL))
	require.NoError(t, err)
	s, err := sdkConnect(context.Background(), t, m, srv.StreamableURL(), false)
	require.NoError(t, err)
	defer s.Close()
	oldIDs := clientIDs(srv.AS())

	as2, err := srv.MigrateAS()
	require.NoError(t, err)
	_, err = s.CallTool(context.Background(), &mcp.CallToolParams{Name: "echo", Arguments: map[string]any{"text": "x"}})
	require.ErrorIs(t, err, ErrAuthorizationRequired)
	assert.Equal(t, 1, as2.Counts().Register, "registered with the new server")
	assert.Zero(t, as2.Counts().Token, "no old credential was tried at the new server")

	req, err = m.BeginAuthorization(context.Background(), "")
	require.NoError(t, err)
	assert.Contains(t, req.URL, as2.URL, "the user authorizes at the new server")
	_, err = m.CompleteAuthorization(context.Background(), follow(t, req.URL))
	require.NoError(t, err)
	assert.Equal(t, "again", sdkEcho(t, s, "again"))
	for _, id := range clientIDs(as2) {
		assert.NotContains(t, oldIDs, id)
	}
}

func TestMCPMigrationKeepsAPreRegisteredSecretAtItsIssuer(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	m := newManager(t, machineConfig(srv))
	s, err := sdkConnect(context.Background(), t, m, srv.StreamableURL(), false)
	require.NoError(t, err)
	defer s.Close()
	assert.Equal(t, "x", sdkEcho(t, s, "x"))
	as1 := srv.AS()

	as2, err := srv.MigrateAS()
	require.NoError(t, err)
	_, err = s.CallTool(context.Background(), &mcp.CallToolParams{Name: "echo", Arguments: map[string]any{"text": "y"}})
	var mismatch *ClientIssuerMismatchError
	require.ErrorAs(t, err, &mismatch)
	assert.Equal(t, as1.Issuer(), mismatch.ClientIssuer)
	assert.Equal(t, as2.Issuer(), mismatch.ServerIssuer)
	assert.Zero(t, as2.Counts().Token, "the secret never went to the new server")
}

func TestMCPRefusedTokenRechecksMetadataOnce(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	m := newManager(t, machineConfig(srv))
	s, err := sdkConnect(context.Background(), t, m, srv.StreamableURL(), false)
	require.NoError(t, err)
	defer s.Close()
	assert.Equal(t, "x", sdkEcho(t, s, "x"))
	before := srv.Counts().Metadata
	srv.AS().RevokeAccessTokens()
	assert.Equal(t, "y", sdkEcho(t, s, "y"), "a new token from the same server")
	assert.Equal(t, before+1, srv.Counts().Metadata, "one re-check for the refused token")
	assert.Equal(t, 2, srv.AS().Counts().Token)
}
