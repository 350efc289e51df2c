package oauthtest

import (
	"slices"
	"strings"
	"time"
)

// Subject is the resource owner of the tokens obtained with an
// authorization code: the server has a single, implicit user, who approves
// every authorization request.
const Subject = "test-user"

// TokenInfo describes an access token, as token introspection does
// (RFC 7662 §2.2).
type TokenInfo struct {
	// Active reports whether the token is valid now: issued by the server,
	// not revoked and not expired.
	Active bool
	// ClientID is the client the token was issued to.
	ClientID string
	// Subject is the resource owner: Subject for tokens obtained with an
	// authorization code, the client itself for client credentials.
	Subject string
	// Scope is the space-separated scope granted (RFC 6749 §3.3).
	Scope string
	// Resource lists the resource indicators the token is restricted to
	// (RFC 8707 §2), its audience; empty when none was requested.
	Resource []string
	// Expiry is when the token expires; zero if it never does.
	Expiry time.Time
	// JKT is the thumbprint of the DPoP key the token is bound to
	// (RFC 9449 §6.2, cnf.jkt), "" for a Bearer token.
	JKT string
}

// Scopes returns the scope tokens of t.
func (t TokenInfo) Scopes() []string { return strings.Fields(t.Scope) }

// Introspect describes an access token for a resource server co-located
// with the server, and reports whether it is active. An expired token is
// described but inactive; an unknown or revoked token yields the zero
// TokenInfo.
func (s *Server) Introspect(token string) (TokenInfo, bool) {
	s.mu.Lock()
	at, ok := s.access[token]
	s.mu.Unlock()
	if !ok {
		return TokenInfo{}, false
	}
	info := TokenInfo{
		Active:   at.expires.IsZero() || time.Now().Before(at.expires),
		ClientID: at.clientID,
		Subject:  at.clientID,
		Scope:    at.scope,
		Resource: slices.Clone(at.resources),
		Expiry:   at.expires,
		JKT:      at.jkt,
	}
	if at.code != "" {
		info.Subject = Subject
	}
	return info, info.Active
}
