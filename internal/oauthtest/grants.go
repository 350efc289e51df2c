package oauthtest

import (
	"net/url"
	"strings"
	"time"
)

// clientCredentialsGrant issues a token to a confidential client acting on
// its own behalf (RFC 6749 §4.4.2), with exactly the requested scope, and a
// refresh token only when configured (RFC 6749 §4.4.3).
func (s *Server) clientCredentialsGrant(client Client, form url.Values) (tokenResponse, *oauthError) {
	if client.public() {
		return tokenResponse{}, badRequest("unauthorized_client", "public clients cannot use the client_credentials grant")
	}
	scope, err := requestedScope(form)
	if err != nil {
		return tokenResponse{}, err
	}
	if err := checkScopeSupported(scope, s.opts.ScopesSupported); err != nil {
		return tokenResponse{}, err
	}
	resources, err := requestedResources(form)
	if err != nil {
		return tokenResponse{}, err
	}
	g := grant{clientID: client.ID, scope: scope, resources: resources}
	s.mu.Lock()
	defer s.mu.Unlock()
	var refresh *grant
	if s.refreshForCC {
		refresh = &g
	}
	return s.issueLocked(g, refresh), nil
}

// authorizationCodeGrant exchanges an authorization code (RFC 6749 §4.1.3).
// The code is single use; it must have been issued to the client for the
// same redirect_uri, and code_verifier must match its challenge
// (RFC 7636 §4.6). Any mismatch consumes the code. A resource parameter may
// narrow the resources of the authorization request (RFC 8707 §2.2).
func (s *Server) authorizationCodeGrant(client Client, form url.Values) (tokenResponse, *oauthError) {
	code := firstValue(form, "code")
	if code == "" {
		return tokenResponse{}, invalidRequest("missing code")
	}
	resources, err := requestedResources(form)
	if err != nil {
		return tokenResponse{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.codes[code]
	switch {
	case !ok || time.Now().After(c.expires):
		return tokenResponse{}, invalidGrant("unknown or expired authorization code")
	case c.used:
		s.revokeCodeTokensLocked(code)
		return tokenResponse{}, invalidGrant("authorization code already used")
	}
	c.used = true
	switch {
	case c.clientID != client.ID:
		return tokenResponse{}, invalidGrant("authorization code was issued to another client")
	case firstValue(form, "redirect_uri") != c.redirectURI:
		return tokenResponse{}, invalidGrant("redirect_uri does not match the authorization request")
	case !verifyS256(firstValue(form, "code_verifier"), c.challenge):
		return tokenResponse{}, invalidGrant("code_verifier does not match code_challenge")
	}
	g := c.grant
	if len(resources) > 0 {
		if len(g.resources) > 0 && !isSubset(resources, g.resources) {
			return tokenResponse{}, badRequest("invalid_target", "resource was not part of the authorization request")
		}
		g.resources = resources
	}
	return s.issueLocked(g, &c.grant), nil
}

// refreshTokenGrant refreshes an access token (RFC 6749 §6). Refresh tokens
// rotate: each use invalidates the presented token and issues a new one with
// the same grant. scope and resource may narrow the access token only.
func (s *Server) refreshTokenGrant(client Client, form url.Values) (tokenResponse, *oauthError) {
	token := firstValue(form, "refresh_token")
	if token == "" {
		return tokenResponse{}, invalidRequest("missing refresh_token")
	}
	scope, err := requestedScope(form)
	if err != nil {
		return tokenResponse{}, err
	}
	resources, err := requestedResources(form)
	if err != nil {
		return tokenResponse{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.refresh[token]
	switch {
	case !ok && s.usedRefresh[token]:
		s.counts.RefreshReuse++
		return tokenResponse{}, invalidGrant("unknown, used or revoked refresh token")
	case !ok:
		return tokenResponse{}, invalidGrant("unknown, used or revoked refresh token")
	case g.clientID != client.ID:
		return tokenResponse{}, invalidGrant("refresh token was issued to another client")
	}
	access := g
	if scope != "" {
		if !isSubset(strings.Fields(scope), strings.Fields(g.scope)) {
			return tokenResponse{}, badRequest("invalid_scope", "scope exceeds the original grant")
		}
		access.scope = scope
	}
	if len(resources) > 0 {
		if len(g.resources) > 0 && !isSubset(resources, g.resources) {
			return tokenResponse{}, badRequest("invalid_target", "resource exceeds the original grant")
		}
		access.resources = resources
	}
	delete(s.refresh, token)
	s.usedRefresh[token] = true
	return s.issueLocked(access, &g), nil
}
