package mcpclient

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// MCP transports a [MCPSession] can use ([ConnectOptions.Transport]).
const (
	TransportStreamableHTTP = "streamable_http" // MCP 2025-03-26 and later; the default
	TransportSSE            = "sse"             // the older HTTP+SSE transport (2024-11-05)
	// TransportAuto tries Streamable HTTP first and falls back to HTTP+SSE
	// when the server does not speak it (MCP 2025-03-26, "Backwards
	// Compatibility"), but not after a failure of authorization, of the
	// network or of the caller's context, which HTTP+SSE would only repeat.
	TransportAuto = "auto"
)

// DefaultConnectTimeout bounds connecting and each request of a session
// unless [ConnectOptions.TimeoutSeconds] says otherwise.
const DefaultConnectTimeout = 60 * time.Second

// maxConnectTimeoutSeconds is the largest TimeoutSeconds accepted.
const maxConnectTimeoutSeconds = 3600

// ConnectOptions are the options of an MCP connection: the options JSON of
// mcp_client_connect, and the members of a [ServerSpec] besides url and
// auth. The zero value is valid: Streamable HTTP, client name "mcp-oauth",
// [DefaultConnectTimeout].
type ConnectOptions struct {
	// Transport is TransportStreamableHTTP ("" too), TransportSSE or
	// TransportAuto.
	Transport string `json:"transport,omitempty"`
	// ClientName is the MCP clientInfo name (default "mcp-oauth").
	ClientName string `json:"client_name,omitempty"`
	// TimeoutSeconds bounds connecting and each request: 0 means
	// [DefaultConnectTimeout], at most 3600. The front ends apply it with
	// [ConnectOptions.Timeout].
	TimeoutSeconds float64 `json:"timeout_seconds,omitempty"`
	// OnFallback, when set, is told why TransportAuto falls back to HTTP+SSE
	// before it does.
	OnFallback func(streamableErr error) `json:"-"`
}

// ParseConnectOptions decodes and validates an options JSON object strictly
// (no unknown member, nothing after it); empty js means the zero options.
func ParseConnectOptions(js []byte) (ConnectOptions, error) {
	var o ConnectOptions
	if len(bytes.TrimSpace(js)) == 0 {
		return o, nil
	}
	if err := core.DecodeStrict(js, &o); err != nil {
		return o, &core.ConfigError{Field: "options_json", Reason: err.Error()}
	}
	return o, o.validate("")
}

// validate checks the options; prefix is prepended to the field names of
// its errors (e.g. "servers.<name>.").
func (o ConnectOptions) validate(prefix string) error {
	switch o.Transport {
	case "", TransportStreamableHTTP, TransportSSE, TransportAuto:
	default:
		return &core.ConfigError{Field: prefix + "transport", Reason: `must be "streamable_http", "sse" or "auto"`}
	}
	if !(o.TimeoutSeconds >= 0 && o.TimeoutSeconds <= maxConnectTimeoutSeconds) {
		return &core.ConfigError{Field: prefix + "timeout_seconds", Reason: "must be between 0 (default 60) and 3600"}
	}
	return nil
}

// Timeout is the bound on connecting and on each request.
func (o ConnectOptions) Timeout() time.Duration {
	if o.TimeoutSeconds == 0 {
		return DefaultConnectTimeout
	}
	return time.Duration(o.TimeoutSeconds * float64(time.Second))
}

// MCPSession is a client session with one MCP server, over the official MCP
// Go SDK's transports, with OAuth injected by a [core.Transport] on every request
// of both the Streamable HTTP and the SSE transport. It is safe for
// concurrent use. Its errors never quote the server URL's query, which may
// carry an API key, and are classified once, as they happen (see
// [core.Classify]).
type MCPSession struct {
	session *mcp.ClientSession
	cancel  context.CancelFunc // ends the session's streams
	redact  func(error) error  // the server URL's query values, kept out of errors
	bounded *boundedResponses  // caps the server's bodies and events
	elicit  *elicitSlot        // answers the server's elicitation requests (elicit.go)
	status  sessionInfo        // what Status shows besides the session's own state (mcpstatus.go)
	closed  atomic.Bool        // Close was called: a request it ended failed here, not on the network
}

