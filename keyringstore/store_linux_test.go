package keyringstore

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// openKeyring opens the store on the test's Secret Service, with its lock
// files in a directory of the test.
func openKeyring(t *testing.T) *Store {
	t.Helper()
	s, err := Open(&core.Config{TokenStore: core.KeyringStore, TokenStoreDir: filepath.Join(t.TempDir(), "locks")})
	require.NoError(t, err)
	require.IsType(t, &Store{}, s, "the Secret Service is used, not files")
	return s.(*Store)
}

func entry(server string) *core.StoredCredentials {
	return &core.StoredCredentials{
		Key:                core.StoreKey{ServerURL: server, Issuer: "https://as.example", ClientID: ""},
		RegisteredClientID: "dyn-client", ClientSecret: "registration-secret", AuthMethod: "client_secret_basic",
		RedirectURIs: []string{"http://127.0.0.1/callback"},
		AccessToken:  "access-" + server, RefreshToken: "refresh-" + server, Scope: "mcp:tools",
		Expiry: time.Unix(2000000000, 0).UTC(), UpdatedAt: time.Unix(1900000000, 0).UTC(),
	}
}

// TestKeyringStoresReadsListsAndDeletes: an entry (registration and
// tokens) saved in the keyring reads back whole, is listed, replaced in
// place and deleted; libsecret's secret-tool, another implementation of
// the encrypted session, reads what the store wrote and writes what it
// reads.
func TestKeyringStoresReadsListsAndDeletes(t *testing.T) {
	ss := startSecretService(t, true)
	s := openKeyring(t)
	a, b := entry("https://a.example/mcp"), entry("https://b.example/mcp")

	_, err := s.Load(a.Key)
	require.ErrorIs(t, err, core.ErrNotStored)
	require.NoError(t, s.Save(a))
	require.NoError(t, s.Save(b))
	got, err := s.Load(a.Key)
	require.NoError(t, err)
	assert.Equal(t, a, got)

	raw := ss.secretTool(t, "", "lookup", "service", "mcp-oauth", "server_url", "https://a.example/mcp")
	var viaLibsecret core.StoredCredentials
	require.NoError(t, json.Unmarshal([]byte(raw), &viaLibsecret), raw)
	assert.Equal(t, a, &viaLibsecret, "secret-tool decrypts what the store encrypted")

	a.AccessToken = "rotated"
	require.NoError(t, s.Save(a))
	all, err := s.List()
	require.NoError(t, err)
	assert.ElementsMatch(t, []*core.StoredCredentials{a, b}, all, "a save replaces the entry's item")

	// An entry written by secret-tool (its own session) is read.
	c := entry("https://c.example/mcp")
	data, err := json.Marshal(c)
	require.NoError(t, err)
	ss.secretTool(t, string(data), "store", "--label=c", "service", "mcp-oauth", "entry", entryName(c.Key))
	got, err = s.Load(c.Key)
	require.NoError(t, err)
	assert.Equal(t, c, got, "the store decrypts what secret-tool encrypted")

	require.NoError(t, s.Delete(a.Key))
	_, err = s.Load(a.Key)
	require.ErrorIs(t, err, core.ErrNotStored)
	require.NoError(t, s.Delete(a.Key), "deleting a missing entry is no error")
	all, err = s.List()
	require.NoError(t, err)
	assert.ElementsMatch(t, []*core.StoredCredentials{b, c}, all)
}

// TestKeyringLockedNeedsTheUser: a locked keyring that only a password
// prompt could unlock fails the store's operations, and opening it, with
// an error that says so.
func TestKeyringLockedNeedsTheUser(t *testing.T) {
	startSecretService(t, true)
	s := openKeyring(t)
	e := entry("https://a.example/mcp")
	require.NoError(t, s.Save(e))

	conn, err := dbus.Connect(busAddress())
	require.NoError(t, err)
	defer conn.Close()
	var coll, prompt dbus.ObjectPath
	var locked []dbus.ObjectPath
	svc := conn.Object(ssBusName, ssPath)
	require.NoError(t, svc.Call(ssService+".ReadAlias", 0, "default").Store(&coll))
	require.NoError(t, svc.Call(ssService+".Lock", 0, []dbus.ObjectPath{coll}).Store(&locked, &prompt))
	require.Equal(t, noPrompt, prompt)

	_, err = s.Load(e.Key)
	require.ErrorIs(t, err, errLocked)
	require.ErrorIs(t, s.Save(e), errLocked)
	_, err = s.List()
	require.ErrorIs(t, err, errLocked)

	_, err = Open(&core.Config{TokenStore: core.KeyringStore, TokenStoreDir: filepath.Join(t.TempDir(), "other")})
	var ce *core.ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "token_store", ce.Field)
	assert.True(t, strings.HasPrefix(ce.Reason, "token store: the keyring is locked"), ce.Reason)
}
