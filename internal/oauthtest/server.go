package oauthtest

import (
	"cmp"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/testserve"
)

// Server is a running test authorization server. All methods are safe for
// concurrent use.
type Server struct {
	// URL is the base URL of the server, e.g. http://127.0.0.1:40123. It is
	// also the issuer identifier (RFC 8414 §2) unless Options.IssuerPath is
	// set.
	URL string
	// Addr is the listen address, host:port (URL's unless Options.BaseURL
	// is set).
	Addr string

	opts    Options
	clients map[string]Client // immutable after Start

	serving *testserve.Server // serves routes() until Close

	mu               sync.Mutex
	tokenLifetime    time.Duration
	latency          time.Duration
	refreshForCC     bool
	denyError        string
	denyRegistration string
	failures         []pendingFailure
	counts           Counts
	requests         []TokenRequest
	registrations    []Registration
	codes            map[string]*authCode
	access           map[string]accessToken
	refresh          map[string]grant
	usedRefresh      map[string]bool        // refresh tokens already presented
	registered       map[string]Client      // dynamically registered clients
	devices          map[string]*deviceAuth // by device code (RFC 8628)
	dpop             DPoPVerifier           // token request proofs (RFC 9449 §5)
	workloadKey      *ecdsa.PrivateKey      // signs workload JWTs (Options.IssueWorkloadTokens)

	deviceLifetime    time.Duration
	deviceInterval    time.Duration
	deviceAutoApprove int                  // approve pending device codes on this poll; 0: never
	deviceSlowDowns   int                  // device polls still to answer slow_down
	jtis              map[string]time.Time // client assertions seen, until they expire
}

// Start validates opts, listens on opts.Addr and serves until Close.
func Start(opts Options) (*Server, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	opts.ScopesSupported = slices.Clone(opts.ScopesSupported) // keeps nil and empty apart
	clients, err := opts.clientRegistry()
	if err != nil {
		return nil, err
	}
	ln := opts.Listener
	if ln == nil {
		addr := opts.Addr
		if addr == "" {
			addr = defaultAddr
		}
		if ln, err = net.Listen("tcp", addr); err != nil {
			return nil, fmt.Errorf("oauthtest: listen: %w", err)
		}
	}
	s := &Server{
		URL:         cmp.Or(opts.BaseURL, testserve.BaseURL(ln.Addr())),
		Addr:        ln.Addr().String(),
		opts:        opts,
		clients:     clients,
		codes:       map[string]*authCode{},
		access:      map[string]accessToken{},
		refresh:     map[string]grant{},
		usedRefresh: map[string]bool{},
		registered:  map[string]Client{},
		devices:     map[string]*deviceAuth{},
		jtis:        map[string]time.Time{},
	}
	s.dpop.RequireNonce = opts.DPoPRequireNonce
	if opts.IssueWorkloadTokens {
		if s.workloadKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
			ln.Close()
			return nil, fmt.Errorf("oauthtest: %w", err)
		}
		if s.opts.WorkloadIdentityKey == nil {
			s.opts.WorkloadIdentityKey = &s.workloadKey.PublicKey
		}
	}
	s.resetLocked() // not yet shared: no lock needed
	s.serving = testserve.Start(ln, s.routes(), opts.RequestLog)
	return s, nil
}

// StartT starts a server for a test, fails the test if that is impossible
// and closes the server when the test and its subtests have completed.
func StartT(t testing.TB, opts Options) *Server {
	t.Helper()
	s, err := Start(opts)
	if err != nil {
		t.Fatalf("oauthtest.Start: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// Close stops the server. It closes every connection, aborts requests that
// hang or wait for the configured latency, and returns once all handlers
// have returned. Close may be called more than once.
func (s *Server) Close() { s.serving.Close() }

// Issuer returns the issuer identifier (RFC 8414 §2): URL followed by
// Options.IssuerPath.
func (s *Server) Issuer() string { return s.URL + s.opts.IssuerPath }

// TokenURL returns the token endpoint (RFC 6749 §3.2).
func (s *Server) TokenURL() string { return s.URL + "/token" }

// AuthorizeURL returns the authorization endpoint (RFC 6749 §3.1).
func (s *Server) AuthorizeURL() string { return s.URL + "/authorize" }

// ProtectedURL returns the protected resource (RFC 6750).
func (s *Server) ProtectedURL() string { return s.URL + "/protected" }

// RegistrationURL returns the client registration endpoint (RFC 7591 §3),
// which answers 404 when Options.DisableRegistration is set.
func (s *Server) RegistrationURL() string { return s.URL + "/register" }

// routes maps every endpoint to its handler.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	for _, p := range s.metadataPaths() {
		mux.HandleFunc("GET "+p, s.handleMetadata)
	}
	mux.HandleFunc("GET /authorize", s.handleAuthorize)
	mux.HandleFunc("POST /token", s.handleToken)
	if !s.opts.DisableRegistration {
		mux.HandleFunc("POST /register", s.handleRegister)
	}
	mux.HandleFunc("GET /protected", s.handleProtected)
	mux.HandleFunc("POST /introspect", s.handleIntrospect)
	s.deviceRoutes(mux)
	s.controlRoutes(mux)
	if s.opts.Fallback != nil {
		mux.Handle("/", s.opts.Fallback)
	}
	return mux
}

// sleep waits for d or until ctx is done, and reports whether d elapsed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// firstValue returns the value of a parameter, treating a parameter sent
// without a value as omitted (RFC 6749 §3.1, §3.2).
func firstValue(v url.Values, key string) string {
	if vs := v[key]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// repeatedParam returns the name of a parameter included more than once,
// which RFC 6749 §3.1 and §3.2 forbid, ignoring the names in allowed.
func repeatedParam(v url.Values, allowed ...string) string {
	for k, vs := range v {
		if len(vs) > 1 && !slices.Contains(allowed, k) {
			return k
		}
	}
	return ""
}

// writeJSON writes v as a JSON response with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // a write error means the client went away
}
