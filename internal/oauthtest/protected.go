package oauthtest

import (
	"net/http"
	"strings"
)

// protectedResponse is the body of /protected responses.
type protectedResponse struct {
	OK       bool     `json:"ok"`
	Error    string   `json:"error,omitempty"`
	ClientID string   `json:"client_id,omitempty"`
	Scope    string   `json:"scope,omitempty"`
	Resource []string `json:"resource,omitempty"`
}

// handleProtected serves a protected resource that accepts a bearer token in
// the Authorization header only (RFC 6750 §2.1). A request without a token
// gets a bare Bearer challenge, an invalid, expired or revoked token
// error="invalid_token" (RFC 6750 §3.1), and a token in the query string
// (RFC 6750 §2.3, not supported) error="invalid_request".
func (s *Server) handleProtected(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.counts.Protected++
	s.mu.Unlock()

	if r.URL.Query().Has("access_token") {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_request"`)
		writeJSON(w, http.StatusBadRequest, protectedResponse{Error: "invalid_request"})
		return
	}
	token, ok := bearerToken(r)
	if !ok {
		w.Header().Set("WWW-Authenticate", "Bearer")
		writeJSON(w, http.StatusUnauthorized, protectedResponse{Error: "unauthorized"})
		return
	}
	info, ok := s.Introspect(token)
	if !ok {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		writeJSON(w, http.StatusUnauthorized, protectedResponse{Error: "invalid_token"})
		return
	}
	writeJSON(w, http.StatusOK, protectedResponse{OK: true, ClientID: info.ClientID, Scope: info.Scope, Resource: info.Resource})
}

// bearerToken returns the token of an "Authorization: Bearer" header
// (RFC 6750 §2.1), whose scheme is case-insensitive (RFC 9110 §11.1).
func bearerToken(r *http.Request) (string, bool) {
	scheme, token, found := strings.Cut(r.Header.Get("Authorization"), " ")
	if !found || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	return strings.TrimSpace(token), true
}
