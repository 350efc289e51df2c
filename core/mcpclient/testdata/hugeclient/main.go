// Command hugeclient is the client of core/mcpclient's
// TestSecurityMCPResponsesAreBounded, built without the race detector (whose shadow memory would swamp the
// measurement): it lists the tools of the MCP server at its first argument,
// with tokens from the client_credentials endpoint at its second, and
// prints its peak RSS growth, the error and how the session behaves
// afterwards, one "key=value" a line.
package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
	"github.com/mcp-oauth-client/mcp-oauth-client/core/mcpclient"
)

func main() {
	mcpURL, tokenURL := os.Args[1], os.Args[2]
	base := procStatusKB("VmRSS")
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) // reset VmHWM (Linux)
	m, err := core.NewTokenManager(&core.Config{ClientID: "client", ClientSecret: "s3cr3t-value", TokenURL: tokenURL})
	if err != nil {
		fmt.Println("error=", err)
		return
	}
	defer m.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := mcpclient.ConnectMCP(ctx, m, mcpURL, mcpclient.ConnectOptions{})
	if err != nil {
		fmt.Println("error=connect:", err)
		return
	}
	_, err = s.ListTools(ctx)
	fmt.Printf("error=%v\n", err)
	fmt.Printf("growth=%d\n", (procStatusKB("VmHWM")-base)<<10)
	pctx, pcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer pcancel()
	switch _, err := s.Request(pctx, "ping", nil); {
	case pctx.Err() != nil:
		fmt.Println("after=hang")
	case err != nil:
		fmt.Printf("after=closed: %v\n", err)
	default:
		fmt.Println("after=usable")
	}
	_ = s.Close()
}

// procStatusKB reads a "kB" field of /proc/self/status.
func procStatusKB(field string) int64 {
	data, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}
