package mcpclient

// One multi-server client, here. C has no MCP client but this library's, so
// the C ABI needs one (mcp_client_multi_*); the Python and Node
// MultiServerMcpClient wrap that same ABI instead of composing single clients
// themselves. One behaviour, one place: which servers exist, how each is
// authorized by default ({"server_url": url}) or by the caller's manager
// ([MultiServer.UseManager]), lazy connection, every page of each server's
// tools tagged with its server, and which server failed.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// ServerSpec describes one server of a [MultiServer] (a
// MultiServerMcpClient connection description): its URL, its authorization
// and the [ConnectOptions] of its connection (transport, client_name,
// timeout_seconds).
type ServerSpec struct {
	// URL is the MCP server's endpoint (https, or http on loopback).
	URL string `json:"url"`
	ConnectOptions
	// Auth is an mcp_oauth configuration JSON object (see [core.ParseConfig]).
	// Absent, it is {"server_url": URL}; an object with neither server_url
	// nor token_url gets server_url = URL (discovery mode).
	Auth json.RawMessage `json:"auth,omitempty"`
}

// ParseServers decodes the servers JSON of a [MultiServer] strictly: an
// object of server name to [ServerSpec], no unknown member, nothing after
// it. Its errors are [core.ConfigError]s with Field "servers_json".
func ParseServers(js []byte) (map[string]ServerSpec, error) {
	t := bytes.TrimSpace(js)
	if !core.IsJSONObject(t) {
		return nil, &core.ConfigError{Field: "servers_json", Reason: "must be a JSON object of server name to server description"}
	}
	var specs map[string]ServerSpec
	if err := core.DecodeStrict(t, &specs); err != nil {
		return nil, &core.ConfigError{Field: "servers_json", Reason: err.Error()}
	}
	return specs, nil
}

// ErrMultiServerClosed is returned by a closed [MultiServer]; it matches
// [core.ErrClosed] with errors.Is.
var ErrMultiServerClosed = fmt.Errorf("mcp-oauth: multi-server client is closed: %w", core.ErrClosed)

// MultiServer is several named MCP servers in one client (a
// MultiServerMcpClient). Each server has its own [core.TokenManager], created
// from its spec's Auth, and its own [MCPSession], connected on first use. It
// is safe for concurrent use.
type MultiServer struct {
	names   []string // sorted
	servers map[string]*multiServerConn

	mu     sync.Mutex // guards closed and every conn's sess, mgr and owned
	closed bool
}

type multiServerConn struct {
	name      string
	spec      ServerSpec
	timeout   time.Duration
	connectMu sync.Mutex // one connection attempt at a time
	sess      *MCPSession
	mgr       *core.TokenManager
	owned     bool // mgr was made from the spec, and is closed with the client
}

// NewMultiServer validates every spec and creates each server's token
// manager; no network I/O happens here. An invalid spec is a [core.ConfigError]
// whose Field is "servers.<name>.<member>" (for the auth configuration
// "servers.<name>.auth.<member>"), wrapped in a [core.MultiServerError].
func NewMultiServer(specs map[string]ServerSpec) (*MultiServer, error) {
	if len(specs) == 0 {
		return nil, &core.ConfigError{Field: "servers", Reason: "must name at least one server"}
	}
	ms := &MultiServer{servers: make(map[string]*multiServerConn, len(specs))}
	for name := range specs {
		ms.names = append(ms.names, name)
	}
	sort.Strings(ms.names)
	for _, name := range ms.names {
		c, err := newMultiServerConn(name, specs[name])
		if err != nil {
			ms.closeManagers()
			return nil, &core.MultiServerError{Server: name, Err: err}
		}
		ms.servers[name] = c
	}
	return ms, nil
}

func newMultiServerConn(name string, spec ServerSpec) (*multiServerConn, error) {
	field := func(member string) string { return "servers." + name + "." + member }
	if name == "" {
		return nil, &core.ConfigError{Field: "servers", Reason: "a server name must not be empty"}
	}
	if spec.URL == "" {
		return nil, &core.ConfigError{Field: field("url"), Reason: "is required"}
	}
	if err := core.CheckEndpointURL(field("url"), spec.URL); err != nil {
		return nil, err
	}
	if err := spec.ConnectOptions.validate(field("")); err != nil {
		return nil, err
	}
	raw, err := authConfigFor(spec)
	if err != nil {
		return nil, &core.ConfigError{Field: field("auth"), Reason: err.Error()}
	}
	cfg, err := core.ParseConfig(raw)
	if err != nil {
		var ce *core.ConfigError
		if errors.As(err, &ce) {
			f := field("auth")
			if ce.Field != "" {
				f += "." + ce.Field
			}
			return nil, &core.ConfigError{Field: f, Reason: ce.Reason}
		}
		return nil, err
	}
	mgr, err := core.NewTokenManager(cfg)
	if err != nil {
		return nil, err
	}
	return &multiServerConn{name: name, spec: spec, timeout: spec.Timeout(), mgr: mgr, owned: true}, nil
}

