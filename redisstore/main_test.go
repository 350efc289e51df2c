package redisstore

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// TestMain doubles as a fleet worker: the fleet tests re-execute this test
// binary with MCP_OAUTH_FLEET_CONFIG set, and such a process — a host of
// the fleet, with its own memory — gets one token with that configuration,
// prints it and exits.
func TestMain(m *testing.M) {
	if cfg := os.Getenv("MCP_OAUTH_FLEET_CONFIG"); cfg != "" {
		os.Exit(worker(cfg))
	}
	os.Exit(m.Run())
}

func worker(config string) int {
	cfg, err := core.ParseConfig([]byte(config))
	if err == nil {
		var m *core.TokenManager
		if m, err = core.NewTokenManager(cfg); err == nil {
			var s core.Snapshot
			if s, err = m.Token(context.Background()); err == nil {
				fmt.Println(s.AccessToken)
				return 0
			}
		}
	}
	fmt.Fprintln(os.Stderr, "worker:", err)
	return 1
}
