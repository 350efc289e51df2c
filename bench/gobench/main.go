// Command gobench measures, in the same run as the C micro-benchmark,
// mcp-oauth's core TokenManager against golang.org/x/oauth2's
// ReuseTokenSource: cached token retrieval ("<name> <median ns/call> <p10>
// <p90>" lines, against the given server), and, each against a fresh
// in-process test authorization server, the token requests of 1,000 callers
// on a cold and on an expired cache, the token requests of 1,000 sequential
// calls with 5 s tokens, and caller latency across refreshes (optionally
// written, per 10 ms, to a file for the plot); and the cost of 10,000
// clients in one process, idle and with their tokens falling due together
// (managers.go); and, given MCP_OAUTH_BENCH_REDIS, a fleet of processes
// sharing one Redis store (fleet.go).
package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

const (
	batches = 41
	calls   = 20000
)

func main() {
	if arg := os.Getenv(fleetWorkerEnv); arg != "" {
		fleetWorker(arg)
		return
	}
	if len(os.Args) < 2 || len(os.Args) > 3 {
		fmt.Fprintln(os.Stderr, "usage: gobench <authorization-server-url> [latency-samples-file]")
		os.Exit(2)
	}
	tokenURL := os.Args[1] + "/token"

	m, err := core.NewTokenManager(&core.Config{ClientID: "test-client", ClientSecret: "test-secret", TokenURL: tokenURL})
	check(err)
	defer m.Close()
	ctx := context.Background()
	report("go_core_token_cached", func() error { _, err := m.Token(ctx); return err })

	cc := &clientcredentials.Config{ClientID: "test-client", ClientSecret: "test-secret", TokenURL: tokenURL}
	rts := oauth2.ReuseTokenSource(nil, cc.TokenSource(ctx))
	report("go_x_oauth2_reuse_token_source_cached", func() error { _, err := rts.Token(); return err })

	stampede(1000)
	manyManagers(10000)
	dueTogether(10000)
	if url := os.Getenv("MCP_OAUTH_BENCH_REDIS"); url != "" {
		fleet(url)
	}
	shortLifetime()
	var samples io.Writer
	if len(os.Args) == 3 {
		f, err := os.Create(os.Args[2])
		check(err)
		defer f.Close()
		w := bufio.NewWriter(f)
		defer w.Flush()
		samples = w
	}
	refreshLatency(10*time.Second, samples)
}

// report runs f once to warm the cache, then batches of calls, and prints
// the median, p10 and p90 of the per-call time.
func report(name string, f func() error) {
	check(f())
	perCall := make([]float64, batches)
	for b := range perCall {
		start := time.Now()
		for range calls {
			check(f())
		}
		perCall[b] = float64(time.Since(start).Nanoseconds()) / calls
	}
	slices.Sort(perCall)
	fmt.Printf("%s %.1f %.1f %.1f\n", name, perCall[batches/2], perCall[batches/10], perCall[batches*9/10])
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "gobench:", err)
		os.Exit(1)
	}
}