// ConnectMCP connects to the MCP server at serverURL over o's transport and
// performs the MCP initialization, bounded by ctx (the caller applies
// o.Timeout()); the session itself outlives ctx until [MCPSession.Close].
// Tokens come from m; a server demanding authorization that m cannot provide
// without a user yields [core.ErrAuthorizationRequired].
func ConnectMCP(ctx context.Context, m *core.TokenManager, serverURL string, o ConnectOptions) (*MCPSession, error) {
	if err := o.validate(""); err != nil {
		return nil, err
	}
	if o.Transport != TransportAuto {
		return connectOver(ctx, m, serverURL, o.Transport, o.ClientName)
	}
	s, err := connectOver(ctx, m, serverURL, TransportStreamableHTTP, o.ClientName)
	var noMCP *core.NoMCPServerError
	if err == nil || (core.Classify(err).Kind != core.KindMCP && !errors.As(err, &noMCP)) {
		return s, err
	}
	if o.OnFallback != nil {
		o.OnFallback(err)
	}
	s, sseErr := connectOver(ctx, m, serverURL, TransportSSE, o.ClientName)
	if noMCP != nil && errors.As(sseErr, &noMCP) {
		return nil, sseErr // neither transport's endpoint is there
	}
	if sseErr != nil {
		return nil, fmt.Errorf("mcp-oauth: neither Streamable HTTP (%v) nor HTTP+SSE (%w) worked",
			strings.TrimPrefix(err.Error(), "mcp-oauth: "), sseErr)
	}
	return s, nil
}

// connectOver connects over one transport ("" is Streamable HTTP).
func connectOver(ctx context.Context, m *core.TokenManager, serverURL, transport, clientName string) (*MCPSession, error) {
	rt, err := core.NewTransport(m, serverURL, m.SessionTransport())
	if err != nil {
		return nil, err
	}
	// The Streamable HTTP transport keeps the standalone SSE stream (a GET)
	// open: servers send requests not tied to one of the client's — an
	// elicitation, say — on it (MCP "Streamable HTTP", Listening for
	// Messages from the Server).
	// No overall client timeout: SSE streams live as long as the session.
	// Each request is bounded by the caller's context, and waiting for a
	// response's headers (also on close) by the configured HTTP timeout.
	first := &firstStatus{next: rt} // a 404 to the first request: no MCP server there (firststatus.go)
	bounded := &boundedResponses{next: first, limit: m.Config().MCPMaxResponse()}
	hc := &http.Client{Transport: bounded}
	maxEvent := int(min(bounded.limit, math.MaxInt32)) // the SDK's own cap, as a second line
	var t mcp.Transport
	if transport == TransportSSE {
		t = &mcp.SSEClientTransport{Endpoint: serverURL, HTTPClient: hc, MaxEventSize: maxEvent}
	} else {
		t = &mcp.StreamableClientTransport{Endpoint: serverURL, HTTPClient: hc, MaxEventSize: maxEvent}
	}
	if clientName == "" {
		clientName = "mcp-oauth"
	}
	elicit := &elicitSlot{}
	client := mcp.NewClient(&mcp.Implementation{Name: clientName, Version: core.Version}, elicit.clientOptions())
	addSkillsMethods(client)
	// The transport keeps its streams on the context given to Connect, so
	// that context must live as long as the session; ctx only bounds the
	// handshake.
	sctx, cancel := context.WithCancel(context.Background())
	stop := context.AfterFunc(ctx, cancel)
	s, err := client.Connect(sctx, t, nil)
	redact := core.QueryRedactor(serverURL)
	if !stop() || err != nil {
		cancel()
		if err == nil {
			_ = s.Close()
			err = core.NetworkErrorFor("MCP server", ctx.Err())
		}
		if bounded.tripped.Load() {
			err = &core.ResponseTooLargeError{Limit: bounded.limit}
		}
		return nil, core.PrintableErr(redact(first.openError(serverURL, core.SessionError(ctx, err))))
	}
	return &MCPSession{session: s, cancel: cancel, redact: redact, bounded: bounded, elicit: elicit,
		status: sessionInfo{manager: m, serverURL: serverURL, transport: cmp.Or(transport, TransportStreamableHTTP)}}, nil
}

