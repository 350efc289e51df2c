package core

import (
	"context"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRestoredTokenKeepsItsRefreshWindow: a token restored from the store
// is scheduled from when it was obtained, not from the restart: a fresh one
// is not due (no request), one past its window is due at once, as it would
// be in a program that had kept running (each run of the command-line tool
// is such a restart).
func TestRestoredTokenKeepsItsRefreshWindow(t *testing.T) {
	fake := newFakeEndpoint(t, func(n int64, _ url.Values) (int, any) {
		return 200, bearer("t"+string(rune('0'+n)), 60, "refresh_token", "r")
	})
	dir := filepath.Join(t.TempDir(), "store")
	cfg := func() *Config {
		c := clientCredentials(fake.URL)
		c.TokenStoreDir = dir
		return c
	}
	first := newManager(t, cfg())
	_, err := first.Token(context.Background())
	require.NoError(t, err)
	first.Close()
	store := &FileStore{Dir: dir}
	entries, err := store.List()
	require.NoError(t, err)
	require.Len(t, entries, 1)
	obtained := entries[0].UpdatedAt

	restored := newManager(t, cfg())
	snap, err := restored.Token(context.Background())
	require.NoError(t, err)
	wantRefresh, _ := schedule(obtained, entries[0].Expiry.Sub(obtained), DefaultRefreshMargin)
	assert.Equal(t, wantRefresh, snap.RefreshAt, "the window of the token as obtained")
	assert.True(t, time.Now().Before(snap.RefreshAt))
	assert.EqualValues(t, 1, fake.requests.Load(), "a fresh stored token needs no request")
	restored.Close()

	// 40 s later, in the last 30 s of its 60 s: due.
	c := entries[0]
	c.UpdatedAt, c.Expiry = time.Now().Add(-40*time.Second), time.Now().Add(20*time.Second)
	require.NoError(t, store.Save(c))
	due := newManager(t, cfg())
	snap, err = due.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "t1", snap.AccessToken, "still valid: handed out")
	assert.False(t, time.Now().Before(snap.RefreshAt), "due for refresh")
	assert.Eventually(t, func() bool { return fake.requests.Load() == 2 }, 10*time.Second, 10*time.Millisecond,
		"a background refresh started")
}
