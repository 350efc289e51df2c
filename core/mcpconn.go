package core

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// MCP transports a [MCPSession] can use.
const (
	TransportStreamableHTTP = "streamable_http" // MCP 2025-03-26 and later
	TransportSSE            = "sse"             // the older HTTP+SSE transport (2024-11-05)
)

// MCPSession is a client session with one MCP server, over the official MCP
// Go SDK's transports, with OAuth injected by a [Transport] on every request
// of both the Streamable HTTP and the SSE transport. It is safe for concurrent use. Its errors never quote the
// server URL's query, which may carry an API key.
type MCPSession struct {
	session *mcp.ClientSession
	cancel  context.CancelFunc // ends the session's streams
	redact  redactor           // the server URL's query values, kept out of errors
	bounded *boundedResponses  // caps the server's bodies and events
}

// ConnectMCP connects to the MCP server at serverURL with transport
// ("" means streamable HTTP) and performs the MCP initialization, bounded by
// ctx; the session itself outlives ctx until [MCPSession.Close]. Tokens come
// from m; a server demanding authorization that m cannot provide without a
// user yields [ErrAuthorizationRequired].
func ConnectMCP(ctx context.Context, m *TokenManager, serverURL, transport, clientName string) (*MCPSession, error) {
	rt, err := NewTransport(m, serverURL, m.sessionTransport())
	if err != nil {
		return nil, err
	}
	// No overall client timeout: SSE streams live as long as the session.
	// Each request is bounded by the caller's context, and waiting for a
	// response's headers (also on close) by the configured HTTP timeout.
	bounded := &boundedResponses{next: rt, limit: m.cfg.MCPMaxResponse()}
	hc := &http.Client{Transport: bounded}
	maxEvent := int(min(bounded.limit, math.MaxInt32)) // the SDK's own cap, as a second line
	var t mcp.Transport
	switch transport {
	case "", TransportStreamableHTTP:
		t = &mcp.StreamableClientTransport{Endpoint: serverURL, HTTPClient: hc, DisableStandaloneSSE: true, MaxEventSize: maxEvent}
	case TransportSSE:
		t = &mcp.SSEClientTransport{Endpoint: serverURL, HTTPClient: hc, MaxEventSize: maxEvent}
	default:
		return nil, &ConfigError{Field: "transport", Reason: `must be "streamable_http" or "sse"`}
	}
	if clientName == "" {
		clientName = "mcp-oauth"
	}
	client := mcp.NewClient(&mcp.Implementation{Name: clientName, Version: Version}, nil)
	// The transport keeps its streams on the context given to Connect, so
	// that context must live as long as the session; ctx only bounds the
	// handshake.
	sctx, cancel := context.WithCancel(context.Background())
	stop := context.AfterFunc(ctx, cancel)
	s, err := client.Connect(sctx, t, nil)
	redact := queryRedactor(serverURL)
	if !stop() || err != nil {
		cancel()
		if err == nil {
			_ = s.Close()
			err = networkError("MCP server", ctx.Err())
		}
		if bounded.tripped.Load() {
			err = &ResponseTooLargeError{Limit: bounded.limit}
		}
		return nil, printableErr(redact.err(err))
	}
	return &MCPSession{session: s, cancel: cancel, redact: redact, bounded: bounded}, nil
}

// sessionTransport is the manager's HTTP transport (its CA bundle applies to
// MCP connections too) with a bound on waiting for response headers.
func (m *TokenManager) sessionTransport() http.RoundTripper {
	switch tr := m.client.Transport.(type) {
	case *reachTransport:
		return tr.withHeaderTimeout(m.cfg.HTTPTimeout())
	case *http.Transport:
		tr = tr.Clone()
		tr.ResponseHeaderTimeout = m.cfg.HTTPTimeout()
		return tr
	}
	return m.client.Transport
}

// ListTools returns the result of tools/list as JSON.
func (s *MCPSession) ListTools(ctx context.Context) (json.RawMessage, error) {
	return s.Request(ctx, "tools/list", nil)
}

// CallTool calls a tool with JSON arguments (nil for none) and returns the
// tools/call result as JSON.
func (s *MCPSession) CallTool(ctx context.Context, name string, args json.RawMessage) (json.RawMessage, error) {
	params := map[string]any{"name": name}
	if len(args) > 0 {
		params["arguments"] = args
	}
	raw, err := json.Marshal(params)
	if err != nil {
		return nil, err
	}
	return s.Request(ctx, "tools/call", raw)
}

// Request sends an MCP request by method name with JSON params and returns
// the JSON result. The client-to-server requests of the MCP specification are
// supported: ping, tools/list, tools/call, resources/list, resources/read,
// resources/templates/list, prompts/list, prompts/get, completion/complete.
func (s *MCPSession) Request(ctx context.Context, method string, params json.RawMessage) (json.RawMessage, error) {
	// MCP params are an object (JSON-RPC 2.0 §4.2 allows arrays; MCP does
	// not): refuse anything else up front, also for ping, which ignores them.
	if t := bytes.TrimSpace(params); len(t) > 0 && string(t) != "null" && !isJSONObject(t) {
		return nil, &ConfigError{Field: "params", Reason: "must be a JSON object"}
	}
	var result any
	var err error
	switch method {
	case "ping":
		err = s.session.Ping(ctx, nil)
		result = struct{}{}
	case "tools/list":
		result, err = call(ctx, params, s.session.ListTools)
	case "tools/call":
		result, err = call(ctx, params, s.session.CallTool)
	case "resources/list":
		result, err = call(ctx, params, s.session.ListResources)
	case "resources/read":
		result, err = call(ctx, params, s.session.ReadResource)
	case "resources/templates/list":
		result, err = call(ctx, params, s.session.ListResourceTemplates)
	case "prompts/list":
		result, err = call(ctx, params, s.session.ListPrompts)
	case "prompts/get":
		result, err = call(ctx, params, s.session.GetPrompt)
	case "completion/complete":
		result, err = call(ctx, params, s.session.Complete)
	default:
		return nil, &ConfigError{Field: "method", Reason: fmt.Sprintf("%s is not a supported MCP request", quoteShort(method))}
	}
	if err != nil && s.bounded.tripped.Load() {
		_ = s.session.Close() // the rest of the answer is never read
		return nil, &ResponseTooLargeError{Limit: s.bounded.limit}
	}
	if err != nil {
		return nil, printableErr(s.redact.err(err))
	}
	return json.Marshal(result)
}

// call decodes JSON params into P and invokes a typed session method.
func call[P any, R any](ctx context.Context, raw json.RawMessage, f func(context.Context, *P) (R, error)) (R, error) {
	var p P
	if len(raw) > 0 && string(raw) != "null" {
		if err := json.Unmarshal(raw, &p); err != nil {
			var zero R
			return zero, &ConfigError{Field: "params", Reason: "does not match the method's parameters: " + err.Error()}
		}
	}
	return f(ctx, &p)
}

// Close ends the session.
func (s *MCPSession) Close() error {
	defer s.cancel()
	return printableErr(s.redact.err(s.session.Close()))
}
