package mcptest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcp-oauth/mcp-oauth/oauthtest"
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

	opts       Options
	as         *oauthtest.Server
	asReady    chan struct{} // closed once as is set
	streamable *mcp.Server   // serves every Streamable HTTP session

	httpServer *http.Server // nil when the authorization server hosts the MCP server
	served     chan struct{}
	stop       context.CancelFunc
	closeOnce  sync.Once
	handlers   sync.WaitGroup // running handlers; Add only under mu while !closing

	mu      sync.Mutex
	closing bool
	counts  Counts
	notes   []string
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
	s := &Server{URL: baseURL(ln.Addr()), opts: opts, asReady: make(chan struct{})}
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
	ctx, stop := context.WithCancel(context.Background())
	s.stop = stop
	s.served = make(chan struct{})
	s.httpServer = &http.Server{
		Handler:           s.track(s.routes(s.as.Issuer())),
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	go func() {
		defer close(s.served)
		_ = s.httpServer.Serve(ln) // always http.ErrServerClosed after Close
	}()
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

// Close stops the MCP server and the authorization server: it closes every
// connection, waits for the handlers to return and closes the MCP sessions.
// Close may be called more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		if s.httpServer != nil {
			s.mu.Lock()
			s.closing = true
			s.mu.Unlock()
			_ = s.httpServer.Close()
			s.stop()
			<-s.served
			s.handlers.Wait()
		}
		s.as.Close() // when co-hosted, this also stops the MCP server
		for ss := range s.streamable.Sessions() {
			_ = ss.Close()
		}
	})
}

// AS returns the authorization server, whose issuer the protected resource
// metadata names.
func (s *Server) AS() *oauthtest.Server { return s.as }

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
	streamable := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return s.streamable }, nil)
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
	return mux
}

// baseURL returns the http URL of a listener. An unspecified address is
// replaced by 127.0.0.1 so that the URL can be dialled.
func baseURL(addr net.Addr) string {
	tcp := addr.(*net.TCPAddr)
	ip := tcp.IP
	if ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
	}
	return "http://" + net.JoinHostPort(ip.String(), strconv.Itoa(tcp.Port))
}
