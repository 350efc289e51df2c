package core

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
)

// hugeResponseEnv makes the test binary a client that fetches one huge MCP
// response and reports its peak memory (see fetchHugeResponse).
const (
	hugeResponseEnv = "MCP_OAUTH_TEST_HUGE_RESPONSE"
	hugeSize        = 300 << 20
)

// streamHuge answers a JSON-RPC request with a tools/list result whose one
// tool has a description of n bytes, as JSON or as one SSE event, written
// from a fixed buffer: the server allocates nothing for it.
func streamHuge(w http.ResponseWriter, id json.RawMessage, n int, sse bool) {
	chunk := []byte(strings.Repeat("a", 64<<10))
	prefix, suffix := `{"jsonrpc":"2.0","id":`+string(id)+`,"result":{"tools":[{"name":"t","inputSchema":{"type":"object"},"description":"`, `"}]}}`
	if sse {
		w.Header().Set("Content-Type", "text/event-stream")
		prefix, suffix = "event: message\ndata: "+prefix, suffix+"\n\n"
	} else {
		w.Header().Set("Content-Type", "application/json")
	}
	if _, err := w.Write([]byte(prefix)); err != nil {
		return
	}
	for ; n > 0; n -= len(chunk) {
		if _, err := w.Write(chunk[:min(n, len(chunk))]); err != nil {
			return // the client gave up
		}
	}
	_, _ = w.Write([]byte(suffix))
}

// TestSecurityMCPResponsesAreBounded: a 300 MB MCP answer, as a JSON body or
// as one SSE event, fails with an error naming the limit and raises the
// client's peak RSS by less than 64 MB (issue 12 item 4). The client runs in
// a child process, so that its peak memory is its own.
func TestSecurityMCPResponsesAreBounded(t *testing.T) {
	as := newFakeEndpoint(t, func(n int64, _ url.Values) (int, any) { return 200, bearer(fmt.Sprintf("at-huge-%04d", n), 3600) })
	for _, sse := range []bool{false, true} {
		t.Run(map[bool]string{false: "JSON body", true: "SSE event"}[sse], func(t *testing.T) {
			srv := mcptest.StartRawT(t, func(w http.ResponseWriter, id json.RawMessage, method string, _ json.RawMessage) {
				if method == "tools/list" {
					streamHuge(w, id, hugeSize, sse)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				_, _ = fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%s,"result":{}}`, id)
			})
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			child := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
			child.Env = append(os.Environ(), hugeResponseEnv+"="+srv.URL+" "+as.URL)
			out, err := child.Output()
			require.NoError(t, err, "child: %s", out)
			report := map[string]string{}
			for sc := bufio.NewScanner(strings.NewReader(string(out))); sc.Scan(); {
				if k, v, ok := strings.Cut(sc.Text(), "="); ok {
					report[k] = v
				}
			}
			growth, err := strconv.ParseInt(report["growth"], 10, 64)
			require.NoError(t, err, "child: %s", out)
			t.Logf("peak RSS growth %d MiB; error %s; afterwards %s", growth>>20, report["error"], report["after"])
			assert.Less(t, growth, int64(64<<20), "peak RSS growth")
			assert.Contains(t, report["error"], "mcp_max_response_bytes")
			assert.Contains(t, report["error"], "8388608 bytes")
			assert.NotEqual(t, "hang", report["after"], "the session is closed cleanly or usable")
		})
	}
}

// fetchHugeResponse is the child of TestSecurityMCPResponsesAreBounded: it
// lists the tools of the server at arg's first URL (tokens from the second),
// then prints its peak RSS growth, the error and how the session behaves
// afterwards.
func fetchHugeResponse(arg string) {
	mcpURL, tokenURL, _ := strings.Cut(arg, " ")
	base := procStatusKB("VmRSS")
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) // reset VmHWM (Linux)
	m, err := NewTokenManager(clientCredentials(tokenURL))
	if err != nil {
		fmt.Println("error=", err)
		return
	}
	defer m.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := ConnectMCP(ctx, m, mcpURL, "", "")
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
