package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
	_ "github.com/mcp-oauth-client/mcp-oauth-client/redisstore"
)

// A fleet on one Redis store: fleetProcs processes (this program re-run as
// workers, each with its own cache) share one client's tokens through
// config token_store for fleetRun, with 4 s tokens refreshed in their last
// 10 % (refresh_margin_seconds 0): every 3.6 s, so 17 s span 5 tokens.
const (
	fleetProcs    = 32
	fleetLifetime = 4 * time.Second
	fleetRun      = 17 * time.Second
)

// fleetWorkerEnv carries a worker's configuration and deadline.
const fleetWorkerEnv = "GOBENCH_FLEET_WORKER"

// fleet reports "fleet <processes> <tokens needed> <token requests>
// <get_token calls> <redis commands>": the token requests the fleet made
// (the goal: one per token needed) and the commands Redis processed meanwhile
// (INFO total_commands_processed, less the measurement's own) for all the
// processes' get_token calls, one every millisecond in each.
func fleet(redisURL string) {
	srv, err := oauthtest.Start(oauthtest.Options{TokenLifetime: fleetLifetime})
	check(err)
	defer srv.Close()
	zero := 0.0
	cfg, err := json.Marshal(&core.Config{ClientID: oauthtest.DefaultClientID, ClientSecret: oauthtest.DefaultClientSecret,
		TokenURL: srv.TokenURL(), TokenStore: redisURL, RefreshMarginSeconds: &zero})
	check(err)
	opts, err := redis.ParseURL(redisURL)
	check(err)
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	before := commandsProcessed(rdb)
	start := time.Now()
	deadline := start.Add(fleetRun)
	var procs []*exec.Cmd
	var outs []*strings.Builder
	for range fleetProcs {
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), fleetWorkerEnv+"="+strconv.FormatInt(deadline.UnixMilli(), 10)+" "+string(cfg))
		out := &strings.Builder{}
		cmd.Stdout, cmd.Stderr = out, os.Stderr
		check(cmd.Start())
		procs, outs = append(procs, cmd), append(outs, out)
	}
	calls := 0
	for i, p := range procs {
		check(p.Wait())
		n, err := strconv.Atoi(strings.TrimSpace(outs[i].String()))
		check(err)
		calls += n
	}
	commands := commandsProcessed(rdb) - before - 1 // the second INFO
	needed := int(fleetRun/(fleetLifetime*9/10)) + 1
	fmt.Printf("fleet %d %d %d %d %d\n", fleetProcs, needed, srv.Counts().Token, calls, commands)
}

// commandsProcessed is Redis's INFO stats total_commands_processed.
func commandsProcessed(rdb *redis.Client) int {
	info, err := rdb.Info(context.Background(), "stats").Result()
	check(err)
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, "total_commands_processed:"); ok {
			n, err := strconv.Atoi(v)
			check(err)
			return n
		}
	}
	check(fmt.Errorf("no total_commands_processed in INFO"))
	return 0
}

// fleetWorker gets its token every millisecond until the deadline, then
// prints how many calls it made.
func fleetWorker(arg string) {
	ms, config, _ := strings.Cut(arg, " ")
	until, err := strconv.ParseInt(ms, 10, 64)
	check(err)
	cfg, err := core.ParseConfig([]byte(config))
	check(err)
	m, err := core.NewTokenManager(cfg)
	check(err)
	defer m.Close()
	calls := 0
	for time.Now().UnixMilli() < until {
		_, err := m.Token(context.Background())
		check(err)
		calls++
		time.Sleep(time.Millisecond)
	}
	fmt.Println(calls)
}
