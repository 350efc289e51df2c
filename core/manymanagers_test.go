package core

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math"
	"math/big"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// heapInUse is the live heap after a full collection.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// TestManyManagersShareOneConnectionPool holds 2,000 client-credentials
// managers, each with a token from one authorization server (issue 18: each
// manager used to keep its own pool, with an idle connection of 2
// goroutines and a descriptor, 28 KB per manager; 10,000 of them ran out
// of descriptors). Idle, they must add no goroutine beyond the shared
// pool's bounded idle connections, and at most 4 KiB each — the test
// server's record of each issued token included.
func TestManyManagersShareOneConnectionPool(t *testing.T) {
	srv := asServer(t, oauthtest.Options{})
	const n = 2000
	goroutines, heap := runtime.NumGoroutine(), heapInUse()
	managers := make([]*TokenManager, n)
	for i := range managers {
		m, err := NewTokenManager(&Config{ClientID: oauthtest.DefaultClientID,
			ClientSecret: oauthtest.DefaultClientSecret, TokenURL: srv.TokenURL()})
		require.NoError(t, err)
		managers[i] = m
		_, err = m.Token(context.Background())
		require.NoError(t, err)
	}
	perManager := (int64(heapInUse()) - int64(heap)) / n
	// Each pooled connection: a read and a write loop here, a serving
	// goroutine in the test server; flight goroutines have ended.
	added := runtime.NumGoroutine() - goroutines
	for _, m := range managers {
		m.Close()
	}
	assert.LessOrEqual(t, perManager, int64(4096), "bytes per idle manager")
	assert.LessOrEqual(t, added, 3*maxIdleConnsPerHost, "goroutines added by %d idle managers", n)
	assert.Equal(t, n, srv.Counts().Token)
}

// sharedClock makes every manager read the same fake clock.
func sharedClock(c *fakeClock, ms ...*TokenManager) {
	for _, m := range ms {
		m.now = c.Now
		m.params.Load().endpoint.now = c.Now
	}
}

// TestDueTokensRefreshBoundedAndSpread has 300 managers whose tokens fall
// due at the same instant and a limit of 4 token requests in flight: the
// refreshes never exceed 4 at once, those that found no slot are put off
// (each by its own random delay) instead of waiting, and every caller is
// answered from the cache throughout, with its old token or its new one.
func TestDueTokensRefreshBoundedAndSpread(t *testing.T) {
	var inFlight, most atomic.Int64
	ep := newFakeEndpoint(t, func(n int64, _ url.Values) (int, any) {
		now := inFlight.Add(1)
		defer inFlight.Add(-1)
		for old := most.Load(); now > old && !most.CompareAndSwap(old, now); old = most.Load() {
		}
		time.Sleep(time.Millisecond) // keep the slot a moment, so others collide
		return 200, bearer(fmt.Sprintf("at%d", n), 3600)
	})
	lim := newLimiter(4)
	clock := &fakeClock{now: time.Now()}
	const n = 300
	managers := make([]*TokenManager, n)
	first := make([]string, n)
	var validUntil time.Time
	var wg sync.WaitGroup
	for i := range managers {
		m := newManager(t, clientCredentials(ep.URL))
		m.limiter = lim
		sharedClock(clock, m)
		managers[i] = m
		wg.Add(1)
		go func() { // cold: every caller waits for its first token, 4 at a time
			defer wg.Done()
			s, err := m.Token(context.Background())
			assert.NoError(t, err)
			first[i] = s.AccessToken
			if i == 0 {
				validUntil = s.ValidUntil
			}
		}()
	}
	wg.Wait()
	require.LessOrEqual(t, most.Load(), int64(4), "token requests in flight at once, cold")

	clock.Advance(55 * time.Minute) // every token is in its refresh window
	deferred := 0
	refreshed := make([]bool, n)
	for left := n; left > 0; clock.Advance(50 * time.Millisecond) {
		for i, m := range managers {
			if refreshed[i] {
				continue
			}
			s, err := m.Token(context.Background()) // never waits: the token is valid
			require.NoError(t, err)
			if s.AccessToken != first[i] {
				refreshed[i], left = true, left-1
			} else if m.quietUntil.Load() != 0 && m.quietUntil.Load() != math.MaxInt64 {
				deferred++
			}
		}
		// The fake clock moves only once the requests started have ended,
		// so the machine's speed cannot make tokens expire.
		require.Eventually(t, func() bool { return lim.idle(4) }, 10*time.Second, time.Millisecond)
	}
	assert.LessOrEqual(t, most.Load(), int64(4), "token requests in flight at once")
	assert.EqualValues(t, 2*n, ep.requests.Load(), "one refresh per token")
	assert.Positive(t, deferred, "refreshes that found no free slot were put off")
	assert.True(t, clock.Now().Before(validUntil), "every token was refreshed before it expired")
}

