package mcpclient

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// hugeSize is the size of the attacking answer.
const hugeSize = 300 << 20

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
// a child process built without the race detector (testdata/hugeclient), so
// that its peak memory is its own.
func TestSecurityMCPResponsesAreBounded(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("peak RSS is read from /proc")
	}
	client := filepath.Join(t.TempDir(), "hugeclient")
	build := exec.Command("go", "build", "-o", client, "./testdata/hugeclient")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "building the client: %s", out)
	as := oauthtest.StartT(t, oauthtest.Options{Clients: []oauthtest.Client{{ID: "client", Secret: "s3cr3t-value"}}})
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
			out, err := exec.CommandContext(ctx, client, srv.URL, as.TokenURL()).Output()
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
