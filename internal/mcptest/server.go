package mcptest

import (
	"cmp"
	"fmt"
	"net"
	"net/http"
	"sync"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/testserve"
)

// Paths of the MCP endpoints.
const (
	streamablePath = "/mcp"
	ssePath        = "/sse"
)

// Server is a running bearer-protected MCP server with its authorization
// server. All methods are safe for concurrent use.
type Server struct {
	// URL is the origin of the MCP server, e.g. http://127.0.0.1:40123.
	URL string
	// Addr is the listen address, host:port (URL's unless Options.BaseURL
	// is set).
	Addr string

	opts       Options
	as         *oauthtest.Server
	asReady    chan struct{} // closed once as is set
	streamable *mcp.Server   // serves every Streamable HTTP session

	serving   *testserve.Server // nil when the authorization server hosts the MCP server
	closing   chan struct{}     // closed when Close begins: ends calls of the tool "wait"
	closeOnce sync.Once

	mu         sync.Mutex
	migratedTo []*oauthtest.Server // authorization servers MigrateAS moved to, the current one last
	dpop       oauthtest.DPoPVerifier
	counts     Counts
	notes      []string
	skillReads map[string]int // resources/read of the skill files (core/mcpclient/skills.go)
}

// Start starts the authorization server and the MCP server as opts says and
// serves until Close.
func Start(opts Options) (*Server, error) {
	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("mcptest: listen: %w", err)
	}
	s := &Server{URL: cmp.Or(opts.BaseURL, testserve.BaseURL(ln.Addr())), Addr: ln.Addr().String(), opts: opts, asReady: make(chan struct{}), closing: make(chan struct{})}
	s.dpop.RequireNonce = opts.DPoPRequireNonce
	s.resetCountsLocked() // not yet shared: no lock needed
	s.streamable = s.newMCPServer(nil)
	asOpts := opts.asOptions()

	if opts.CoHostAS {
		mux := s.routes(s.URL + asOpts.IssuerPath)
		asOpts.Addr, asOpts.Listener = "", ln
		asOpts.Fallback = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			<-s.asReady // requests racing Start wait until s.as is set
			mux.ServeHTTP(w, r)
		})
		if s.as, err = oauthtest.Start(asOpts); err != nil {
			ln.Close()
			return nil, fmt.Errorf("mcptest: %w", err)
		}
		close(s.asReady)
		return s, nil
	}

	if s.as, err = oauthtest.Start(asOpts); err != nil {
		ln.Close()
		return nil, fmt.Errorf("mcptest: %w", err)
	}
	close(s.asReady)
	s.serving = testserve.Start(ln, s.routes(s.as.Issuer()), opts.RequestLog)
	return s, nil
}

// StartT starts a server for a test, fails the test if that is impossible
// and closes the server when the test and its subtests have completed.
func StartT(t testing.TB, opts Options) *Server {
	t.Helper()
	s, err := Start(opts)
	if err != nil {
		t.Fatalf("mcptest.Start: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// Close stops the MCP server and the authorization server: it ends the
// calls of the tool "wait", closes every connection, waits for the handlers
// to return and closes the MCP sessions. Close may be called more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.closing) // a session's Close waits for its calls in progress
		if s.serving != nil {
			s.serving.Close()
		}
		s.as.Close() // when co-hosted, this also stops the MCP server
		s.mu.Lock()
		for _, as := range s.migratedTo {
			as.Close()
		}
		s.mu.Unlock()
		for ss := range s.streamable.Sessions() {
			_ = ss.Close()
		}
	})
}

// AS returns the authorization server, whose issuer the protected resource
// metadata names.
func (s *Server) AS() *oauthtest.Server {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := len(s.migratedTo); n > 0 {
		return s.migratedTo[n-1]
	}
	return s.as
}

// StreamableURL returns the Streamable HTTP endpoint (MCP 2025-03-26 and
// later), which is also its canonical URI (MCP 2025-11-25 "Canonical Server
// URI").
func (s *Server) StreamableURL() string { return s.URL + streamablePath }

// SSEURL returns the endpoint of the HTTP+SSE transport (MCP 2024-11-05).
func (s *Server) SSEURL() string { return s.URL + ssePath }

// routes maps the MCP endpoints and the protected resource metadata to
// their handlers, for the authorization server issuer.
func (s *Server) routes(issuer string) http.Handler {
	mux := http.NewServeMux()
	// Reached under BaseURL's name through a proxy, requests arrive on
	// loopback with another Host: not the DNS rebinding the SDK refuses.
	streamable := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return s.streamable },
		&mcp.StreamableHTTPOptions{DisableLocalhostProtection: s.opts.BaseURL != ""})
	// The HTTP+SSE transport passes no token information with the messages
	// it receives, so each session gets a server that knows the token that
	// opened it.
	sse := mcp.NewSSEHandler(func(r *http.Request) *mcp.Server {
		return s.newMCPServer(sessionToken(r.Context()))
	}, nil)
	mux.Handle(streamablePath, s.protect(streamablePath, streamable))
	mux.Handle(ssePath, s.protect(ssePath, sse))
	s.metadataRoutes(mux, issuer)
	mux.HandleFunc("GET /_test/mcp_counts", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, s.Counts())
	})
	mux.HandleFunc("POST /_test/migrate_as", func(w http.ResponseWriter, _ *http.Request) {
		as, err := s.MigrateAS()
		if err != nil {
			writeJSON(w, http.StatusConflict, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"as": as.URL})
	})
	return mux
}

// MigrateAS moves the MCP server to a new authorization server, as MCP
// 2026-07-28 (SEP-2352) allows: one with the same options starts, the
// protected resource metadata names it from now on, and the tokens of the
// previous one are refused with 401 invalid_token. It returns the new
// server, which Close stops. Not available with CoHostAS.
func (s *Server) MigrateAS() (*oauthtest.Server, error) {
	if s.opts.CoHostAS {
		return nil, fmt.Errorf("mcptest: MigrateAS: the authorization server is co-hosted")
	}
	opts := s.opts.asOptions()
	opts.Addr, opts.Listener = "", nil
	as, err := oauthtest.Start(opts)
	if err != nil {
		return nil, fmt.Errorf("mcptest: MigrateAS: %w", err)
	}
	s.mu.Lock()
	s.migratedTo = append(s.migratedTo, as)
	s.mu.Unlock()
	return as, nil
}
