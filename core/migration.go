package core

import (
	"context"
	"slices"
)

// Authorization-server migration (MCP 2026-07-28, SEP-2352): an MCP server
// may move to another authorization server, after which it refuses the
// tokens of the old one. When the MCP server refuses a token (401), the
// manager fetches its protected resource metadata again; if the
// authorization server it used is no longer listed, everything obtained
// from that server — tokens, the dynamic registration, in memory and in the
// token store — is dropped and never sent to the new one, and the next
// token request discovers and registers again: a machine client carries on,
// a user client gets [ErrAuthorizationRequired]. A pre-registered client
// stays bound to the issuer it was first used with (or the configured
// issuer), so its credentials never reach the new server: discovery then
// fails with a [*ClientIssuerMismatchError]. At most one re-check happens
// per refused token, so two servers cannot make the client loop.

// recheckAuthorizationServer runs that re-check for the refused token and
// reports whether the authorization server changed. A metadata fetch that
// fails leaves everything as it was.
func (m *TokenManager) recheckAuthorizationServer(ctx context.Context, refused string) bool {
	p := m.params.Load()
	if !m.cfg.Discovering() || p == nil || p.authServer == "" {
		return false // configured endpoints, or a 2025-03-26 server without metadata
	}
	m.mu.Lock()
	if refused == m.recheckedFor {
		m.mu.Unlock()
		return false
	}
	m.recheckedFor = refused
	resourceMetadata := m.challenge.ResourceMetadata()
	m.mu.Unlock()
	prm, err := DiscoverProtectedResource(ctx, m.client, m.cfg.ServerURL, resourceMetadata)
	if err != nil || slices.Contains(prm.AuthorizationServers, p.authServer) {
		return false
	}
	m.migrate(p)
	return true
}

// migrate forgets the authorization server of p: its stored entry
// (registration and tokens), the tokens held, the authorization requests
// pending with it, and the parameters.
func (m *TokenManager) migrate(p *authParams) {
	m.mu.Lock()
	for state, pa := range m.pending {
		if pa.params == p {
			delete(m.pending, state)
		}
	}
	if m.refreshToken != "" {
		m.droppedRefresh = m.refreshToken
	}
	if s := m.cur.Load(); s != nil {
		m.rejected = s.AccessToken
	}
	m.mu.Unlock()
	m.forgetRegistration(p)
}

// afterDiscovery completes discovered parameters: the authorization server
// they came from (for the re-check above), the issuer a pre-registered
// client is bound to from now on, and the DPoP key when tokens are to be
// DPoP-bound (dpop_use.go).
func (m *TokenManager) afterDiscovery(p *authParams, prm *ProtectedResourceMetadata, asm *AuthServerMetadata) error {
	if prm != nil {
		p.authServer = prm.AuthorizationServers[0]
	}
	if m.cfg.ClientID != "" && p.endpoint.clientID == m.cfg.ClientID && asm.Issuer != "" {
		m.mu.Lock()
		if m.clientIssuer == "" {
			m.clientIssuer = asm.Issuer
		}
		m.mu.Unlock()
	}
	use, err := m.wantDPoP(prm, asm)
	if err != nil || !use {
		return err
	}
	p.endpoint.dpop, err = m.dpopKeyFor(asm.DPoPSigningAlgValuesSupported)
	return err
}

// boundIssuer is the issuer the configured client belongs to: the
// configured issuer, else the first one it was used with.
func (m *TokenManager) boundIssuer() string {
	if m.cfg.Issuer != "" {
		return m.cfg.Issuer
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.clientIssuer
}