// authConfigFor is the configuration JSON of a spec: {"server_url": URL}
// when Auth is absent or null; Auth with server_url = URL added when it has
// neither server_url nor token_url.
func authConfigFor(spec ServerSpec) ([]byte, error) {
	if t := strings.TrimSpace(string(spec.Auth)); t == "" || t == "null" {
		return json.Marshal(map[string]string{"server_url": spec.URL})
	}
	if !core.IsJSONObject([]byte(strings.TrimSpace(string(spec.Auth)))) {
		return nil, errors.New("must be a JSON object")
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(spec.Auth, &members); err != nil {
		return nil, errors.New("must be a JSON object: " + err.Error())
	}
	if _, ok := members["server_url"]; ok {
		return spec.Auth, nil
	}
	if _, ok := members["token_url"]; ok {
		return spec.Auth, nil
	}
	u, _ := json.Marshal(spec.URL)
	members["server_url"] = u
	return json.Marshal(members)
}

// Servers returns the server names in sorted order.
func (ms *MultiServer) Servers() []string { return append([]string(nil), ms.names...) }

func (ms *MultiServer) conn(name string) (*multiServerConn, error) {
	c, ok := ms.servers[name]
	if !ok {
		return nil, &core.ConfigError{Field: "server", Reason: fmt.Sprintf("no server named %s", core.QuoteShort(name))}
	}
	ms.mu.Lock()
	closed := ms.closed
	ms.mu.Unlock()
	if closed {
		return nil, ErrMultiServerClosed
	}
	return c, nil
}

// Manager returns the token manager of server name, e.g. to authorize a
// user after [core.ErrAuthorizationRequired]. An unknown name is a [core.ConfigError]
// with Field "server".
func (ms *MultiServer) Manager(name string) (*core.TokenManager, error) {
	c, err := ms.conn(name)
	if err != nil {
		return nil, err
	}
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return c.mgr, nil
}

// UseManager makes server name use m, a token manager of the caller's that
// outlives ms, instead of the one made from its spec's Auth (which is
// closed). It must come before the server is connected: afterwards it is an
// [core.ArgumentError].
func (ms *MultiServer) UseManager(name string, m *core.TokenManager) error {
	if m == nil {
		return &core.ArgumentError{Reason: "the token manager is nil"}
	}
	c, err := ms.conn(name)
	if err != nil {
		return err
	}
	c.connectMu.Lock()
	defer c.connectMu.Unlock()
	ms.mu.Lock()
	if c.sess != nil {
		ms.mu.Unlock()
		return &core.ArgumentError{Reason: fmt.Sprintf("server %s is already connected", core.QuoteShort(name))}
	}
	old, owned := c.mgr, c.owned
	c.mgr, c.owned = m, false
	ms.mu.Unlock()
	if owned && old != m {
		old.Close()
	}
	return nil
}

// AuthorizeInteractively runs [core.TokenManager.AuthorizeInteractively] with the
// token manager of server name; its failure is a [core.MultiServerError].
func (ms *MultiServer) AuthorizeInteractively(ctx context.Context, name string, open func(authURL string) error, timeout time.Duration) error {
	m, err := ms.Manager(name)
	if err != nil {
		return err
	}
	if err := m.AuthorizeInteractively(ctx, open, timeout); err != nil {
		return &core.MultiServerError{Server: name, Err: err}
	}
	return nil
}

// session returns the open session of c, connecting it on first use. A
// failed connection is retried on the next use.
func (ms *MultiServer) session(ctx context.Context, c *multiServerConn) (*MCPSession, error) {
	c.connectMu.Lock()
	defer c.connectMu.Unlock()
	ms.mu.Lock()
	closed, s := ms.closed, c.sess
	ms.mu.Unlock()
	if closed {
		return nil, ErrMultiServerClosed
	}
	if s != nil {
		return s, nil
	}
	cctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	ms.mu.Lock()
	m := c.mgr
	ms.mu.Unlock()
	s, err := ConnectMCP(cctx, m, c.spec.URL, c.spec.ConnectOptions)
	if err != nil {
		return nil, err
	}
	ms.mu.Lock()
	if ms.closed {
		ms.mu.Unlock()
		_ = s.Close()
		return nil, ErrMultiServerClosed
	}
	c.sess = s
	ms.mu.Unlock()
	return s, nil
}

// Session returns server name's session, connected on first use, and the
// bound on each of its requests. A failure of the server is a
// [core.MultiServerError].
func (ms *MultiServer) Session(ctx context.Context, name string) (*MCPSession, time.Duration, error) {
	c, err := ms.conn(name)
	if err != nil {
		return nil, 0, err
	}
	s, err := ms.session(ctx, c)
	if err != nil {
		return nil, 0, &core.MultiServerError{Server: name, Err: err}
	}
	return s, c.timeout, nil
}

// do runs f on server name's session with the server's timeout; a failure
// of the server is a [core.MultiServerError].
func (ms *MultiServer) do(ctx context.Context, name string, f func(context.Context, *MCPSession) (json.RawMessage, error)) (json.RawMessage, error) {
	s, timeout, err := ms.Session(ctx, name)
	if err != nil {
		return nil, err
	}
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	res, err := f(rctx, s)
	if err != nil {
		return nil, &core.MultiServerError{Server: name, Err: err}
	}
	return res, nil
}

// ListTools returns {"tools": [...]}: the tools of the servers named (of
// every server when none is), in sorted name order, all pages of each
// ([MCPSession.Tools]), every tool object with a "server" member naming its
// server. The servers are asked concurrently; a failure is the
// [core.MultiServerError] of the first failing server in that order.
func (ms *MultiServer) ListTools(ctx context.Context, servers ...string) (json.RawMessage, error) {
	if len(servers) == 0 {
		servers = ms.names
	}
	type listing struct {
		tools []map[string]json.RawMessage
		err   error
	}
	results := make([]listing, len(servers))
	var wg sync.WaitGroup
	for i, name := range servers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i].tools, results[i].err = ms.serverTools(ctx, name)
		}()
	}
	wg.Wait()
	tools := []map[string]json.RawMessage{}
	for _, r := range results {
		if r.err != nil {
			return nil, r.err
		}
		tools = append(tools, r.tools...)
	}
	return json.Marshal(map[string]any{"tools": tools})
}

