package keyringstore

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
	"github.com/mcp-oauth-client/mcp-oauth-client/core/mcpclient"
)

// TestMain doubles as a second program on the keyring: the tests re-execute
// this test binary with MCP_OAUTH_KEYRING_WORKER set to a configuration,
// and such a process connects to the MCP server in it, prints its access
// token and exits.
func TestMain(m *testing.M) {
	if cfg := os.Getenv("MCP_OAUTH_KEYRING_WORKER"); cfg != "" {
		os.Exit(worker(cfg))
	}
	os.Exit(m.Run())
}

func worker(config string) int {
	cfg, err := core.ParseConfig([]byte(config))
	if err == nil {
		var m *core.TokenManager
		if m, err = core.NewTokenManager(cfg); err == nil {
			defer m.Close()
			var s *mcpclient.MCPSession
			if s, err = mcpclient.ConnectMCP(context.Background(), m, cfg.ServerURL, mcpclient.ConnectOptions{}); err == nil {
				s.Close()
				var snap core.Snapshot
				if snap, err = m.Token(context.Background()); err == nil {
					fmt.Println(snap.AccessToken)
					return 0
				}
			}
		}
	}
	fmt.Fprintln(os.Stderr, "worker:", err)
	return 1
}