// MaxToolPages bounds the tools/list pages [MCPSession.ListTools] follows,
// against a server that hands out cursors forever.
const MaxToolPages = 1000

// ListTools returns {"tools": [...]}: every tool of every page of tools/list
// (MCP "Tools", pagination), following nextCursor. A server that repeats a
// cursor, or answers more than [MaxToolPages] pages, is a [core.ProtocolError].
func (s *MCPSession) ListTools(ctx context.Context) (json.RawMessage, error) {
	tools, err := s.Tools(ctx)
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]any{"tools": tools})
}

// Tools returns the tool objects of every page of tools/list; see
// [MCPSession.ListTools].
func (s *MCPSession) Tools(ctx context.Context) ([]json.RawMessage, error) {
	tools := []json.RawMessage{}
	seen := map[string]bool{}
	var cursor string
	for range MaxToolPages {
		var params json.RawMessage
		if cursor != "" {
			params, _ = json.Marshal(map[string]string{"cursor": cursor}) // cannot fail
		}
		raw, err := s.Request(ctx, "tools/list", params)
		if err != nil {
			return nil, err
		}
		var page struct {
			Tools      []json.RawMessage `json:"tools"`
			NextCursor string            `json:"nextCursor"`
		}
		if err := json.Unmarshal(raw, &page); err != nil {
			return nil, &core.ProtocolError{Reason: "tools/list result: " + err.Error()}
		}
		for _, t := range page.Tools {
			if core.IsJSONObject(bytes.TrimSpace(t)) {
				tools = append(tools, t)
			}
		}
		if page.NextCursor == "" {
			return tools, nil
		}
		if seen[page.NextCursor] {
			return nil, &core.ProtocolError{Reason: "tools/list repeated a cursor"}
		}
		seen[page.NextCursor] = true
		cursor = page.NextCursor
	}
	return nil, &core.ProtocolError{Reason: fmt.Sprintf("tools/list returned more than %d pages", MaxToolPages)}
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
	if t := bytes.TrimSpace(params); len(t) > 0 && string(t) != "null" && !core.IsJSONObject(t) {
		return nil, &core.ConfigError{Field: "params", Reason: "must be a JSON object"}
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
		return nil, &core.ConfigError{Field: "method", Reason: fmt.Sprintf("%s is not a supported MCP request", core.QuoteShort(method))}
	}
	if err != nil && s.bounded.tripped.Load() {
		_ = s.session.Close() // the rest of the answer is never read
		return nil, &core.ResponseTooLargeError{Limit: s.bounded.limit}
	}
	if err != nil && s.closed.Load() {
		return nil, core.PrintableErr(s.redact(&core.MCPError{Err: err}))
	}
	if err != nil {
		return nil, core.PrintableErr(s.redact(core.SessionError(ctx, err)))
	}
	return json.Marshal(result)
}

// call decodes JSON params into P and invokes a typed session method.
func call[P any, R any](ctx context.Context, raw json.RawMessage, f func(context.Context, *P) (R, error)) (R, error) {
	var p P
	if len(raw) > 0 && string(raw) != "null" {
		if err := json.Unmarshal(raw, &p); err != nil {
			var zero R
			return zero, &core.ConfigError{Field: "params", Reason: "does not match the method's parameters: " + err.Error()}
		}
	}
	return f(ctx, &p)
}

// Close ends the session.
func (s *MCPSession) Close() error {
	s.closed.Store(true)
	defer s.cancel()
	return core.PrintableErr(s.redact(core.SessionError(context.Background(), s.session.Close())))
}