// serverTools is every tool of server name, each tagged with its name.
func (ms *MultiServer) serverTools(ctx context.Context, name string) ([]map[string]json.RawMessage, error) {
	server, _ := json.Marshal(name) // cannot fail
	var tools []map[string]json.RawMessage
	_, err := ms.do(ctx, name, func(ctx context.Context, s *MCPSession) (json.RawMessage, error) {
		page, err := s.Tools(ctx)
		if err != nil {
			return nil, err
		}
		for _, raw := range page {
			var t map[string]json.RawMessage
			if err := json.Unmarshal(raw, &t); err != nil {
				return nil, &core.ProtocolError{Reason: "tools/list result: " + err.Error()}
			}
			t["server"] = server
			tools = append(tools, t)
		}
		return nil, nil
	})
	return tools, err
}

// CallTool calls tool name on server with JSON arguments (nil for none) and
// returns the tools/call result. An unknown server is a [core.ConfigError] with
// Field "server"; a failure of the server a [core.MultiServerError].
func (ms *MultiServer) CallTool(ctx context.Context, server, name string, args json.RawMessage) (json.RawMessage, error) {
	return ms.do(ctx, server, func(ctx context.Context, s *MCPSession) (json.RawMessage, error) {
		return s.CallTool(ctx, name, args)
	})
}

// Close ends every session, then closes the token managers. Idempotent;
// calls afterwards return [ErrMultiServerClosed].
func (ms *MultiServer) Close() {
	ms.mu.Lock()
	if ms.closed {
		ms.mu.Unlock()
		return
	}
	ms.closed = true
	var sessions []*MCPSession
	for _, name := range ms.names {
		if c := ms.servers[name]; c.sess != nil {
			sessions = append(sessions, c.sess)
			c.sess = nil
		}
	}
	ms.mu.Unlock()
	for _, s := range sessions {
		_ = s.Close()
	}
	ms.closeManagers()
}

func (ms *MultiServer) closeManagers() {
	for _, c := range ms.servers {
		ms.mu.Lock()
		m, owned := c.mgr, c.owned
		ms.mu.Unlock()
		if owned {
			m.Close()
		}
	}
}
