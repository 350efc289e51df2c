package core

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// NoMCPServerError: the URL given as an MCP server's answers as no MCP
// endpoint does — 404 to the MCP requests of both transports (MCP
// "Transports": a Streamable HTTP endpoint takes POST, an HTTP+SSE one GET).
// A typo in the path, or another server's URL (its authorization server's,
// say). It classifies as [KindDiscovery], with the HTTP status.
type NoMCPServerError struct {
	URL        string // without userinfo and query
	StatusCode int
}

func (e *NoMCPServerError) Error() string {
	return fmt.Sprintf("mcp-oauth: no MCP server at %s (HTTP %d)", e.URL, e.StatusCode)
}

// NoMCPServer is the NoMCPServerError of serverURL: a 404 where its MCP
// endpoint should be.
func NoMCPServer(serverURL string) *NoMCPServerError {
	return &NoMCPServerError{URL: shownURL(serverURL), StatusCode: http.StatusNotFound}
}

// mcpProbePing is what the Streamable HTTP probe posts: a JSON-RPC ping
// (MCP "Ping"), which no server acts upon.
const mcpProbePing = `{"jsonrpc":"2.0","id":"mcp-oauth-probe","method":"ping"}`

// checkMCPServer asks the configured MCP server URL, without a token,
// whether an MCP endpoint is there, before discovery logs in to anything
// for it (issue 16: a typo'd path, or the authorization server's own URL,
// "logged in" and failed later with a bare "Not Found"). It posts a ping,
// as a Streamable HTTP client would, and after a 404 asks for an event
// stream, as an HTTP+SSE client would: 404 to both is a
// [*NoMCPServerError]. Any other answer — a 401 challenge first of all —
// means an endpoint is there; a 401's challenge is recorded, so that its
// resource_metadata and scope steer discovery as the first request's would
// (RFC 9728 §5.1, MCP "Scope Selection Strategy").
func (m *TokenManager) checkMCPServer(ctx context.Context) error {
	for _, method := range []string{http.MethodPost, http.MethodGet} {
		var body io.Reader
		if method == http.MethodPost {
			body = strings.NewReader(mcpProbePing)
		}
		req, err := http.NewRequestWithContext(ctx, method, m.cfg.ServerURL, body)
		if err != nil {
			return &ConfigError{Field: "server_url", Reason: "must be an absolute URL"}
		}
		req.Header.Set("Accept", "text/event-stream")
		if method == http.MethodPost {
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json, text/event-stream")
		}
		setMCPHeaders(req, m.cfg.MCPHeaders)
		resp, err := m.client.Do(req)
		if err != nil {
			return networkError("MCP server", err)
		}
		resp.Body.Close() // an event stream is not read: its status is the answer
		if resp.StatusCode == http.StatusUnauthorized {
			m.observe(resp.Header.Values("WWW-Authenticate"))
		}
		if resp.StatusCode != http.StatusNotFound {
			return nil
		}
	}
	return NoMCPServer(m.cfg.ServerURL)
}
