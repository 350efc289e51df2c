// Command driver is a small MCP conformance client on the Go engine
// (core), used to check the engine against the suite's authorization
// scenarios by hand:
//
//	node conformance/dist/index.js client --command "build/conformance-driver" --scenario auth/dpop
//
// It reads the scenario name and context from MCP_CONFORMANCE_SCENARIO and
// MCP_CONFORMANCE_CONTEXT, connects to the server URL given as its last
// argument, lists the tools and calls the first one. When a user must
// authorize it plays the browser: the suite's authorization endpoint
// answers at once with a redirect carrying the code. It exits non-zero on
// failure.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
	"github.com/mcp-oauth-client/mcp-oauth-client/core/mcpclient"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: driver <server-url>")
		os.Exit(2)
	}
	if err := run(os.Args[len(os.Args)-1]); err != nil {
		fmt.Fprintln(os.Stderr, "driver:", err)
		os.Exit(1)
	}
}

func run(serverURL string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var sc map[string]any
	if raw := os.Getenv("MCP_CONFORMANCE_CONTEXT"); raw != "" {
		if err := json.Unmarshal([]byte(raw), &sc); err != nil {
			return fmt.Errorf("MCP_CONFORMANCE_CONTEXT: %w", err)
		}
	}
	cfg := map[string]any{"server_url": serverURL, "client_name": "mcp-oauth conformance driver"}
	if jwt, ok := sc["valid_jwt"].(string); ok { // auth/wif-jwt-bearer
		cfg["workload_identity_token"] = jwt
		cfg["client_id"] = sc["client_id"]
	}
	raw, _ := json.Marshal(cfg)
	c, err := core.ParseConfig(raw)
	if err != nil {
		return err
	}
	m, err := core.NewTokenManager(c)
	if err != nil {
		return err
	}
	defer m.Close()
	var s *mcpclient.MCPSession
	if err := authorized(ctx, m, func() (err error) {
		s, err = mcpclient.ConnectMCP(ctx, m, serverURL, mcpclient.ConnectOptions{ClientName: "mcp-oauth-conformance-driver"})
		return err
	}); err != nil {
		return err
	}
	defer s.Close()
	var tools struct {
		Tools []struct{ Name string } `json:"tools"`
	}
	if err := authorized(ctx, m, func() error {
		raw, err := s.ListTools(ctx)
		if err == nil {
			err = json.Unmarshal(raw, &tools)
		}
		return err
	}); err != nil {
		return err
	}
	if len(tools.Tools) == 0 {
		return nil
	}
	return authorized(ctx, m, func() error {
		_, err := s.CallTool(ctx, tools.Tools[0].Name, json.RawMessage(`{}`))
		return err
	})
}

// authorized runs f, authorizing (at most three times) whenever it reports
// that a user must authorize.
func authorized(ctx context.Context, m *core.TokenManager, f func() error) error {
	for attempt := 0; ; attempt++ {
		err := f()
		if !errors.Is(err, core.ErrAuthorizationRequired) || attempt == 3 {
			return err
		}
		fmt.Fprintln(os.Stderr, "driver: authorizing:", err)
		if err := authorize(ctx, m); err != nil {
			return err
		}
	}
}

// authorize plays the user's browser against an authorization endpoint
// that approves at once.
func authorize(ctx context.Context, m *core.TokenManager) error {
	req, err := m.BeginAuthorization(ctx, "")
	if err != nil {
		return err
	}
	client := &http.Client{Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(req.URL)
	if err != nil {
		return err
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if loc == "" {
		return fmt.Errorf("authorization endpoint answered %d without a redirect", resp.StatusCode)
	}
	_, err = m.CompleteAuthorization(ctx, loc)
	return err
}
