package core

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

func TestMetadataFreshness(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := []struct {
		name   string
		header map[string]string
		want   time.Duration
	}{
		{"none: the heuristic", nil, defaultMetadataFreshness},
		{"max-age", map[string]string{"Cache-Control": "public, max-age=600"}, 10 * time.Minute},
		{"quoted max-age", map[string]string{"Cache-Control": `max-age="60"`}, time.Minute},
		{"max-age less Age", map[string]string{"Cache-Control": "max-age=600", "Age": "100"}, 500 * time.Second},
		{"max-age=0", map[string]string{"Cache-Control": "max-age=0"}, 0},
		{"no-store", map[string]string{"Cache-Control": "max-age=600, no-store"}, 0},
		{"no-cache", map[string]string{"Cache-Control": "No-Cache"}, 0},
		{"malformed max-age", map[string]string{"Cache-Control": "max-age=soon"}, 0},
		{"capped", map[string]string{"Cache-Control": "max-age=31536000"}, maxMetadataFreshness},
		{"Expires minus Date", map[string]string{"Expires": now.Add(2 * time.Hour).Format(http.TimeFormat),
			"Date": now.Add(-time.Hour).Format(http.TimeFormat)}, 3 * time.Hour},
		{"Expires without Date", map[string]string{"Expires": now.Add(time.Minute).Format(http.TimeFormat)}, time.Minute},
		{"Expires past", map[string]string{"Expires": now.Add(-time.Minute).Format(http.TimeFormat)}, 0},
		{"Expires malformed", map[string]string{"Expires": "0"}, 0},
		{"max-age wins over Expires", map[string]string{"Cache-Control": "max-age=5", "Expires": now.Add(time.Hour).Format(http.TimeFormat)}, 5 * time.Second},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tc.header {
				h.Set(k, v)
			}
			assert.Equal(t, tc.want, metadataFreshness(h, now))
		})
	}
}

// TestDiscoveryReusesCachedMetadata: a manager of a later run (a restarted
// program, each run of the command-line tool) discovers from the metadata
// an earlier discovery kept in the token store, with no metadata request,
// while HTTP caching allows; with no-store, or once it is stale, it fetches.
func TestDiscoveryReusesCachedMetadata(t *testing.T) {
	discover := func(srv *mcptest.Server, dir string) (prm, asm int) {
		t.Helper()
		p, a := srv.Counts().Metadata, srv.AS().Counts().Metadata
		m := newManager(t, &Config{ServerURL: srv.StreamableURL(), ClientID: oauthtest.DefaultClientID,
			ClientSecret: oauthtest.DefaultClientSecret, Issuer: srv.AS().Issuer(), TokenStoreDir: dir})
		require.NoError(t, m.Discover(context.Background()))
		_, err := m.Token(context.Background())
		require.NoError(t, err)
		m.Close()
		return srv.Counts().Metadata - p, srv.AS().Counts().Metadata - a
	}

	srv := mcptest.StartT(t, mcptest.Options{})
	dir := filepath.Join(t.TempDir(), "store")
	prm, asm := discover(srv, dir)
	assert.Equal(t, [2]int{1, 1}, [2]int{prm, asm}, "the first run fetches both documents")
	for range 2 {
		prm, asm = discover(srv, dir)
		assert.Equal(t, [2]int{0, 0}, [2]int{prm, asm}, "later runs fetch none")
	}

	store := &FileStore{Dir: dir}
	entries, err := store.List()
	require.NoError(t, err)
	require.Len(t, entries, 1)
	require.NotNil(t, entries[0].Metadata)
	assert.WithinDuration(t, time.Now().Add(defaultMetadataFreshness), entries[0].Metadata.ProtectedResource.Expires, time.Minute)
	entries[0].Metadata.ProtectedResource.Expires = time.Now().Add(-time.Second)
	require.NoError(t, store.Save(entries[0]))
	prm, asm = discover(srv, dir)
	assert.Equal(t, [2]int{1, 0}, [2]int{prm, asm}, "a stale document is fetched again, the fresh one is not")
	prm, asm = discover(srv, dir)
	assert.Equal(t, [2]int{0, 0}, [2]int{prm, asm}, "and kept again")

	noStore := mcptest.StartT(t, mcptest.Options{PRMCacheControl: "no-store",
		AS: oauthtest.Options{MetadataCacheControl: "max-age=0"}})
	dir = filepath.Join(t.TempDir(), "store")
	for range 2 {
		prm, asm = discover(noStore, dir)
		assert.Equal(t, [2]int{1, 1}, [2]int{prm, asm}, "not cacheable: fetched by every run")
	}
}

// TestCachedMetadataIsValidatedAgain: a cached document is checked as a
// fetched one: a protected resource metadata document for another resource,
// written into the store, is not used.
func TestCachedMetadataIsValidatedAgain(t *testing.T) {
	srv := mcptest.StartT(t, mcptest.Options{})
	dir := filepath.Join(t.TempDir(), "store")
	cfg := func() *Config {
		return &Config{ServerURL: srv.StreamableURL(), ClientID: oauthtest.DefaultClientID,
			ClientSecret: oauthtest.DefaultClientSecret, Issuer: srv.AS().Issuer(), TokenStoreDir: dir}
	}
	m := newManager(t, cfg())
	require.NoError(t, m.Discover(context.Background()))
	m.Close()
	store := &FileStore{Dir: dir}
	entries, err := store.List()
	require.NoError(t, err)
	require.Len(t, entries, 1)
	entries[0].Metadata.ProtectedResource.Body = []byte(`{"resource":"https://elsewhere.example/mcp","authorization_servers":["` + srv.AS().Issuer() + `"]}`)
	require.NoError(t, store.Save(entries[0]))

	before := srv.Counts().Metadata
	m = newManager(t, cfg())
	require.NoError(t, m.Discover(context.Background()))
	assert.Equal(t, before+1, srv.Counts().Metadata, "the altered document was refused and fetched again")
}
