package main

import (
	"context"
	"fmt"
	"io"
	"runtime/metrics"
	"slices"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// tokenGetter is one way of getting a cached token: ours or x/oauth2's.
type tokenGetter func() error

// contenders builds, for a fresh test authorization server, our manager and
// x/oauth2's ReuseTokenSource (with its default 10 s early expiry).
func contenders(srv *oauthtest.Server) (ours tokenGetter, closeOurs func(), peer tokenGetter) {
	ctx := context.Background()
	m, err := core.NewTokenManager(&core.Config{ClientID: oauthtest.DefaultClientID,
		ClientSecret: oauthtest.DefaultClientSecret, TokenURL: srv.TokenURL()})
	check(err)
	cc := &clientcredentials.Config{ClientID: oauthtest.DefaultClientID,
		ClientSecret: oauthtest.DefaultClientSecret, TokenURL: srv.TokenURL()}
	rts := oauth2.ReuseTokenSource(nil, cc.TokenSource(ctx))
	return func() error { _, err := m.Token(ctx); return err }, m.Close,
		func() error { _, err := rts.Token(); return err }
}

// stampede reports the token requests made when n callers arrive at once on
// a cold cache, and again right after the token expired.
func stampede(n int) {
	for _, who := range []string{"ours", "x_oauth2"} {
		srv, err := oauthtest.Start(oauthtest.Options{TokenLifetime: 12 * time.Second, Latency: 50 * time.Millisecond})
		check(err)
		ours, closeOurs, peer := contenders(srv)
		get := map[string]tokenGetter{"ours": ours, "x_oauth2": peer}[who]
		burst := func() {
			var wg sync.WaitGroup
			for range n {
				wg.Add(1)
				go func() { defer wg.Done(); check(get()) }()
			}
			wg.Wait()
		}
		burst()
		cold := srv.Counts().Token
		time.Sleep(12 * time.Second) // the token expires
		srv.ResetCounts()
		burst()
		fmt.Printf("stampede_%s %d %d\n", who, cold, srv.Counts().Token)
		closeOurs()
		srv.Close()
	}
}

// shortLifetime reports the token requests made by 1,000 sequential calls
// with tokens that live 5 s.
func shortLifetime() {
	for _, who := range []string{"ours", "x_oauth2"} {
		srv, err := oauthtest.Start(oauthtest.Options{TokenLifetime: 5 * time.Second})
		check(err)
		ours, closeOurs, peer := contenders(srv)
		get := map[string]tokenGetter{"ours": ours, "x_oauth2": peer}[who]
		for range 1000 {
			check(get())
		}
		fmt.Printf("short_lifetime_%s %d\n", who, srv.Counts().Token)
		closeOurs()
		srv.Close()
	}
}

const (
	// bucket is the time resolution of the latency samples for the plot.
	bucket = 10 * time.Millisecond
	// endpointLatency is how long the token endpoint takes in refreshLatency.
	endpointLatency = 200 * time.Millisecond
)

// schedWaits reports how many times so far a runnable goroutine of this
// process waited at least atLeast before it ran (runtime/metrics
// /sched/latencies:seconds, a histogram; counted from its first bucket that
// starts at atLeast or later).
func schedWaits(atLeast time.Duration) uint64 {
	s := []metrics.Sample{{Name: "/sched/latencies:seconds"}}
	metrics.Read(s)
	h := s[0].Value.Float64Histogram()
	var n uint64
	for i, c := range h.Counts {
		if h.Buckets[i] >= atLeast.Seconds() {
			n += c
		}
	}
	return n
}

// interval is the time a call took.
type interval struct{ start, end time.Time }

// overlapping counts the calls that overlapped a token request in flight
// (received at its Time, answered latency later): the slow calls that may
// have waited for the endpoint, as opposed to the scheduler.
func overlapping(calls []interval, reqs []oauthtest.TokenRequest, latency time.Duration) int {
	n := 0
	for _, c := range calls {
		if slices.ContainsFunc(reqs, func(r oauthtest.TokenRequest) bool {
			return c.start.Before(r.Time.Add(latency)) && c.end.After(r.Time)
		}) {
			n++
		}
	}
	return n
}

// refreshLatency has 8 goroutines call continuously for d against a token
// endpoint that takes 200 ms, with 3 s tokens, and reports the p50 and p99
// (of every 64th call) and max call latency in µs, the number of calls that
// took 100 ms or more, the number of calls, the token requests and how
// many of those slow calls overlapped a token request in flight, and how
// often a goroutine of the process waited 100 ms or more to be scheduled
// (runtime/metrics: the machine's share of the slow calls), for an
// empty call (the noise floor), ours, and ReuseTokenSource with its default
// 10 s and with a 1 s early expiry. When samples is not nil it also writes
// there the slowest call started in each 10 ms of the run: "<who> <ms> <µs>"
// lines.
func refreshLatency(d time.Duration, samples io.Writer) {
	for _, who := range []string{"floor", "ours", "x_oauth2", "x_oauth2_1s"} {
		srv, err := oauthtest.Start(oauthtest.Options{TokenLifetime: 3 * time.Second, Latency: endpointLatency})
		check(err)
		ours, closeOurs, peer := contenders(srv)
		// x_oauth2_1s: ReuseTokenSource with a 1 s early expiry, so that 3 s
		// tokens are reused (with the default 10 s, every call refreshes).
		cc := &clientcredentials.Config{ClientID: oauthtest.DefaultClientID,
			ClientSecret: oauthtest.DefaultClientSecret, TokenURL: srv.TokenURL()}
		early := oauth2.ReuseTokenSourceWithExpiry(nil, cc.TokenSource(context.Background()), time.Second)
		// floor: a call that does nothing, so the same loop measures the
		// scheduler's own noise on this machine.
		get := map[string]tokenGetter{"ours": ours, "x_oauth2": peer, "floor": func() error { return nil },
			"x_oauth2_1s": func() error { _, err := early.Token(); return err }}[who]
		check(get()) // warm: the first token is not part of the race
		waitsBefore := schedWaits(100 * time.Millisecond)
		var mu sync.Mutex
		var sample []time.Duration // every 64th call, for the percentiles
		var maxLat time.Duration
		var slow []interval // the calls that took 100 ms or more
		calls := 0
		buckets := make([]time.Duration, d/bucket+1) // slowest call started in each bucket
		var wg sync.WaitGroup
		begin := time.Now()
		deadline := begin.Add(d)
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var mine []time.Duration
				var myMax time.Duration
				myBuckets := make([]time.Duration, len(buckets))
				var mySlow []interval
				n := 0
				for ; time.Now().Before(deadline); n++ {
					start := time.Now()
					check(get())
					l := time.Since(start)
					myMax = max(myMax, l)
					// (a call may start after the deadline when the
					// goroutine was descheduled after its check)
					if b := int(start.Sub(begin) / bucket); b < len(myBuckets) {
						myBuckets[b] = max(myBuckets[b], l)
					}
					if l >= 100*time.Millisecond {
						mySlow = append(mySlow, interval{start, start.Add(l)})
					}
					if n%64 == 0 {
						mine = append(mine, l)
					}
				}
				mu.Lock()
				sample, maxLat, slow, calls = append(sample, mine...), max(maxLat, myMax), append(slow, mySlow...), calls+n
				for i, l := range myBuckets {
					buckets[i] = max(buckets[i], l)
				}
				mu.Unlock()
			}()
		}
		wg.Wait()
		slices.Sort(sample)
		q := func(p float64) float64 { return float64(sample[int(p*float64(len(sample)-1))].Nanoseconds()) / 1e3 }
		fmt.Printf("refresh_latency_%s %.2f %.2f %.0f %d %d %d %d %d\n", who, q(0.5), q(0.99),
			float64(maxLat.Microseconds()), len(slow), calls, srv.Counts().Token,
			overlapping(slow, srv.TokenRequests(), endpointLatency), schedWaits(100*time.Millisecond)-waitsBefore)
		if samples != nil {
			for i, l := range buckets {
				if l > 0 {
					fmt.Fprintf(samples, "%s %d %d\n", who, time.Duration(i)*bucket/time.Millisecond, l.Microseconds())
				}
			}
		}
		closeOurs()
		srv.Close()
	}
}
