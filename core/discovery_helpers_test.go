package core

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// docServer is an httptest server answering scripted routes, keyed by
// request path and query ("/a?b=c"); any other POST is answered as a
// protected MCP endpoint would, anything else gets a plain 404, as a
// real web server would. It records the paths requested, in order.
type docServer struct {
	*httptest.Server
	mu     sync.Mutex
	routes map[string]http.HandlerFunc
	hits   []string
}

func newDocServer(t *testing.T) *docServer {
	t.Helper()
	s := &docServer{routes: map[string]http.HandlerFunc{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits = append(s.hits, r.URL.RequestURI())
		h := s.routes[r.URL.RequestURI()]
		s.mu.Unlock()
		switch {
		case h == nil && r.Method == http.MethodPost: // discovery's check of the MCP endpoint
			protectedMCP(w, r)
		case h == nil:
			http.NotFound(w, r)
		default:
			h(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// route installs h for pathQuery.
func (s *docServer) route(pathQuery string, h http.HandlerFunc) {
	s.mu.Lock()
	s.routes[pathQuery] = h
	s.mu.Unlock()
}

// json serves v as a 200 JSON document at pathQuery.
func (s *docServer) json(pathQuery string, v any) { s.route(pathQuery, jsonAnswer(http.StatusOK, v)) }

func (s *docServer) requested() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.hits...)
}

// client returns the server's client with a timeout.
func (s *docServer) client(timeout time.Duration) *http.Client {
	c := s.Client()
	c.Timeout = timeout
	return c
}

// jsonAnswer writes v (a string is written verbatim) with status.
// protectedMCP answers as an MCP endpoint does to a request without a
// token: 401 with a Bearer challenge (RFC 6750 §3).
func protectedMCP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("WWW-Authenticate", "Bearer")
	w.WriteHeader(http.StatusUnauthorized)
}

func jsonAnswer(status int, v any) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		if s, ok := v.(string); ok {
			_, _ = w.Write([]byte(s))
			return
		}
		_ = json.NewEncoder(w).Encode(v)
	}
}

// statusAnswer writes status with a short text body.
func statusAnswer(status int) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, http.StatusText(status), status)
	}
}

// htmlAnswer is a single-page app's catch-all: 200 with HTML.
func htmlAnswer(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html")
	_, _ = w.Write([]byte("<!doctype html><html><body>app</body></html>"))
}

// redirectAnswer redirects to location with status.
func redirectAnswer(status int, location string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Location", location)
		w.WriteHeader(status)
	}
}

// hugeAnswer streams n bytes of a JSON-looking body, with or without a
// Content-Length.
func hugeAnswer(n int, withLength bool) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if withLength {
			w.Header().Set("Content-Length", strconv.Itoa(n))
		}
		chunk := []byte(`{"a":"` + strings.Repeat("x", 64<<10))
		for sent := 0; sent < n; sent += len(chunk) {
			if _, err := w.Write(chunk[:min(len(chunk), n-sent)]); err != nil {
				return
			}
		}
	}
}

// slowAnswer stalls before answering (or, with partial, after sending the
// headers and the start of the body) until the client gives up.
func slowAnswer(partial bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		// Reading the body lets the server notice the client hanging up.
		_, _ = io.Copy(io.Discard, r.Body)
		if partial {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"resource":`))
			w.(http.Flusher).Flush()
		}
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}
}

// prmDoc is a protected resource metadata document.
func prmDoc(resource string, authServers ...string) map[string]any {
	return map[string]any{
		"resource":                 resource,
		"authorization_servers":    authServers,
		"scopes_supported":         []string{"mcp:read", "mcp:write"},
		"bearer_methods_supported": []string{"header"},
		"resource_name":            "Test MCP",
	}
}

// asmDoc is an authorization server metadata document for issuer with
// endpoints under base.
func asmDoc(issuer, base string) map[string]any {
	return map[string]any{
		"issuer":                                issuer,
		"authorization_endpoint":                base + "/authorize",
		"token_endpoint":                        base + "/token",
		"registration_endpoint":                 base + "/register",
		"response_types_supported":              []string{"code"},
		"grant_types_supported":                 []string{"authorization_code", "refresh_token"},
		"code_challenge_methods_supported":      []string{"S256"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "none"},
		"scopes_supported":                      []string{"openid", "offline_access"},
	}
}
