package keyringstore

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

func winEntry(server, access string) *core.StoredCredentials {
	return &core.StoredCredentials{
		Key:                core.StoreKey{ServerURL: server, Issuer: "https://as.example"},
		RegisteredClientID: "dyn-client", ClientSecret: "registration-secret",
		AccessToken: access, RefreshToken: "refresh-" + server, Scope: "mcp:tools",
		Expiry: time.Unix(2000000000, 0).UTC(), UpdatedAt: time.Unix(1900000000, 0).UTC(),
	}
}

// TestCredentialManagerStoresReadsListsAndDeletes: on Windows "keyring" is
// the Credential Manager. An entry reads back whole, also one larger than
// a credential's 2,560-byte blob (kept in parts), is listed once, shrinks
// without leaving parts, and is deleted.
func TestCredentialManagerStoresReadsListsAndDeletes(t *testing.T) {
	s, err := Open(&core.Config{TokenStore: core.KeyringStore})
	require.NoError(t, err)
	require.IsType(t, &credStore{}, s)
	st := s.(*credStore)
	a := winEntry("https://a.example/mcp", "access-a")
	big := winEntry("https://b.example/mcp", strings.Repeat("x", 3*credMaxBlob+17))
	t.Cleanup(func() { _ = st.Delete(a.Key); _ = st.Delete(big.Key) })

	_, err = st.Load(a.Key)
	require.ErrorIs(t, err, core.ErrNotStored)
	require.NoError(t, st.Save(a))
	require.NoError(t, st.Save(big))
	got, err := st.Load(a.Key)
	require.NoError(t, err)
	assert.Equal(t, a, got)
	got, err = st.Load(big.Key)
	require.NoError(t, err)
	assert.Equal(t, big, got, "an entry in parts reads back whole")
	_, _, ok, err := read(targetPrefix + entryName(big.Key) + "/3")
	require.NoError(t, err)
	require.True(t, ok, "the big entry is in 4 parts")

	// The Credential Manager is the user's: only this test's entries count.
	mine := func() []*core.StoredCredentials {
		all, err := st.List()
		require.NoError(t, err)
		var out []*core.StoredCredentials
		for _, c := range all {
			if c.Key == a.Key || c.Key == big.Key {
				out = append(out, c)
			}
		}
		return out
	}
	assert.ElementsMatch(t, []*core.StoredCredentials{a, big}, mine(), "each entry listed once, its parts left out")

	big.AccessToken = "short"
	require.NoError(t, st.Save(big))
	got, err = st.Load(big.Key)
	require.NoError(t, err)
	assert.Equal(t, big, got)
	_, _, ok, err = read(targetPrefix + entryName(big.Key) + "/1")
	require.NoError(t, err)
	assert.False(t, ok, "no part is left behind")

	require.NoError(t, st.Delete(big.Key))
	_, err = st.Load(big.Key)
	require.ErrorIs(t, err, core.ErrNotStored)
	require.NoError(t, st.Delete(big.Key), "deleting a missing entry is no error")
	assert.Equal(t, []*core.StoredCredentials{a}, mine())
}

// TestCredentialManagerConcurrentSaves: goroutines saving an entry that
// grows and shrinks between one part and four, while others read it, never
// read a torn entry.
func TestCredentialManagerConcurrentSaves(t *testing.T) {
	s, err := Open(&core.Config{TokenStore: core.KeyringStore})
	require.NoError(t, err)
	small := winEntry("https://c.example/mcp", "short")
	big := winEntry("https://c.example/mcp", strings.Repeat("y", 3*credMaxBlob))
	t.Cleanup(func() { _ = s.(*credStore).Delete(small.Key) })
	require.NoError(t, s.Save(small))
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 25 {
				if (g+i)%2 == 0 {
					errs <- s.Save([]*core.StoredCredentials{small, big}[i%2])
				} else if _, err := s.Load(small.Key); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}
