package oauthtest

import (
	"encoding/json"
	"mime"
	"net/http"
	"time"
)

// Registration is a client registration request the server accepted
// (RFC 7591 §3.1).
type Registration struct {
	// ClientID is the identifier issued to the client.
	ClientID string `json:"client_id"`
	// Metadata is the metadata as the client sent it, before defaults.
	Metadata ClientMetadata `json:"metadata"`
	// Time is when the request was received.
	Time time.Time `json:"time"`
}

// registrationResponse is the client information response of RFC 7591
// §3.2.1: the issued credentials and the registered metadata.
type registrationResponse struct {
	ClientID         string `json:"client_id"`
	ClientSecret     string `json:"client_secret,omitempty"`
	ClientIDIssuedAt int64  `json:"client_id_issued_at"`
	// ClientSecretExpiresAt is required when a secret is issued; 0 means
	// it never expires.
	ClientSecretExpiresAt *int64 `json:"client_secret_expires_at,omitempty"`
	ClientMetadata
}

// handleRegister serves the client registration endpoint (RFC 7591 §3).
// The metadata defaults to client_secret_basic and the authorization_code
// grant (RFC 7591 §2); a secret is issued to client_secret_basic and
// client_secret_post clients. Registered clients then behave like
// configured ones, until RevokeRegistrations.
func (s *Server) handleRegister(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.counts.Register++
	deny := s.denyRegistration
	s.mu.Unlock()

	var m ClientMetadata
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType != "application/json" {
		invalidMetadata("the request body must be application/json").write(w)
		return
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxFormBytes)).Decode(&m); err != nil {
		invalidMetadata("malformed JSON: " + err.Error()).write(w)
		return
	}
	if deny != "" {
		badRequest(deny, "the registration request was refused").write(w)
		return
	}
	registered := m.withDefaults(authBasic)
	client, oerr := registered.client(newSecret("dcr_"))
	if oerr != nil {
		oerr.write(w)
		return
	}
	now := time.Now()
	resp := registrationResponse{ClientID: client.ID, ClientIDIssuedAt: now.Unix(), ClientMetadata: registered}
	if registered.TokenEndpointAuthMethod == authBasic || registered.TokenEndpointAuthMethod == authPost {
		client.Secret = newSecret("cs_")
		resp.ClientSecret = client.Secret
		resp.ClientSecretExpiresAt = new(int64)
	}

	s.mu.Lock()
	s.registered[client.ID] = client
	s.registrations = append(s.registrations, Registration{ClientID: client.ID, Metadata: m, Time: now})
	s.mu.Unlock()
	writeTokenJSON(w, http.StatusCreated, resp) // no-store: it may carry a secret (RFC 7591 §3.2.1)
}

// Registrations returns the registration requests accepted since the server
// started or the counts were last reset, oldest first.
func (s *Server) Registrations() []Registration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Registration(nil), s.registrations...)
}

// RevokeRegistrations forgets every dynamically registered client; its
// token requests then fail with invalid_client, and its authorization
// requests with a 400 page.
func (s *Server) RevokeRegistrations() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.registered)
}

// DenyRegistration makes the registration endpoint refuse valid requests
// with the error code errCode, e.g. "invalid_client_metadata"
// (RFC 7591 §3.2.2). An empty errCode accepts requests again.
func (s *Server) DenyRegistration(errCode string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.denyRegistration = errCode
}