// TestRefreshDeferral: the delay of a refresh put off for want of a slot is
// random, within [d/2, d] for d = remaining/8 capped at maxRefreshDeferral.
func TestRefreshDeferral(t *testing.T) {
	seen := map[time.Duration]bool{}
	for range 100 {
		d := refreshDeferral(time.Hour)
		assert.GreaterOrEqual(t, d, maxRefreshDeferral/2)
		assert.LessOrEqual(t, d, maxRefreshDeferral)
		seen[d] = true
		short := refreshDeferral(800 * time.Millisecond)
		assert.GreaterOrEqual(t, short, 50*time.Millisecond)
		assert.LessOrEqual(t, short, 100*time.Millisecond)
	}
	assert.Greater(t, len(seen), 50, "jittered")
}

// TestLimiterWaitsAndResizes: a caller without a slot waits until one is
// released or its context ends; a new limit applies to later requests, and
// a slot goes back where it came from.
func TestLimiterWaitsAndResizes(t *testing.T) {
	l := newLimiter(1)
	release, ok := l.tryAcquire()
	require.True(t, ok)
	_, ok = l.tryAcquire()
	assert.False(t, ok)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := l.acquire(ctx)
	assert.ErrorIs(t, err, context.Canceled)
	got := make(chan func())
	go func() { r, _ := l.acquire(context.Background()); got <- r }()
	release()
	second := <-got
	l.setLimit(2)
	third, ok := l.tryAcquire()
	require.True(t, ok)
	fourth, ok := l.tryAcquire()
	require.True(t, ok)
	_, ok = l.tryAcquire()
	assert.False(t, ok, "two slots under the new limit")
	second() // the old semaphore's slot goes back to it
	third()
	fourth()
	assert.Equal(t, 3, limitFromEnv("3"))
	assert.Equal(t, DefaultMaxTokenRequests, limitFromEnv("0"))
	assert.Equal(t, DefaultMaxTokenRequests, limitFromEnv("many"))
}

// idle reports whether all n slots of l are free.
func (l *limiter) idle(n int64) bool {
	sem := l.sem.Load()
	if !sem.TryAcquire(n) {
		return false
	}
	sem.Release(n)
	return true
}

// TestTransportsSharedByRule: managers share the process's transports when
// their connections follow the same rules (the same CAs; within those, one
// transport per dial policy, see TestSharedPoolKeepsReachRulesApart), and
// only then.
func TestTransportsSharedByRule(t *testing.T) {
	dir := t.TempDir()
	writeCA := func(name string) string { // a fresh self-signed CA
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		require.NoError(t, err)
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
			NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		require.NoError(t, err)
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
		return path
	}
	a, b := writeCA("a.pem"), writeCA("b.pem")
	transport := func(caFile string) *http.Transport {
		cfg := clientCredentials("https://as.example/token")
		cfg.CAFile = caFile
		m := newManager(t, cfg)
		return m.client.Transport.(*reachTransport).pools.get(m.reach.dialPolicy("as.example"))
	}
	assert.Same(t, transport(""), transport(""), "system roots: one transport")
	assert.Same(t, transport(a), transport(a), "the same CA file: one transport")
	assert.NotSame(t, transport(a), transport(b), "other CAs: another transport")
	assert.NotSame(t, transport(""), transport(a))
}
