package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// footprint is what the process holds: live heap bytes (after a GC),
// goroutines and open file descriptors.
type footprint struct {
	heap       uint64
	goroutines int
	fds        int
}

func measure() footprint {
	// Let connection goroutines settle before counting.
	time.Sleep(200 * time.Millisecond)
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fds, _ := os.ReadDir("/proc/self/fd")
	return footprint{ms.HeapAlloc, runtime.NumGoroutine(), len(fds)}
}

// manyManagers reports, for n client-credentials clients each holding a
// token from one in-process test authorization server (the server's own
// goroutines and sockets included, the same for both), the live heap per
// client in bytes, goroutines and open file descriptors added: ours (n
// TokenManagers) and x/oauth2 (n ReuseTokenSources over
// clientcredentials). Lines: "many_managers_<who> <n> <bytes/client>
// <goroutines> <fds>", or "many_managers_<who> <n> failed <error>".
func manyManagers(n int) {
	for _, who := range []string{"ours", "x_oauth2"} {
		srv, err := oauthtest.Start(oauthtest.Options{})
		check(err)
		ctx := context.Background()
		before := measure()
		var keep []any
		var failed error
		for i := 0; i < n && failed == nil; i++ {
			if who == "ours" {
				m, err := core.NewTokenManager(&core.Config{ClientID: oauthtest.DefaultClientID,
					ClientSecret: oauthtest.DefaultClientSecret, TokenURL: srv.TokenURL()})
				if err == nil {
					_, err = m.Token(ctx)
				}
				failed = err
				keep = append(keep, m)
			} else {
				cc := &clientcredentials.Config{ClientID: oauthtest.DefaultClientID,
					ClientSecret: oauthtest.DefaultClientSecret, TokenURL: srv.TokenURL()}
				rts := oauth2.ReuseTokenSource(nil, cc.TokenSource(ctx))
				_, failed = rts.Token()
				keep = append(keep, rts)
			}
		}
		if failed != nil {
			fmt.Printf("many_managers_%s %d failed %q\n", who, n, failed.Error())
		} else {
			after := measure()
			fmt.Printf("many_managers_%s %d %d %d %d\n", who, n, (after.heap-before.heap)/uint64(n),
				after.goroutines-before.goroutines, after.fds-before.fds)
		}
		runtime.KeepAlive(keep)
		for _, k := range keep {
			if m, ok := k.(*core.TokenManager); ok {
				m.Close()
			}
		}
		srv.Close()
	}
}

// dueTogether has n clients obtain 20 s tokens (all at once), then one
// goroutine per client calls for its token every 100 ms for 15 s, so that
// every token falls due within the same few seconds:
// it reports the token requests in flight at once at the server (each held
// for the server's 20 ms latency), the slowest call, how many calls took
// that latency or longer (a caller that waited for a token request would),
// how many failed and the token requests made after the first tokens. Ours refreshes in the
// background in the tokens' last 10 s, at most core.DefaultMaxTokenRequests
// at once; x/oauth2's ReuseTokenSource is given the same 10 s early expiry.
// Lines: "due_together_<who> <n> <max in flight> <max call µs> <failed
// calls> <token requests> <calls ≥ 20 ms>".
func dueTogether(n int) {
	const latency, lifetime = 20 * time.Millisecond, 20 * time.Second
	for _, who := range []string{"ours", "x_oauth2"} {
		srv, err := oauthtest.Start(oauthtest.Options{TokenLifetime: lifetime, Latency: latency})
		check(err)
		ctx := context.Background()
		gets := make([]tokenGetter, n)
		var closers []func()
		for i := range gets {
			if who == "ours" {
				m, err := core.NewTokenManager(&core.Config{ClientID: oauthtest.DefaultClientID,
					ClientSecret: oauthtest.DefaultClientSecret, TokenURL: srv.TokenURL()})
				check(err)
				gets[i] = func() error { _, err := m.Token(ctx); return err }
				closers = append(closers, m.Close)
			} else {
				cc := &clientcredentials.Config{ClientID: oauthtest.DefaultClientID,
					ClientSecret: oauthtest.DefaultClientSecret, TokenURL: srv.TokenURL()}
				rts := oauth2.ReuseTokenSourceWithExpiry(nil, cc.TokenSource(ctx), lifetime/2)
				gets[i] = func() error { _, err := rts.Token(); return err }
			}
		}
		var wg sync.WaitGroup
		for _, get := range gets { // the first tokens, all at once
			wg.Add(1)
			go func() { defer wg.Done(); check(get()) }()
		}
		wg.Wait()
		srv.ResetCounts()
		var mu sync.Mutex
		var slowest time.Duration
		failed, slow := 0, 0
		// Every token obtained above falls due before the deadline.
		deadline := time.Now().Add(lifetime * 3 / 4)
		for _, get := range gets {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var mine time.Duration
				bad, waited := 0, 0
				for time.Now().Before(deadline) {
					start := time.Now()
					if get() != nil {
						bad++
					}
					took := time.Since(start)
					mine = max(mine, took)
					if took >= latency {
						waited++
					}
					time.Sleep(100 * time.Millisecond)
				}
				mu.Lock()
				slowest, failed, slow = max(slowest, mine), failed+bad, slow+waited
				mu.Unlock()
			}()
		}
		wg.Wait()
		reqs := srv.TokenRequests()
		fmt.Printf("due_together_%s %d %d %d %d %d %d\n", who, n, maxOverlap(reqs, latency),
			slowest.Microseconds(), failed, len(reqs), slow)
		for _, c := range closers {
			c()
		}
		srv.Close()
	}
}

// maxOverlap is the most requests in flight at once at the server, each
// taken as held from its arrival for latency.
func maxOverlap(reqs []oauthtest.TokenRequest, latency time.Duration) int {
	times := make([]time.Time, len(reqs))
	for i, r := range reqs {
		times[i] = r.Time
	}
	slices.SortFunc(times, time.Time.Compare)
	most := 0
	for i, j := 0, 0; i < len(times); i++ {
		for times[j].Add(latency).Before(times[i]) {
			j++
		}
		most = max(most, i-j+1)
	}
	return most
}
