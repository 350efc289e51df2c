package mcpclient

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// TestBoundedResponses: a body is capped as a whole, an SSE stream event by
// event (a long stream of small events passes), and a declared length over
// the cap fails before anything is read.
func TestBoundedResponses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/json":
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, r.URL.Query().Get("body"))
			w.(http.Flusher).Flush() // chunked: no Content-Length
		case "/sized":
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", "2000")
			_, _ = io.WriteString(w, strings.Repeat("x", 2000))
		case "/events":
			w.Header().Set("Content-Type", "text/event-stream")
			_, _ = io.WriteString(w, r.URL.Query().Get("body"))
		}
	}))
	defer srv.Close()
	read := func(path, body string) (string, error, bool) {
		b := &boundedResponses{next: http.DefaultTransport, limit: 100}
		req, _ := http.NewRequest("GET", srv.URL+path+"?body="+body, nil)
		resp, err := b.RoundTrip(req)
		if err != nil {
			return "", err, b.tripped.Load()
		}
		defer resp.Body.Close()
		got, err := io.ReadAll(resp.Body)
		return string(got), err, b.tripped.Load()
	}
	event := "data:" + strings.Repeat("e", 80) + "%0D%0A%0D%0A" // 89 bytes with CRLF CRLF
	for _, tc := range []struct {
		name, path, body string
		wantLen          int
		tooLarge         bool
	}{
		{"body at the cap", "/json", strings.Repeat("j", 100), 100, false},
		{"body over the cap", "/json", strings.Repeat("j", 101), 100, true},
		{"declared length over the cap", "/sized", "", 0, true},
		{"many small events", "/events", strings.Repeat(event, 20), 20 * 89, false},
		{"one event over the cap", "/events", event + "data:" + strings.Repeat("e", 200), 89 + 99, true},
		{"lines without a blank line between", "/events", strings.Repeat("data:x%0A", 60), 100, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err, tripped := read(tc.path, tc.body)
			assert.Equal(t, tc.tooLarge, tripped)
			if !tc.tooLarge {
				require.NoError(t, err)
			} else {
				var tl *core.ResponseTooLargeError
				require.ErrorAs(t, err, &tl)
				assert.Contains(t, err.Error(), "mcp_max_response_bytes (100 bytes)")
			}
			assert.Len(t, got, tc.wantLen)
		})
	}
}

func TestMCPMaxResponseBytesConfig(t *testing.T) {
	c, err := core.ParseConfig([]byte(`{"client_id":"c","client_secret":"s","token_url":"https://as.example/token","mcp_max_response_bytes":1000}`))
	require.NoError(t, err)
	assert.Equal(t, int64(1000), c.MCPMaxResponse())
	c.MCPMaxResponseBytes = 0
	assert.Equal(t, int64(core.DefaultMCPMaxResponseBytes), c.MCPMaxResponse())
	for _, bad := range []string{"-1", "1073741825", "1.5"} {
		_, err := core.ParseConfig([]byte(`{"client_id":"c","client_secret":"s","token_url":"https://as.example/token","mcp_max_response_bytes":` + bad + `}`))
		var ce *core.ConfigError
		require.ErrorAs(t, err, &ce, bad)
		assert.Equal(t, "mcp_max_response_bytes", ce.Field)
	}
}
