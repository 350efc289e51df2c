package core

import (
	"context"
	"net/http"
	"strings"
)

// probeBody is the request that learns an MCP server's challenge: a
// JSON-RPC ping (MCP "Ping"), which changes no state on a server that
// answers it.
const probeBody = `{"jsonrpc":"2.0","id":0,"method":"ping"}`

// Discover runs discovery (see [TokenManager] and discovery.go) now, as the
// first request to the MCP server would, when it has not run yet: unless the
// server's challenge is already known, one request without a token first
// learns it, and its resource_metadata and scope steer discovery (RFC 9728
// §5.1; MCP "Scope Selection Strategy": the challenge's scope before the
// metadata's scopes_supported). A program that authorizes a user before it
// talks to the server (the command-line tool's login) so asks for what the
// server asks for, not every scope its metadata lists. It does nothing
// outside discovery mode.
func (m *TokenManager) Discover(ctx context.Context) error {
	if m.closed.Load() {
		return ErrClosed
	}
	if !m.cfg.Discovering() || m.params.Load() != nil {
		return nil
	}
	m.mu.Lock()
	known := m.challenge.Scheme != ""
	m.mu.Unlock()
	if !known {
		if err := m.probeChallenge(ctx); err != nil {
			return err
		}
	}
	_, err := m.authParams(ctx)
	return err
}

// probeChallenge sends [probeBody] to the MCP server without a token and
// records the challenge of a 401 (any other answer teaches nothing:
// discovery then tries the well-known URLs).
func (m *TokenManager) probeChallenge(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.cfg.ServerURL, strings.NewReader(probeBody))
	if err != nil {
		return &ConfigError{Field: "server_url", Reason: "cannot build a request"}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	setMCPHeaders(req, m.cfg.MCPHeaders)
	resp, err := noRedirectClient(m.client).Do(req)
	if err != nil {
		return networkError("MCP server", err)
	}
	defer drain(resp)
	if resp.StatusCode == http.StatusUnauthorized {
		m.observe(resp.Header.Values("WWW-Authenticate"))
	}
	return nil
}
