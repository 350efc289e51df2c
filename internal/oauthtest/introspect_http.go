package oauthtest

import (
	"net/http"
)

// introspectionResponse is the RFC 7662 §2.2 answer: only "active" for an
// inactive token.
type introspectionResponse struct {
	Active    bool     `json:"active"`
	ClientID  string   `json:"client_id,omitempty"`
	Subject   string   `json:"sub,omitempty"`
	Scope     string   `json:"scope,omitempty"`
	Audience  []string `json:"aud,omitempty"`
	ExpiresAt int64    `json:"exp,omitempty"`
	TokenType string   `json:"token_type,omitempty"`
}

// handleIntrospect serves the token introspection endpoint (RFC 7662 §2),
// for resource servers written by others (e.g. the official MCP Python
// SDK's bearer middleware) that verify this server's tokens over HTTP.
// As a test fixture on loopback it does not authenticate the resource
// server (§2.1 requires some authorization in production).
func (s *Server) handleIntrospect(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.counts.Introspect++
	s.mu.Unlock()
	if err := r.ParseForm(); err != nil || r.PostForm.Get("token") == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request"})
		return
	}
	info, ok := s.Introspect(r.PostForm.Get("token"))
	if !ok {
		writeJSON(w, http.StatusOK, introspectionResponse{})
		return
	}
	resp := introspectionResponse{
		Active: true, ClientID: info.ClientID, Subject: info.Subject, Scope: info.Scope,
		Audience: info.Resource, TokenType: "Bearer",
	}
	if !info.Expiry.IsZero() {
		resp.ExpiresAt = info.Expiry.Unix()
	}
	writeJSON(w, http.StatusOK, resp)
}
